"""large-vocab-ce and label-smoothing-convention."""
import torch
import torch.nn as nn
import torch.nn.functional as F

vocab_size = 50_257
d_model = 16

lm_head = nn.Linear(d_model, vocab_size, bias=False)
hidden = torch.randn(2, d_model)
tokens = torch.randint(0, vocab_size, (2,))
loss = F.cross_entropy(lm_head(hidden), tokens)  # fixed: large-vocab-ce
smoothed = nn.CrossEntropyLoss(label_smoothing=0.1)  # fixed: large-vocab-ce, label-smoothing-convention
smoothed(lm_head(hidden), tokens)
