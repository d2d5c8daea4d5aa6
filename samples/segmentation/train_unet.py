"""Binary lesion segmentation with a small U-Net.

Foreground covers ~2% of pixels, so plain BCE collapses to "all background". The training
objective mixes a soft Dice term (overlap, insensitive to class balance) with focal loss
(down-weights the easy background pixels); Tversky is available for recall-heavy runs.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.ops import sigmoid_focal_loss


class DiceLoss(nn.Module):
    """Soft Dice loss (Milletari et al., V-Net 2016) on sigmoid probabilities."""

    def __init__(self, smooth: float = 1.0):
        super().__init__()
        self.smooth = smooth

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        probs = torch.sigmoid(logits).flatten(1)
        target = target.flatten(1)
        intersection = (probs * target).sum(dim=1)
        union = probs.sum(dim=1) + target.sum(dim=1)
        dice = (2 * intersection + self.smooth) / (union + self.smooth)
        return 1 - dice.mean()


def tversky_loss(logits: torch.Tensor, target: torch.Tensor, alpha: float = 0.3, beta: float = 0.7) -> torch.Tensor:
    """Tversky index loss; beta > alpha penalises false negatives more than false positives."""
    probs = torch.sigmoid(logits).flatten(1)
    target = target.flatten(1)
    tp = (probs * target).sum(1)
    fp = (probs * (1 - target)).sum(1)
    fn = ((1 - probs) * target).sum(1)
    return (1 - (tp + 1) / (tp + alpha * fp + beta * fn + 1)).mean()


@torch.no_grad()
def dice_score(logits: torch.Tensor, target: torch.Tensor, threshold: float = 0.5) -> float:
    """Hard Dice coefficient for validation: a metric, not a loss, so it is never back-propagated."""
    pred = (torch.sigmoid(logits) > threshold).float()
    inter = (pred * target).sum()
    return float((2 * inter) / (pred.sum() + target.sum()).clamp(min=1))


def random_zoom(image: torch.Tensor, mask: torch.Tensor, focal_length: float = 1.0, jitter: float = 0.15):
    """Simulates a change of the camera's focal_length by rescaling image and mask together."""
    scale = focal_length * (1 + (torch.rand(1).item() * 2 - 1) * jitter)
    size = [max(8, int(s * scale)) for s in image.shape[-2:]]
    image = F.interpolate(image[None], size=size, mode="bilinear", align_corners=False)[0]
    mask = F.interpolate(mask[None], size=size, mode="nearest")[0]
    return image, mask


def conv_block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True),
        nn.Conv2d(c_out, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    def __init__(self, channels: int = 3, width: int = 32):
        super().__init__()
        self.down1, self.down2, self.down3 = conv_block(channels, width), conv_block(width, 2 * width), conv_block(2 * width, 4 * width)
        self.up2 = nn.ConvTranspose2d(4 * width, 2 * width, 2, stride=2)
        self.dec2 = conv_block(4 * width, 2 * width)
        self.up1 = nn.ConvTranspose2d(2 * width, width, 2, stride=2)
        self.dec1 = conv_block(2 * width, width)
        self.out = nn.Conv2d(width, 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d1 = self.down1(x)
        d2 = self.down2(F.max_pool2d(d1, 2))
        d3 = self.down3(F.max_pool2d(d2, 2))
        u2 = self.dec2(torch.cat([self.up2(d3), d2], dim=1))
        u1 = self.dec1(torch.cat([self.up1(u2), d1], dim=1))
        return self.out(u1)


class SegmentationObjective(nn.Module):
    def __init__(self, dice_weight: float = 1.0, focal_weight: float = 1.0, use_tversky: bool = False):
        super().__init__()
        self.dice = DiceLoss()
        self.dice_weight = dice_weight
        self.focal_weight = focal_weight
        self.use_tversky = use_tversky

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        overlap = tversky_loss(logits, target) if self.use_tversky else self.dice(logits, target)
        # alpha=0.25, gamma=2 are the RetinaNet defaults (Lin et al. 2017).
        focal = sigmoid_focal_loss(logits, target, alpha=0.25, gamma=2.0, reduction="mean")
        return self.dice_weight * overlap + self.focal_weight * focal


def train_epoch(model: UNet, loader, optimizer: torch.optim.Optimizer, device: str, warmup: bool) -> float:
    """During warm-up the model sees weighted BCE only; Dice gradients are noisy on an untrained net."""
    objective = SegmentationObjective()
    bce = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([10.0], device=device))
    model.train()
    epoch_loss = 0.0
    for images, masks in loader:
        images, masks = images.to(device), masks.to(device)
        logits = model(images)
        loss = bce(logits, masks) if warmup else objective(logits, masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item()
    return epoch_loss / max(1, len(loader))


@torch.no_grad()
def validate(model: UNet, loader, device: str) -> dict[str, float]:
    model.eval()
    scores, bce_total = [], 0.0
    for images, masks in loader:
        logits = model(images.to(device))
        masks = masks.to(device)
        bce_total += F.binary_cross_entropy_with_logits(logits, masks).item()
        scores.append(dice_score(logits, masks))
    return {"bce": bce_total / max(1, len(scores)), "dice_score": sum(scores) / max(1, len(scores))}
