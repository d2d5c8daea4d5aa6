"""A loss string as a parameter's default where Keras, which reads loss strings, is imported.

Written for this test. The markers list what the detector must report on their lines; every other line reports nothing.
"""
from tensorflow import keras


def build_model(units=8, loss="hinge"):  # expect: hinge hinge
    model = keras.Sequential([keras.layers.Dense(units)])
    model.compile(optimizer="adam", loss=loss)
    return model


def build_regressor(units=1, head_loss="mean_squared_error"):  # expect: mean_squared_error mse
    model = keras.Sequential([keras.layers.Dense(units)])
    model.compile(optimizer="adam", loss=head_loss)
    return model


def fit_with(model, data, mode="hinge"):  # not a loss keyword: an option named `mode`
    return model.fit(data)


model = build_model(loss="mse")  # expect: mse mse
model.compile("adam", "huber")  # expect: huber huber
