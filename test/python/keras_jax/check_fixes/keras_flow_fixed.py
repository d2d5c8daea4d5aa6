"""keras-from-logits with the model and the loss in different functions and methods: a builder
function, a subclassed model whose call() ends in a linear Dense, and a trainer class."""
import keras
import numpy as np
from keras import layers


def build_classifier(num_classes):
    model = keras.Sequential()
    model.add(keras.Input(shape=(4,)))
    model.add(layers.Dense(16, activation="relu"))
    model.add(layers.Dense(num_classes))
    return model


def build_probabilities(num_classes):
    return keras.Sequential([keras.Input(shape=(4,)), layers.Dense(num_classes, activation="softmax")])


def compile_model(num_classes):
    model = build_classifier(num_classes)
    model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))  # fixed: keras-from-logits
    return model


def compile_probabilities(num_classes):
    model = build_probabilities(num_classes)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


class Scorer(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(8, activation="relu")
        self.out = layers.Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs))


class Trainer:
    def __init__(self):
        self.model = Scorer()
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)  # fixed: keras-from-logits

    def compile(self):
        self.model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))  # fixed: keras-from-logits

    def step_loss(self, x, y):
        return self.loss_fn(y, self.model(x))


x = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
onehot = np.eye(3, dtype="float32")[np.arange(8) % 3]
compile_model(3).fit(x, onehot, epochs=1, verbose=0)
compile_probabilities(3).fit(x, onehot, epochs=1, verbose=0)
trainer = Trainer()
trainer.compile()
flags = (np.arange(8) % 2).astype("float32")[:, None]
trainer.model.fit(x, flags, epochs=1, verbose=0)
value = trainer.step_loss(x, flags)
