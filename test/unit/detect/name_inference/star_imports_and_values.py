"""A script that star-imports the project's own modules: only names it does not bind itself can come from them.

Written for this test. The markers list what the detector must report on their lines; every other line reports nothing.
"""
import argparse

import torch
from my_models import *
from my_losses import *

parser = argparse.ArgumentParser()
args = parser.parse_args()

# An instance held in a variable named like a loss is the file's own variable, not a star-imported loss.
mae_loss = torch.nn.L1Loss()  # expect: L1Loss l1
args.lambda_kd = 0.0
args.kd_weight = 1.0

for epoch in range(10):
    fake, real = generator(z), images
    loss_pixel = mae_loss(fake, real)
    # A value computed here is a variable, even when a loss's hand-written name spells it.
    gradient_penalty = compute_gradient_penalty(critic, real, fake)  # expect: compute_gradient_penalty gradient-penalty
    loss_kl = 0.5 * torch.sum(torch.exp(logvar) + mu ** 2 - logvar - 1)
    total = loss_pixel + args.lambda_kd * loss_kl + 10 * gradient_penalty
    # A name the file never binds is the star import's.
    total = total + focal_loss(logits, targets)  # expect: focal_loss focal
    zn, zc = sample_z(64)
    for kd_loss, weight in pairs:
        total = total + weight * kd_loss


def step(batch):
    # A comprehension's variable lives in the comprehension: `u` below is still the module.
    norms = [u.norm() for u in batch]
    return dice_loss(norms, batch)  # expect: dice_loss dice
