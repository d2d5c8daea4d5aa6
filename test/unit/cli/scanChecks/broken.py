import torch.nn as nn

criterion = nn.KLDivLoss(
loss = criterion(x, y)
