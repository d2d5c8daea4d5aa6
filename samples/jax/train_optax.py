"""MLP on MNIST in JAX + optax, with label smoothing done the optax way.

`softmax_cross_entropy_with_integer_labels` takes class indices; once the targets are smoothed
they are dense distributions and the loss switches to `softmax_cross_entropy`.
"""
from functools import partial

import jax
import jax.numpy as jnp
import optax


def init_params(key: jax.Array, sizes=(784, 512, 256, 10)) -> list[dict[str, jax.Array]]:
    params = []
    for k, (n_in, n_out) in zip(jax.random.split(key, len(sizes) - 1), zip(sizes[:-1], sizes[1:])):
        params.append({"w": jax.random.normal(k, (n_in, n_out)) * jnp.sqrt(2.0 / n_in), "b": jnp.zeros(n_out)})
    return params


def forward(params, x: jax.Array) -> jax.Array:
    for layer in params[:-1]:
        x = jax.nn.relu(x @ layer["w"] + layer["b"])
    return x @ params[-1]["w"] + params[-1]["b"]


def loss_fn(params, images: jax.Array, labels: jax.Array, smoothing: float) -> jax.Array:
    logits = forward(params, images)
    if smoothing == 0.0:
        return optax.softmax_cross_entropy_with_integer_labels(logits, labels).mean()
    targets = optax.smooth_labels(jax.nn.one_hot(labels, logits.shape[-1]), smoothing)
    return optax.softmax_cross_entropy(logits, targets).mean()


@partial(jax.jit, static_argnums=(4, 5))
def train_step(params, opt_state, images, labels, optimizer: optax.GradientTransformation, smoothing: float):
    loss, grads = jax.value_and_grad(loss_fn)(params, images, labels, smoothing)
    updates, opt_state = optimizer.update(grads, opt_state, params)
    return optax.apply_updates(params, updates), opt_state, loss


def evaluate(params, images: jax.Array, labels: jax.Array) -> dict[str, float]:
    logits = forward(params, images)
    # Plain cross entropy on hard labels, whatever smoothing was used in training.
    eval_loss = optax.softmax_cross_entropy_with_integer_labels(logits, labels).mean()
    accuracy = (logits.argmax(-1) == labels).mean()
    return {"loss": float(eval_loss), "accuracy": float(accuracy)}


def main(steps: int = 2000, batch_size: int = 128, smoothing: float = 0.1) -> None:
    key = jax.random.PRNGKey(0)
    params = init_params(key)
    schedule = optax.warmup_cosine_decay_schedule(0.0, 1e-3, warmup_steps=100, decay_steps=steps)
    optimizer = optax.chain(optax.clip_by_global_norm(1.0), optax.adamw(schedule, weight_decay=1e-4))
    opt_state = optimizer.init(params)
    # Synthetic stand-in for MNIST so the script runs without a download.
    images = jax.random.normal(key, (batch_size * 10, 784))
    labels = jax.random.randint(key, (batch_size * 10,), 0, 10)
    for step in range(steps):
        lo = (step % 10) * batch_size
        params, opt_state, loss = train_step(params, opt_state, images[lo : lo + batch_size], labels[lo : lo + batch_size], optimizer, smoothing)
        if step % 200 == 0:
            print(f"step {step}: loss={float(loss):.4f}", evaluate(params, images, labels))


if __name__ == "__main__":
    main()
