"""keras-from-logits with compile(loss=...) in every form: string names (class, function, alias),
a function reference, a variable, a list per output and a dict per named output."""
import keras
import numpy as np
from keras import layers

inputs = keras.Input(shape=(4,))
hidden = layers.Dense(16, activation="relu")(inputs)
class_logits = layers.Dense(3, name="cls")(hidden)
flag_prob = layers.Dense(1, activation="sigmoid", name="flag")(hidden)
flag_logit = layers.Dense(1, name="flag_logit")(hidden)

single = keras.Model(inputs, class_logits)
single.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))  # fixed: keras-from-logits

by_class_name = keras.Model(inputs=inputs, outputs=class_logits)
by_class_name.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))  # fixed: keras-from-logits

function_ref = keras.Model(inputs, class_logits)
function_ref.compile(optimizer="adam", loss=keras.losses.sparse_categorical_crossentropy)  # fixed: keras-from-logits

loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)  # fixed: keras-from-logits
via_variable = keras.Model(inputs, class_logits)
via_variable.compile(optimizer="adam", loss=loss_fn)

two_heads = keras.Model(inputs, [class_logits, flag_prob])
two_heads.compile(
    optimizer="adam",
    loss=[keras.losses.SparseCategoricalCrossentropy(from_logits=True), "binary_crossentropy"],  # fixed: keras-from-logits
)

named = keras.Model(inputs, {"cls": class_logits, "flag_logit": flag_logit})
named.compile(
    optimizer="adam",
    loss={"cls": keras.losses.SparseCategoricalCrossentropy(from_logits=True), "flag_logit": keras.losses.BinaryCrossentropy(from_logits=True)},  # fixed: keras-from-logits
)

fine = keras.Model(inputs, [class_logits, flag_logit])
fine.compile(optimizer="adam", loss=[keras.losses.SparseCategoricalCrossentropy(from_logits=True), keras.losses.BinaryCrossentropy(from_logits=True)])
regression = keras.Model(inputs, class_logits)
regression.compile(optimizer="adam", loss="mse")

x = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
y = np.arange(8) % 3
flag = (y > 0).astype("float32")[:, None]
for m in (single, by_class_name, function_ref, via_variable):
    m.fit(x, y, epochs=1, verbose=0)
two_heads.fit(x, [y, flag], epochs=1, verbose=0)
named.fit(x, {"cls": y, "flag_logit": flag}, epochs=1, verbose=0)
fine.fit(x, [y, flag], epochs=1, verbose=0)
regression.fit(x, np.eye(3, dtype="float32")[y], epochs=1, verbose=0)
