"""Train a small ResNet on CIFAR-10, with optional knowledge distillation from a frozen teacher.

The training loss is cross-entropy with label smoothing; evaluation reports the plain
cross-entropy so runs with different smoothing values stay comparable.
"""
import argparse
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import resnet18


def build_loaders(data_dir: str, batch_size: int) -> tuple[DataLoader, DataLoader]:
    mean, std = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)
    train_tf = transforms.Compose([
        transforms.RandomCrop(32, padding=4),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(mean, std),
    ])
    test_tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean, std)])
    train = datasets.CIFAR10(data_dir, train=True, download=False, transform=train_tf)
    test = datasets.CIFAR10(data_dir, train=False, download=False, transform=test_tf)
    return (
        DataLoader(train, batch_size=batch_size, shuffle=True, num_workers=4, drop_last=True),
        DataLoader(test, batch_size=512, shuffle=False, num_workers=4),
    )


def distillation_loss(student_logits: torch.Tensor, teacher_logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Hinton-style soft-target term; the T^2 factor keeps gradient scale independent of T."""
    log_p_student = F.log_softmax(student_logits / temperature, dim=-1)
    p_teacher = F.softmax(teacher_logits / temperature, dim=-1)
    return F.kl_div(log_p_student, p_teacher, reduction="batchmean") * temperature**2


class Trainer:
    def __init__(self, model: nn.Module, teacher: nn.Module | None, lr: float, epochs: int, steps_per_epoch: int):
        self.model = model
        self.teacher = teacher
        # Smoothing 0.1 as in Szegedy et al. (2016); the loss name is kept in the config for logging.
        self.loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
        self.config = {"loss": "cross_entropy", "label_smoothing": 0.1, "kd_temperature": 4.0}
        self.optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=5e-4, nesterov=True)
        total = epochs * steps_per_epoch
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(
            self.optimizer, lambda step: 0.5 * (1 + math.cos(math.pi * step / total))
        )

    def train_step(self, images: torch.Tensor, labels: torch.Tensor) -> float:
        self.model.train()
        logits = self.model(images)
        loss = self.loss_fn(logits, labels)
        if self.teacher is not None:
            with torch.no_grad():
                teacher_logits = self.teacher(images)
            loss = 0.5 * loss + 0.5 * distillation_loss(logits, teacher_logits, self.config["kd_temperature"])
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        self.scheduler.step()
        return loss.item()

    @torch.no_grad()
    def evaluate(self, loader: DataLoader, device: torch.device) -> dict[str, float]:
        self.model.eval()
        total_loss, correct, seen = 0.0, 0, 0
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            logits = self.model(images)
            # Unsmoothed cross entropy: the number people compare across papers.
            total_loss += F.cross_entropy(logits, labels, reduction="sum").item()
            correct += (logits.argmax(dim=-1) == labels).sum().item()
            seen += labels.numel()
        return {"loss": total_loss / seen, "accuracy": correct / seen}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="./data")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--teacher", default=None, help="path to a teacher checkpoint for distillation")
    args = parser.parse_args()

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    train_loader, test_loader = build_loaders(args.data, args.batch_size)
    model = resnet18(num_classes=10).to(device)
    teacher = None
    if args.teacher:
        teacher = resnet18(num_classes=10).to(device)
        teacher.load_state_dict(torch.load(args.teacher, map_location=device))
        teacher.eval()

    trainer = Trainer(model, teacher, args.lr, args.epochs, len(train_loader))
    for epoch in range(args.epochs):
        running = 0.0
        for step, (images, labels) in enumerate(train_loader):
            running += trainer.train_step(images.to(device), labels.to(device))
            if step % 100 == 99:
                print(f"epoch {epoch} step {step + 1}: loss={running / 100:.4f}")
                running = 0.0
        metrics = trainer.evaluate(test_loader, device)
        print(f"epoch {epoch}: test loss {metrics['loss']:.4f}, accuracy {metrics['accuracy']:.2%}")


if __name__ == "__main__":
    main()
