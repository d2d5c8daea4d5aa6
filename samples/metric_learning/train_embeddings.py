"""Learn image embeddings for retrieval (CUB-200 style), comparing two metric-learning losses.

`--loss ms` uses Multi-Similarity loss with its own pair miner (pytorch-metric-learning);
`--loss triplet` uses PyTorch's built-in triplet margin loss on batch-hard triplets.
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from pytorch_metric_learning import losses, miners
from torchvision.models import resnet50


class Embedder(nn.Module):
    def __init__(self, dim: int = 128):
        super().__init__()
        backbone = resnet50(weights=None)
        backbone.fc = nn.Identity()
        self.backbone = backbone
        self.proj = nn.Linear(2048, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.proj(self.backbone(x)), dim=-1)


def batch_hard_triplets(embeddings: torch.Tensor, labels: torch.Tensor):
    """For each anchor: the farthest positive and the closest negative in the batch."""
    dist = torch.cdist(embeddings, embeddings)
    same = labels[:, None] == labels[None, :]
    hardest_pos = (dist * same).argmax(dim=1)
    hardest_neg = dist.masked_fill(same, float("inf")).argmin(dim=1)
    return embeddings, embeddings[hardest_pos], embeddings[hardest_neg]


class MetricLearner:
    def __init__(self, model: Embedder, loss_name: str, lr: float = 1e-4):
        self.model = model
        self.loss_name = loss_name
        if loss_name == "ms":
            # alpha/beta/base follow Wang et al. (CVPR 2019), Table 5.
            self.loss_fn = losses.MultiSimilarityLoss(alpha=2.0, beta=50.0, base=0.5)
            self.miner = miners.MultiSimilarityMiner(epsilon=0.1)
        else:
            self.loss_fn = nn.TripletMarginLoss(margin=0.2, p=2)
            self.miner = None
        self.optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)

    def step(self, images: torch.Tensor, labels: torch.Tensor) -> float:
        embeddings = self.model(images)
        if self.miner is not None:
            pairs = self.miner(embeddings, labels)
            loss = self.loss_fn(embeddings, labels, pairs)
        else:
            loss = self.loss_fn(*batch_hard_triplets(embeddings, labels))
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item()


@torch.no_grad()
def recall_at_k(embeddings: torch.Tensor, labels: torch.Tensor, k: int = 1) -> float:
    sims = embeddings @ embeddings.T
    sims.fill_diagonal_(-float("inf"))
    topk = sims.topk(k, dim=1).indices
    return (labels[topk] == labels[:, None]).any(dim=1).float().mean().item()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--loss", choices=["ms", "triplet"], default="ms", help="metric-learning loss to train with")
    args = parser.parse_args()
    learner = MetricLearner(Embedder(), args.loss)
    images, labels = torch.randn(32, 3, 224, 224), torch.arange(8).repeat_interleave(4)
    print(f"{args.loss} loss after one step: {learner.step(images, labels):.4f}")
