// Concepts and papers for the hover-card tests: small, hand-written, shaped like the shipped data.
import type { Concept } from '../../../../src/core/concepts/types';
import type { Paper } from '../../../../src/core/papers/types';

export const crossEntropy: Concept = {
  id: 'cross-entropy',
  name: 'Cross-entropy',
  aliases: ['CE', 'softmax cross-entropy'],
  summary: 'Negative log-likelihood of the target class under softmax(logits).',
  formula: { latex: '\\mathcal{L} = -\\log \\frac{e^{z_y}}{\\sum_j e^{z_j}}', source: 'https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html', verified: true },
  parameters: [
    {
      name: 'label_smoothing',
      defaults: { pytorch: '0.0', keras: '0.0' },
      meaning: 'Mixes the one-hot target with a uniform distribution over classes.',
      pitfall: 'PyTorch gives ε/K to every class, so the target gets 1−ε+ε/K.',
      source: 'https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html',
    },
    { name: 'reduction', defaults: { pytorch: "'mean'" }, meaning: 'How per-sample losses are combined.', source: 'docs' },
    {
      name: 'ignore_index',
      defaults: { pytorch: '-100' },
      meaning: 'Target value that is skipped.',
      pitfall: 'Defaults to −100; with weight, the mean divides by the sum of target weights.',
      source: 'docs',
    },
    { name: 'weight', defaults: { pytorch: 'None' }, meaning: 'Per-class weights.', source: 'docs' },
    { name: 'from_logits', defaults: { keras: 'False' }, meaning: 'Whether inputs are logits.', source: 'docs' },
  ],
  identifiers: [
    { framework: 'pytorch', qualifiedName: 'torch.nn.CrossEntropyLoss', kind: 'class', source: 'docs' },
    { framework: 'pytorch', qualifiedName: 'torch.nn.functional.cross_entropy', kind: 'function', source: 'docs' },
  ],
  handwrittenNames: [],
  related: [],
  papers: [],
  pitfalls: [
    { text: 'Takes logits: applying softmax first silently trains a different loss.', source: 'docs' },
    { text: 'PyTorch gives ε/K to every class, so the target gets 1−ε+ε/K.', source: 'docs' },
  ],
  category: 'classic',
};

export const focal: Concept = {
  id: 'focal',
  name: 'Focal loss',
  aliases: ['FL'],
  summary: 'Cross-entropy down-weighted on easy examples.',
  formula: { latex: '\\mathrm{FL}(p_t) = -\\alpha_t (1 - p_t)^{\\gamma} \\log p_t', source: 'arXiv:1708.02002 §3', verified: false, note: 'torchvision uses alpha=-1 to switch weighting off' },
  parameters: [
    { name: 'gamma', defaults: { paper: '2', torchvision: '2' }, meaning: 'Focusing parameter.', source: 'paper' },
    { name: 'alpha', defaults: { paper: '0.25', torchvision: '0.25' }, meaning: 'Weight of the positive class.', source: 'paper' },
  ],
  identifiers: [{ framework: 'torchvision', qualifiedName: 'torchvision.ops.sigmoid_focal_loss', kind: 'function', source: 'docs' }],
  handwrittenNames: ['focal_loss', 'FocalLoss'],
  related: [],
  papers: [],
  pitfalls: [],
  origin: { title: 'Focal Loss for Dense Object Detection', authors: 'Lin et al.', year: 2017, arxivId: '1708.02002', source: 'arXiv' },
  category: 'classic',
};

function paper(id: string, title: string, year: number, extra: Partial<Paper> = {}): Paper {
  return {
    id,
    title,
    abstract: '',
    authors: ['Ada Lovelace', 'Alan Turing'],
    authorCount: 2,
    date: null,
    year,
    venue: null,
    arxivId: id,
    links: { arxiv: `https://arxiv.org/abs/${id}`, huggingFace: `https://huggingface.co/papers/${id}` },
    concepts: [],
    sources: ['shipped:papers.json'],
    ...extra,
  };
}

export const papers: Paper[] = [
  paper('2411.09009', 'Cut Your Losses in Large-Vocabulary Language Models', 2024, {
    venue: 'ICLR 2025',
    links: { arxiv: 'https://arxiv.org/abs/2411.09009', code: 'https://github.com/apple/ml-cross-entropy' },
    concepts: [{ id: 'cross-entropy', relation: 'studies' }],
  }),
  paper('2001.08361', 'Scaling Laws for Neural Language Models', 2020, { concepts: [{ id: 'cross-entropy', relation: 'studies' }] }),
  paper('1512.00567', 'Rethinking the Inception Architecture [for] *Computer* Vision', 2016, {
    venue: 'CVPR',
    concepts: [{ id: 'cross-entropy', relation: 'introduces-classic' }],
  }),
  paper('2305.00001', 'A study that only might be about CE', 2023, { concepts: [{ id: 'cross-entropy', relation: 'studies', inferred: true }] }),
];
