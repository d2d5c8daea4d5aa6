from .keras_models import build_classifier, build_probabilities

model = build_classifier()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")  # expect: keras-from-logits
probs = build_probabilities()
probs.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
