"""A small PPO fine-tuning package: the loss lives in losses.py and is re-exported here."""
from .losses import ClippedPolicyLoss, token_kl

__all__ = ["ClippedPolicyLoss", "token_kl"]
