"""Fashion-MNIST classifier with an auxiliary brightness-regression head, in Keras 3.

The classifier outputs raw logits (no softmax layer), so the loss must be told `from_logits=True`;
forgetting it silently trains against probabilities that were never normalised.
"""
import keras
import numpy as np
from keras import layers


def build_model(num_classes: int = 10) -> keras.Model:
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.3)(x)
    logits = layers.Dense(num_classes, name="label")(x)
    brightness = layers.Dense(1, name="brightness")(x)
    return keras.Model(inputs, {"label": logits, "brightness": brightness})


def main(epochs: int = 5) -> None:
    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    x_train, x_test = x_train[..., None], x_test[..., None]
    bright_train = x_train.mean(axis=(1, 2, 3)) / 255.0
    bright_test = x_test.mean(axis=(1, 2, 3)) / 255.0

    model = build_model()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss={
            "label": keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            # Huber keeps the auxiliary head from dominating on badly exposed images.
            "brightness": keras.losses.Huber(delta=0.1),
        },
        loss_weights={"label": 1.0, "brightness": 0.2},
        metrics={"label": ["accuracy"]},
    )
    history = model.fit(
        x_train,
        {"label": y_train, "brightness": bright_train},
        validation_data=(x_test, {"label": y_test, "brightness": bright_test}),
        epochs=epochs,
        batch_size=128,
    )
    best = int(np.argmin(history.history["val_loss"]))
    print(f"best epoch {best + 1}: val_loss={history.history['val_loss'][best]:.4f}")


if __name__ == "__main__":
    main()
