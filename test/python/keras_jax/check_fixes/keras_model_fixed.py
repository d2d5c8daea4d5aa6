"""keras-from-logits: the last Dense layer has no activation (Sequential, loss object or function)."""
import keras
import numpy as np

model = keras.Sequential([
    keras.Input(shape=(4,)),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(3),
])
model.compile(
    optimizer="adam",
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),  # fixed: keras-from-logits
)

explicit_false = keras.losses.SparseCategoricalCrossentropy(from_logits=True)  # fixed: keras-from-logits
right = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

x = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
y = np.arange(8) % 3
model.fit(x, y, epochs=1, verbose=0)
custom_loop = explicit_false(y, model(x))
custom_ok = right(y, model(x))

# A Dropout after the output layer keeps the logits.
with_dropout = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3), keras.layers.Dropout(0.2)])
with_dropout.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))  # fixed: keras-from-logits
with_dropout.fit(x, y, epochs=1, verbose=0)
