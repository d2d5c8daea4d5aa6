"""Near misses for large-vocab-ce: a small output layer, and a big one that is not a CE input file-wide."""
import torch
import torch.nn as nn
import torch.nn.functional as F

head = nn.Linear(16, 10)
projection_dim = 31_999
proj = nn.Linear(16, projection_dim)
x = torch.randn(4, 16)
loss = F.cross_entropy(head(x), torch.tensor([1, 2, 3, 4]))
