import keras


def build_classifier(num_classes=10):
    return keras.Sequential([
        keras.Input(shape=(8,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(num_classes),
    ])


def build_probabilities(num_classes=10):
    return keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(num_classes, activation="softmax")])
