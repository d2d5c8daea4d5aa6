import torch.nn as nn

kl = nn.KLDivLoss()  # expect: kl-div-mean
smoothed = nn.CrossEntropyLoss(label_smoothing=0.1)  # expect: label-smoothing-convention
