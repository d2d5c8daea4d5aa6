"""keras-from-logits near misses: softmax outputs with probability losses, a Dense followed by a
Softmax layer, and the other direction: from_logits=True on a model that already ends in softmax."""
import keras
import numpy as np

model = keras.Sequential([
    keras.Input(shape=(4,)),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy())

with_layer = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3), keras.layers.Softmax()])
with_layer.compile(optimizer="adam", loss="sparse_categorical_crossentropy")

twice = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3), keras.layers.Activation("softmax")])
twice.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=False))  # fixed: keras-from-logits

binary = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1, activation="sigmoid")])
binary.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=False))  # fixed: keras-from-logits

x = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
y = np.arange(8) % 3
for m in (model, with_layer, twice):
    m.fit(x, y, epochs=1, verbose=0)
binary.fit(x, (y > 0).astype("float32"), epochs=1, verbose=0)
