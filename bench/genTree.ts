/**
 * Writes a deterministic, real-shaped ML repository for the whole-tree scan figure: packages of
 * Python modules (models, losses, training loops, data pipelines, configs, utilities, tests) and
 * Jupyter notebooks, with the shapes real code has — imports with aliases, classes with docstrings,
 * multi-line calls, decorators, comprehensions, f-strings, type hints, loss calls of torch, Keras,
 * JAX/optax and hand-written losses — in sizes from a few lines to a thousand (most files small,
 * a few large, as in real repositories). Every file is valid Python 3 (notebook cells included).
 *
 *   npx tsx bench/genTree.ts <dir> [--files 2400] [--seed 7]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from './lib';

type Rand = () => number;

const TORCH_LOSSES = ['nn.CrossEntropyLoss()', 'nn.CrossEntropyLoss(label_smoothing=0.1)', 'nn.BCEWithLogitsLoss(pos_weight=pos_weight)', 'nn.MSELoss()', 'nn.L1Loss()', 'nn.SmoothL1Loss(beta=1.0)', 'nn.KLDivLoss(reduction="batchmean")', 'nn.NLLLoss(ignore_index=-100)', 'nn.HuberLoss(delta=1.0)', 'nn.TripletMarginLoss(margin=0.2)', 'nn.CTCLoss(blank=0)', 'nn.CosineEmbeddingLoss()'];
const TORCH_FUNCTIONAL = ['F.cross_entropy(logits, targets)', 'F.binary_cross_entropy_with_logits(logits, targets.float())', 'F.mse_loss(pred, target)', 'F.l1_loss(pred, target)', 'F.smooth_l1_loss(pred, target, beta=0.5)', 'F.kl_div(F.log_softmax(student, dim=-1), F.softmax(teacher, dim=-1), reduction="batchmean")', 'F.nll_loss(log_probs, targets)', 'F.huber_loss(pred, target, delta=2.0)'];
const KERAS_LOSSES = ['keras.losses.SparseCategoricalCrossentropy(from_logits=True)', 'keras.losses.BinaryCrossentropy()', 'keras.losses.MeanSquaredError()', 'keras.losses.Huber(delta=1.0)', 'keras.losses.KLDivergence()', 'keras.losses.CategoricalCrossentropy(label_smoothing=0.1)'];
const OPTAX_LOSSES = ['optax.softmax_cross_entropy_with_integer_labels(logits, labels)', 'optax.sigmoid_binary_cross_entropy(logits, labels)', 'optax.l2_loss(predictions, targets)', 'optax.huber_loss(predictions, targets, delta=1.0)'];
const WORDS = ['encoder', 'decoder', 'backbone', 'head', 'block', 'layer', 'proj', 'embed', 'attn', 'mlp', 'norm', 'pool', 'stem', 'neck', 'adapter', 'router', 'expert', 'gate', 'fusion', 'cls'];
const NOUNS = ['dataset', 'loader', 'batch', 'sample', 'feature', 'target', 'mask', 'token', 'image', 'label', 'score', 'metric', 'step', 'epoch', 'config', 'checkpoint', 'state', 'cache', 'buffer', 'schedule'];

function pick<T>(rand: Rand, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)];
}

function ident(rand: Rand): string {
  return `${pick(rand, WORDS)}_${pick(rand, NOUNS)}`;
}

function className(rand: Rand): string {
  const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
  return `${cap(pick(rand, WORDS))}${cap(pick(rand, NOUNS))}${Math.floor(rand() * 100)}`;
}

/** A torch nn.Module with a docstring, an __init__ of layers, and a forward. */
function torchModel(rand: Rand): string {
  const name = className(rand);
  const layers = 2 + Math.floor(rand() * 6);
  const out = [`class ${name}(nn.Module):`, `    """${pick(rand, WORDS)} network: ${layers} layers, residual connections and ${pick(rand, NOUNS)} pooling."""`, '', `    def __init__(self, dim: int = ${64 * (1 + Math.floor(rand() * 8))}, num_classes: int = ${2 + Math.floor(rand() * 998)}) -> None:`, '        super().__init__()'];
  for (let i = 0; i < layers; i++) out.push(`        self.${pick(rand, WORDS)}_${i} = nn.Sequential(`, '            nn.Linear(dim, dim),', `            nn.${pick(rand, ['ReLU', 'GELU', 'SiLU', 'Tanh'])}(),`, `            nn.Dropout(p=${(rand() * 0.5).toFixed(2)}),`, '        )');
  out.push('        self.classifier = nn.Linear(dim, num_classes)', '', '    def forward(self, x: torch.Tensor) -> torch.Tensor:');
  for (let i = 0; i < layers; i++) out.push(`        x = x + self.${out[5 + i * 5].trim().split(' ')[0].slice(5)}(x)`);
  out.push('        return self.classifier(x)', '');
  return out.join('\n');
}

/** A training step with a loss of one framework. */
function trainStep(rand: Rand, framework: 'torch' | 'keras' | 'jax'): string {
  const fn = `train_${pick(rand, NOUNS)}_${Math.floor(rand() * 1000)}`;
  if (framework === 'keras') {
    return [
      `def ${fn}(model, data, epochs=${1 + Math.floor(rand() * 50)}):`,
      `    loss_fn = ${pick(rand, KERAS_LOSSES)}`,
      '    optimizer = keras.optimizers.Adam(learning_rate=1e-3)',
      '    model.compile(optimizer=optimizer, loss=loss_fn, metrics=["accuracy"])',
      `    history = model.fit(data, epochs=epochs, verbose=0)`,
      '    return history.history["loss"][-1]',
      '',
    ].join('\n');
  }
  if (framework === 'jax') {
    return [
      `def ${fn}(params, batch, apply_fn):`,
      '    logits = apply_fn(params, batch["image"])',
      '    labels = batch["label"]',
      '    predictions, targets = logits, labels',
      `    loss = ${pick(rand, OPTAX_LOSSES)}.mean()`,
      '    return loss, logits',
      '',
    ].join('\n');
  }
  const lines = [
    `def ${fn}(model: nn.Module, batch: dict, optimizer: torch.optim.Optimizer, pos_weight=None) -> float:`,
    `    """One optimisation step on a ${pick(rand, NOUNS)} batch."""`,
    '    model.train()',
    '    inputs, targets = batch["inputs"], batch["targets"]',
    '    logits = model(inputs)',
    '    pred, target = logits, targets',
    '    log_probs = F.log_softmax(logits, dim=-1)',
    '    student, teacher = logits, logits.detach()',
  ];
  if (rand() < 0.5) lines.push(`    criterion = ${pick(rand, TORCH_LOSSES)}`, '    loss = criterion(logits, targets)');
  else lines.push(`    loss = ${pick(rand, TORCH_FUNCTIONAL)}`);
  lines.push('    optimizer.zero_grad(set_to_none=True)', '    loss.backward()', '    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)', '    optimizer.step()', '    return loss.item()', '');
  return lines.join('\n');
}

/** A hand-written loss (the kind the detector matches by name and shape). */
function handwrittenLoss(rand: Rand): string {
  const kind = pick(rand, ['focal', 'dice', 'contrastive', 'label_smoothing']);
  if (kind === 'focal') return ['def focal_loss(logits, targets, gamma: float = 2.0, alpha: float = 0.25):', '    p = torch.sigmoid(logits)', '    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")', '    p_t = p * targets + (1 - p) * (1 - targets)', '    loss = ce * ((1 - p_t) ** gamma)', '    alpha_t = alpha * targets + (1 - alpha) * (1 - targets)', '    return (alpha_t * loss).mean()', ''].join('\n');
  if (kind === 'dice') return ['def dice_loss(pred, target, eps: float = 1e-6):', '    pred = pred.sigmoid().flatten(1)', '    target = target.flatten(1)', '    inter = (pred * target).sum(-1)', '    return 1 - ((2 * inter + eps) / (pred.sum(-1) + target.sum(-1) + eps)).mean()', ''].join('\n');
  if (kind === 'contrastive') return ['def info_nce(query, keys, temperature: float = 0.07):', '    query = F.normalize(query, dim=-1)', '    keys = F.normalize(keys, dim=-1)', '    logits = query @ keys.t() / temperature', '    labels = torch.arange(query.shape[0], device=query.device)', '    return F.cross_entropy(logits, labels)', ''].join('\n');
  return ['def smoothed_nll(log_probs, target, smoothing: float = 0.1):', '    nll = -log_probs.gather(dim=-1, index=target.unsqueeze(-1)).squeeze(-1)', '    smooth = -log_probs.mean(dim=-1)', '    return ((1.0 - smoothing) * nll + smoothing * smooth).mean()', ''].join('\n');
}

/** Utility code without any loss: data handling, configs, logging. */
function utility(rand: Rand): string {
  const name = ident(rand);
  const n = 2 + Math.floor(rand() * 6);
  const out = [`@functools.lru_cache(maxsize=${2 ** (4 + Math.floor(rand() * 6))})`, `def load_${name}(path: str, *, limit: int | None = None) -> list[dict]:`, `    """Reads ${name.replace('_', ' ')} records from a JSON-lines file."""`, '    records = []', '    with open(path, encoding="utf-8") as handle:', '        for i, line in enumerate(handle):', '            if limit is not None and i >= limit:', '                break', '            records.append(json.loads(line))', '    return records', ''];
  out.push(`@dataclasses.dataclass`, `class ${className(rand)}Config:`);
  for (let i = 0; i < n; i++) out.push(`    ${pick(rand, NOUNS)}_${i}: ${pick(rand, ['int', 'float', 'str', 'bool'])} = ${pick(rand, ['0', '1e-4', '"auto"', 'True', '32', '0.9'])}`);
  out.push('', `def summarize_${name}(values: list[float]) -> dict[str, float]:`, '    ordered = sorted(values)', '    total = sum(ordered)', '    return {', '        "mean": total / max(len(ordered), 1),', '        "p50": ordered[len(ordered) // 2] if ordered else 0.0,', `        "count": float(len(ordered)),`, '    }', '', `logger.debug(f"registered {summarize_${name}.__name__} and {load_${name}.__name__}")`, '');
  return out.join('\n');
}

const TORCH_HEADER = 'import dataclasses\nimport functools\nimport json\nimport logging\n\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\nlogger = logging.getLogger(__name__)\n\n';
const KERAS_HEADER = 'import dataclasses\nimport functools\nimport json\nimport logging\n\nimport keras\n\nlogger = logging.getLogger(__name__)\n\n';
const JAX_HEADER = 'import dataclasses\nimport functools\nimport json\nimport logging\n\nimport jax\nimport jax.numpy as jnp\nimport optax\n\nlogger = logging.getLogger(__name__)\n\n';

/** A module of about `blocks` blocks: mostly utilities, some models, training steps and losses. */
function pythonModule(rand: Rand, blocks: number): string {
  const framework = rand() < 0.7 ? 'torch' : rand() < 0.6 ? 'keras' : 'jax';
  const parts = [`"""${ident(rand).replace('_', ' ')} utilities and training code."""\n`, framework === 'torch' ? TORCH_HEADER : framework === 'keras' ? KERAS_HEADER : JAX_HEADER];
  for (let b = 0; b < blocks; b++) {
    const r = rand();
    if (r < 0.55) parts.push(utility(rand));
    else if (r < 0.7 && framework === 'torch') parts.push(torchModel(rand));
    else if (r < 0.9) parts.push(trainStep(rand, framework));
    else parts.push(framework === 'torch' ? handwrittenLoss(rand) : utility(rand));
    parts.push('\n');
  }
  return parts.join('');
}

/** A notebook: markdown and code cells (the first imports), as Jupyter writes it. */
function notebook(rand: Rand): string {
  const cells: object[] = [];
  const code = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: source.split(/(?<=\n)/) });
  const md = (source: string) => ({ cell_type: 'markdown', metadata: {}, source: source.split(/(?<=\n)/) });
  cells.push(md(`# Experiment: ${ident(rand).replace('_', ' ')}\n\nTraining and evaluation notes.`));
  cells.push(code(TORCH_HEADER.trimEnd()));
  const n = 3 + Math.floor(rand() * 12);
  for (let i = 0; i < n; i++) {
    if (rand() < 0.3) cells.push(md(`## Step ${i + 1}\n\nWe look at the ${pick(rand, NOUNS)} distribution.`));
    const r = rand();
    cells.push(code(r < 0.4 ? trainStep(rand, 'torch') : r < 0.6 ? torchModel(rand) : r < 0.7 ? handwrittenLoss(rand) : utility(rand)));
  }
  return JSON.stringify({
    cells,
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python', version: '3.11.0' } },
    nbformat: 4,
    nbformat_minor: 5,
  }, null, 1);
}

/** Blocks per module: most files small, a long tail of large ones (log-normal-like). */
function moduleBlocks(rand: Rand): number {
  const u = Math.max(1e-6, rand());
  const v = rand();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.max(1, Math.min(60, Math.round(Math.exp(1.3 + 0.9 * normal))));
}

/** Writes the tree; returns its file count, bytes and lines. */
export function generateTree(dir: string, options: { files?: number; seed?: number } = {}): { files: number; notebooks: number; bytes: number; lines: number } {
  const rand = mulberry32(options.seed ?? 7);
  const total = options.files ?? 2400;
  let bytes = 0;
  let lines = 0;
  let notebooks = 0;
  const packages = ['models', 'losses', 'training', 'data', 'utils', 'eval', 'configs', 'scripts', 'tests', 'experiments'];
  for (let i = 0; i < total; i++) {
    const pkg = packages[i % packages.length];
    const sub = path.join(dir, 'src', pkg, `group_${Math.floor(i / 100)}`);
    mkdirSync(sub, { recursive: true });
    const isNotebook = pkg === 'experiments' || rand() < 0.04;
    const text = isNotebook ? notebook(rand) : pythonModule(rand, moduleBlocks(rand));
    const name = isNotebook ? `exp_${i}.ipynb` : `${pkg === 'tests' ? 'test_' : ''}${ident(rand)}_${i}.py`;
    writeFileSync(path.join(sub, name), text);
    if (!isNotebook && i % 100 === 0) writeFileSync(path.join(sub, '__init__.py'), '');
    bytes += Buffer.byteLength(text);
    lines += text.split('\n').length;
    if (isNotebook) notebooks++;
  }
  return { files: total, notebooks, bytes, lines };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir) throw new Error('usage: npx tsx bench/genTree.ts <dir> [--files N] [--seed N]');
  const at = (name: string) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : undefined; };
  console.log(JSON.stringify(generateTree(dir, { files: at('--files'), seed: at('--seed') })));
}
