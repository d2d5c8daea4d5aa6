"""Model outputs followed into the training loop: an auxiliary-classifier GAN discriminator whose heads
end in nn.Softmax / nn.Sigmoid, unpacked from a tuple and fed to CrossEntropyLoss / BCELoss."""
import torch
import torch.nn as nn

n_classes = 4


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(8, 16), nn.LeakyReLU(0.2))
        self.adv_layer = nn.Sequential(nn.Linear(16, 1), nn.Sigmoid())
        self.aux_layer = nn.Sequential(nn.Linear(16, n_classes), nn.Softmax(dim=1))

    def forward(self, img):
        out = self.body(img)
        validity = self.adv_layer(out)
        label = self.aux_layer(out)
        return validity, label


class LogitsDiscriminator(nn.Module):
    """Near miss: the same model without output activations."""

    def __init__(self):
        super().__init__()
        self.body = nn.Linear(8, 16)
        self.adv_layer = nn.Linear(16, 1)
        self.aux_layer = nn.Linear(16, n_classes)

    def forward(self, img):
        out = self.body(img)
        return self.adv_layer(out), self.aux_layer(out)


adversarial_loss = torch.nn.BCELoss()
auxiliary_loss = torch.nn.CrossEntropyLoss()
adversarial_logits_loss = torch.nn.BCEWithLogitsLoss()

discriminator = Discriminator()
plain = LogitsDiscriminator()

imgs = torch.randn(6, 8)
valid = torch.ones(6, 1)
labels = torch.randint(0, n_classes, (6,))

real_pred, real_aux = discriminator(imgs)
d_real_loss = (adversarial_loss(real_pred, valid) + auxiliary_loss(real_aux, labels)) / 2  # fixed: sigmoid-before-bce, softmax-before-ce
outputs = discriminator(imgs)
aux_again = auxiliary_loss(outputs[1], labels)  # fixed: softmax-before-ce

logit_pred, logit_aux = plain(imgs)
fine = adversarial_logits_loss(logit_pred, valid) + auxiliary_loss(logit_aux, labels)
