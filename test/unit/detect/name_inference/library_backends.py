"""A library's backend or re-exporting modules that the registry does not list, called by a library loss's name.

Written for this test. The markers list what the detector must report on their lines; every other line reports nothing.
"""
from keras import backend as K
from my_project.backend import keras
from keras_cv.src.backend import ops
import tensorflow as tf
import torch


def heading_loss(one_hot, logits):
    return ops.categorical_crossentropy(one_hot, logits, from_logits=True)  # expect: categorical_crossentropy cross-entropy


def objectness(y_true, y_pred):
    bce = K.binary_crossentropy(y_true, y_pred, from_logits=True)  # expect: binary_crossentropy binary-cross-entropy
    return ops.mean(bce) + ops.sum(ops.square(y_pred))


def tracked(y_true, y_pred):
    hinge = keras.metrics.Hinge()
    mae = keras.metrics.mean_absolute_error(y_true, y_pred)
    return ops.ssim(y_true, y_pred), hinge, mae


def weight_decay(params):
    return sum(tf.nn.l2_loss(p) for p in params)  # expect: l2_loss mse


def sparse(logits, labels):
    return tf.compat.v1.losses.sparse_softmax_cross_entropy(labels, logits)  # expect: sparse_softmax_cross_entropy cross-entropy


def not_losses(x):
    return torch.nn.Module.cross_entropy, torch.cat([x, x]), tf.nn.softmax(x)


def reconstruction_error(x, x_hat):
    # Keras 2's module aliases of its loss strings (tf.keras.losses.MAE's documented aliases).
    return tf.keras.losses.mae(x, x_hat) + tf.keras.losses.MSE(x, x_hat)  # expect: mae l1; MSE mse
