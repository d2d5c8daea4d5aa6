/**
 * A deterministic corpus for the build-equivalence test: the shipped papers, papers whose words are
 * drawn from theirs (so frequencies are real), and papers full of rare made-up words (a vocabulary of
 * tens of thousands of terms, most seen a few times), with the text shapes the tokenizer treats
 * specially: joined words, accents, capitals, digits, stopwords, over-long runs, concept tags.
 */
import type { Paper } from '../../../../src/core/papers/types';
import { searchConcepts } from '../fixtures/concepts';
import { shippedPapers } from '../fixtures/papers';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_WORDS = [
  'Brébisson', 'naïve', 'Straße', 'Łukasz', 'Søren', 'ＡＢＣ', 'KELVIN-\u212Aelvin', 'İstanbul', 'cross-entropy', 'focal_loss',
  'z-loss', 'gpt-4', 'CrossEntropyLoss', 'a--b', 'x_-y', '-lead', 'trail_', 'R2D2', '3d', 'the', 'of', 'A',
  'supercalifragilisticexpialidociouslyverylongwordthatgoesonandon', 'self-supervised', 'pre-trained', 'étude',
];

/** `size` papers (at least the shipped ones), the same for a given seed. */
export function equivalenceCorpus(size: number, seed = 7): Paper[] {
  const real = shippedPapers();
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);
  const titleWords = real.flatMap((p) => words(p.title));
  const abstractWords = real.flatMap((p) => words(p.abstract));
  const authors = [...new Set(real.flatMap((p) => p.authors))];
  const venues = [...new Set(real.map((p) => p.venue))];
  const conceptIds = [...searchConcepts.map((c) => c.id), 'tag-only-concept', 'another_tag'];
  const relations = ['proposes', 'studies', 'introduces'] as const;
  const rareWord = (): string => {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    let w = '';
    const length = 3 + Math.floor(rand() * 8);
    for (let i = 0; i < length; i++) w += letters[Math.floor(rand() * 26)];
    return w;
  };
  const out: Paper[] = [...real];
  for (let i = 0; out.length < size; i++) {
    const kind = i % 3; // 0, 1: real words; 2: rare words mixed in
    const abstract: string[] = [];
    const length = 20 + Math.floor(rand() * 200);
    for (let w = 0; w < length; w++) {
      const r = rand();
      abstract.push(r < 0.03 ? pick(ODD_WORDS) : kind === 2 && r < 0.5 ? rareWord() : pick(abstractWords));
    }
    const year = 2012 + Math.floor(rand() * 15);
    const tags = Array.from({ length: Math.floor(rand() * 3) }, () => ({ id: pick(conceptIds), relation: pick(relations) }));
    out.push({
      id: `eq-${i}`,
      title: Array.from({ length: 3 + Math.floor(rand() * 10) }, () => (rand() < 0.1 ? pick(ODD_WORDS) : pick(titleWords))).join(' '),
      abstract: abstract.join(rand() < 0.1 ? ', ' : ' '),
      authors: Array.from({ length: Math.floor(rand() * 6) }, () => pick(authors)),
      authorCount: null,
      date: rand() < 0.9 ? `${year}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}` : null,
      year: rand() < 0.95 ? year : null,
      venue: rand() < 0.8 ? pick(venues) : null,
      arxivId: rand() < 0.5 ? `${2000 + i}.${String(i).padStart(5, '0')}` : null,
      links: rand() < 0.4 ? { code: `https://github.com/example/eq-${i}` } : {},
      concepts: tags as Paper['concepts'],
      sources: [rand() < 0.5 ? 'synthetic-a' : 'synthetic-b'],
      ...(rand() < 0.05 ? { organization: 'Université de Montréal' } : {}),
    });
  }
  return out;
}

/** Queries covering every path of the engine: words, typos, completions, phrases, hints, filters. */
export const EQUIVALENCE_QUERIES: readonly string[] = [
  'focal loss', 'harmonc loss', 'focl', 'cross entropy calibration', 'knowledge distillation', 'metric lear',
  'contrastive', 'scaling laws language models', '"large language models"', 'year:2024 calibration',
  'concept:focal', 'author:mohri', 'has:code distillation', 'CrossEntropyLoss', 'label smoothing',
  'orthogonl projecton', 'robust classification', 'dice', 'sc', 'retrieval year:2020..2023',
  'brebisson', 'Brébisson naive', 'strasse', 'cross-entropy', 'crossentropy', 'focal_loss', 'zloss', 'gpt4',
  '"cross entropy"', '"the loss"', 'title:loss', 'abstract:calibration -focal', 'venue:iclr', 'sort:newest loss',
  'concept:tag-only-concept', 'concept:cross', '-has:code calibration', 'source:synthetic-a loss', 'r2d2',
  'supercalifragilisticexpialidociouslyverylongwordthatgoesonandon', 'montreal', 'universite', 'kelvin',
  'abc', 'istanbul', 'etude', 'self supervised', 'pre', 'lo', 'qz', 'xkcd', 'mnbv', 'a', 'the of',
  'model model model', 'lossses', 'trainng dynamics', '', 'year:2019',
];
