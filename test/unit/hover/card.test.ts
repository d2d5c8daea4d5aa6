// The hover card markdown, built from core data: order of sections, arguments of this call,
// defaults and pitfalls, papers, allowlisted actions, and the formula fallbacks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import path from 'node:path';
import { loadConceptDir } from '../../../src/core/concepts/load';
import { ConceptRegistry } from '../../../src/core/concepts/registry';
import { loadShippedCorpus } from '../../../src/core/dataFiles';
import { CARD_COMMANDS, buildHoverCard, concernsFramework, hoverCardMarkdown, shortAuthors, type CardUsage, type HoverCardInput } from '../../../src/core/hover/card';
import { codeSpan, escapeMarkdown, link } from '../../../src/core/hover/markdown';
import { HOVER_COMMANDS, commandLink } from '../../../src/services/commandLinks';
import type { FormulaView } from '../../../src/core/formula/formulaStore';
import { crossEntropy, focal, papers } from './card/fixtures';

const registry = new ConceptRegistry([crossEntropy, focal]);
const IMAGE: FormulaView = { kind: 'image', uri: 'data:image/svg+xml;base64,PHN2Zz4=', width: 100, height: 20, latex: 'x' };

function kw(name: string, value: string) {
  return { kind: 'keyword' as const, name, value, start: 0, end: 0, valueStart: 0 };
}

function input(overrides: Partial<HoverCardInput> & { usage?: CardUsage } = {}): HoverCardInput {
  const concept = overrides.concept ?? crossEntropy;
  return {
    concept,
    usage: {
      identifier: 'CrossEntropyLoss',
      qualifiedName: 'torch.nn.CrossEntropyLoss',
      framework: 'pytorch',
      role: 'call',
      call: { arguments: [kw('label_smoothing', '0.1')] },
    },
    parameter: (id, name, fw) => registry.parameter(id, name, fw),
    papers: registry.papersFor(concept.id, papers),
    maxPapers: 3,
    formula: IMAGE,
    snippet: { id: 'cross-entropy/pytorch' },
    commandLink,
    ...overrides,
  };
}

describe('buildHoverCard', () => {
  it('puts the sections in the order of the issue', () => {
    const md = hoverCardMarkdown(buildHoverCard(input()));
    const order = ['**Cross-entropy**', '![Formula of Cross-entropy](data:image/svg+xml', '- `label_smoothing=0.1`', '**Defaults**', '- ⚠️ Takes logits', '- [Rethinking the Inception', 'Insert implementation'];
    let last = -1;
    for (const marker of order) {
      const at = md.indexOf(marker);
      assert.ok(at > last, `${marker} after the previous section\n${md}`);
      last = at;
    }
  });

  it('names the concept and the qualified name it resolved to, and an alias', () => {
    const plain = buildHoverCard(input()).sections[0];
    assert.match(plain, /^\*\*Cross-entropy\*\* · `torch\.nn\.CrossEntropyLoss`\n/);
    const aliased = buildHoverCard(input({ usage: { identifier: 'CE', qualifiedName: 'torch.nn.CrossEntropyLoss', framework: 'pytorch', role: 'reference' } })).sections[0];
    assert.match(aliased, /`torch\.nn\.CrossEntropyLoss` _\(as `CE`\)_/);
    const handwritten = buildHoverCard(input({ concept: focal, usage: { identifier: 'focal_loss', qualifiedName: 'focal_loss', framework: 'handwritten', role: 'definition' } })).sections[0];
    assert.match(handwritten, /^\*\*Focal loss\*\* · `focal_loss` _\(defined here\)_/);
  });

  it('says in a short phrase how the detector recognised the name (issue 15)', () => {
    const header = (usage: CardUsage) => buildHoverCard(input({ concept: focal, usage })).sections[0].split('\n')[0];
    assert.match(header({ identifier: 'naive_focal', qualifiedName: 'naive_focal', framework: 'handwritten', role: 'definition', how: 'definition' }), /_\(defined here\)_$/);
    assert.match(header({ identifier: 'FocalLoss', qualifiedName: 'FocalLoss', framework: 'handwritten', role: 'import', how: 'local' }), /_\(your code, defined or imported in this file\)_$/);
    assert.match(header({ identifier: 'sigmoid_focal', qualifiedName: 'sigmoid_focal', framework: 'handwritten', role: 'call', how: 'name' }), /_\(recognised by its name\)_$/);
    const string = buildHoverCard(input({ usage: { identifier: 'sparse_categorical_crossentropy', qualifiedName: 'keras.losses.sparse_categorical_crossentropy', framework: 'keras', role: 'reference', how: 'string' } })).sections[0].split('\n')[0];
    assert.match(string, /`keras\.losses\.sparse_categorical_crossentropy` _\(named by the string: `"sparse_categorical_crossentropy"`\)_$/);
  });

  it('names a keyword parameter and the call it belongs to', () => {
    const usage: CardUsage = { identifier: 'label_smoothing', qualifiedName: 'torch.nn.CrossEntropyLoss(label_smoothing=…)', framework: 'pytorch', role: 'reference', kind: 'parameter' };
    const header = buildHoverCard(input({ usage })).sections[0];
    assert.match(header, /^\*\*Cross-entropy\*\* · `label_smoothing=` of `torch\.nn\.CrossEntropyLoss`\n/);
  });

  it('shortens long author lists of an origin', () => {
    assert.equal(shortAuthors('Tsung-Yi Lin, Priya Goyal, Ross Girshick'), 'Lin et al.');
    assert.equal(shortAuthors('Lin et al.'), 'Lin et al.');
    assert.equal(shortAuthors('Peter J. Huber'), 'Peter J. Huber');
    assert.equal(shortAuthors('Ada Lovelace and Alan Turing'), 'Ada Lovelace and Alan Turing');
  });

  it('explains the arguments of this call, with the default and the pitfall', () => {
    const md = hoverCardMarkdown(buildHoverCard(input()));
    assert.match(md, /- `label_smoothing=0\.1` — Mixes the one-hot target with a uniform distribution over classes\. \(default `0\.0`\) ⚠️ PyTorch gives ε\/K to every class/);
  });

  it('skips keywords the registry does not describe and positional arguments', () => {
    const usage: CardUsage = {
      identifier: 'cross_entropy', qualifiedName: 'torch.nn.functional.cross_entropy', framework: 'pytorch', role: 'call',
      call: { arguments: [{ kind: 'positional', value: 'logits', start: 0, end: 0, valueStart: 0 }, kw('mystery', '1')] },
    };
    const md = hoverCardMarkdown(buildHoverCard(input({ usage })));
    assert.doesNotMatch(md, /mystery|`logits/);
    assert.equal(buildHoverCard(input({ usage })).sections[1].startsWith('**Defaults**'), true);
  });

  it('lists defaults not set by the call, pitfall-bearing ones first, for the usage’s framework', () => {
    const md = hoverCardMarkdown(buildHoverCard(input()));
    const line = md.split('\n').find((l) => l.startsWith('**Defaults**'))!;
    assert.equal(line, "**Defaults** `ignore_index=-100` · `reduction='mean'` · `weight=None`");
    assert.doesNotMatch(line, /label_smoothing|from_logits/);
  });

  it('uses the paper’s defaults for hand-written code', () => {
    const usage: CardUsage = { identifier: 'focal_loss', qualifiedName: 'focal_loss', framework: 'handwritten', role: 'call', call: { arguments: [] } };
    const md = hoverCardMarkdown(buildHoverCard(input({ concept: focal, usage, papers: [] })));
    assert.match(md, /\*\*Paper defaults\*\* `gamma=2` · `alpha=0\.25`/);
  });

  it('does not repeat a pitfall already shown next to an argument', () => {
    const md = hoverCardMarkdown(buildHoverCard(input()));
    assert.equal(md.split('PyTorch gives ε/K to every class').length - 1, 1);
    assert.match(md, /\n\n- ⚠️ Takes logits: applying softmax first silently trains a different loss\./);
  });

  it('leaves out pitfalls about other libraries', () => {
    const concept = { ...crossEntropy, pitfalls: [...crossEntropy.pitfalls, { text: 'optax losses return per-example values; take .mean() yourself.', source: 'docs' }, { text: 'Keras losses take probabilities unless from_logits=True.', source: 'docs' }] };
    const torchCard = hoverCardMarkdown(buildHoverCard(input({ concept })));
    assert.doesNotMatch(torchCard, /optax|Keras losses/);
    const kerasUsage: CardUsage = { identifier: 'CategoricalCrossentropy', qualifiedName: 'keras.losses.CategoricalCrossentropy', framework: 'keras', role: 'call' };
    assert.match(hoverCardMarkdown(buildHoverCard(input({ concept, usage: kerasUsage }))), /Keras losses take probabilities/);
    assert.equal(concernsFramework('PyTorch and Keras differ here.', 'keras'), true);
    assert.equal(concernsFramework('Hugging Face heads shift labels.', 'pytorch'), true);
    assert.equal(concernsFramework('No library named.', 'optax'), true);
    assert.equal(concernsFramework('optax returns per-example values.', 'handwritten'), true);
    // The PyTorch-based libraries share the PyTorch family: their own pitfalls are shown under their calls.
    assert.equal(concernsFramework('pytorch_msssim defaults to data_range=255.', 'pytorch-msssim'), true);
    assert.equal(concernsFramework('Keep the torch feature network frozen.', 'piq'), true);
    assert.equal(concernsFramework('kornia returns (1 - SSIM)/2.', 'kornia'), true);
    assert.equal(concernsFramework('kornia returns (1 - SSIM)/2.', 'keras'), false);
    // PyTorch-based libraries follow torch's conventions; KerasCV follows Keras.
    assert.equal(concernsFramework('Detach z first (torch.no_grad or z.detach()).', 'lightly'), true);
    assert.equal(concernsFramework('mmdet averages; torchvision returns one loss per pair.', 'mmdet'), true);
    assert.equal(concernsFramework('lightly does not detach its second argument.', 'keras'), false);
    assert.equal(concernsFramework('KerasCV requires bounding_box_format.', 'keras-cv'), true);
    assert.equal(concernsFramework('torchvision defaults to reduction="none".', 'keras-cv'), false);
  });

  it('lists the top papers, ranked, with venue, relation and links, and says how many more', () => {
    const card = buildHoverCard(input({ maxPapers: 2 }));
    const md = hoverCardMarkdown(card);
    assert.deepEqual(card.paperIds, ['1512.00567', '2411.09009']);
    assert.match(md, /- \[Rethinking the Inception Architecture \\\[for\\\] \\\*Computer\\\* Vision\]\(https:\/\/arxiv\.org\/abs\/1512\.00567 "Open the paper"\) — 2016 · CVPR · _introduces_ · \[HF\]\(https:\/\/huggingface\.co\/papers\/1512\.00567 "Hugging Face paper page"\)/);
    assert.match(md, /- \[Cut Your Losses in Large-Vocabulary Language Models\]\(https:\/\/arxiv\.org\/abs\/2411\.09009 "Open the paper"\) — ICLR 2025 · _studies_ · \[code\]\(https:\/\/github\.com\/apple\/ml-cross-entropy "Official code"\)/);
    assert.match(md, /_2 more in the sidebar_/);
  });

  it('marks inferred links', () => {
    const md = hoverCardMarkdown(buildHoverCard(input({ maxPapers: 10 })));
    assert.match(md, /A study that only might be about CE\]\([^)]*\) — 2023 · _studies \(inferred\)_/);
  });

  it('lists a classic origin outside the corpus first', () => {
    const usage: CardUsage = { identifier: 'sigmoid_focal_loss', qualifiedName: 'torchvision.ops.sigmoid_focal_loss', framework: 'torchvision', role: 'call', call: { arguments: [] } };
    const card = buildHoverCard(input({ concept: focal, usage, papers: registry.papersFor('focal', papers), snippet: undefined }));
    const md = hoverCardMarkdown(card);
    assert.match(md, /---\n\n- \[Focal Loss for Dense Object Detection\]\(https:\/\/arxiv\.org\/abs\/1708\.02002 "Open the paper"\) — Lin et al\. · 2017 · _origin_/);
    assert.doesNotMatch(md, /Copy BibTeX/, 'no corpus paper to copy');
    assert.doesNotMatch(md, /Insert implementation/, 'no snippet');
  });

  it('lists the shipped classic itself, first, once the classics collection has the origin paper', () => {
    const dataDir = path.join(__dirname, '../../../paper-data');
    const real = new ConceptRegistry(loadConceptDir(path.join(dataDir, 'concepts')).concepts);
    const { corpus } = loadShippedCorpus(dataDir);
    const realFocal = real.get('focal')!;
    const usage: CardUsage = { identifier: 'sigmoid_focal_loss', qualifiedName: 'torchvision.ops.sigmoid_focal_loss', framework: 'torchvision', role: 'call', call: { arguments: [] } };
    const card = buildHoverCard(input({ concept: realFocal, usage, parameter: (id, name, fw) => real.parameter(id, name, fw), papers: real.papersFor('focal', corpus.papers), snippet: undefined }));
    const md = hoverCardMarkdown(card);
    assert.equal(card.paperIds[0], '1708.02002');
    assert.match(md, /---\n\n- \[Focal Loss for Dense Object Detection\]\(https:\/\/arxiv\.org\/abs\/1708\.02002 "Open the paper"\) — ICCV 2017 · _introduces_ · \[code\]/);
    assert.doesNotMatch(md, /_origin_/, 'the origin is the corpus paper, not listed twice');
    assert.match(md, /Copy BibTeX\]\(command:paperlens\.copyBibtex\?[^)]*1708\.02002/);
  });

  it('hides the paper list when maxPapers is 0', () => {
    const card = buildHoverCard(input({ maxPapers: 0 }));
    assert.doesNotMatch(hoverCardMarkdown(card), /arxiv\.org/);
    assert.deepEqual(card.paperIds, []);
  });

  it('links only allowlisted PaperLens commands, with JSON arguments', () => {
    const card = buildHoverCard(input());
    const md = hoverCardMarkdown(card);
    const linked = [...md.matchAll(/\]\((command:[^)\s]+)/g)].map((m) => m[1]);
    assert.ok(linked.length >= 3);
    for (const uri of linked) {
      const command = uri.slice('command:'.length).split('?')[0];
      assert.ok((HOVER_COMMANDS as readonly string[]).includes(command), command);
    }
    for (const command of CARD_COMMANDS) assert.ok((HOVER_COMMANDS as readonly string[]).includes(command));
    const insert = linked.find((u) => u.startsWith('command:paperlens.insertSnippet?'))!;
    assert.deepEqual(JSON.parse(decodeURIComponent(insert.split('?')[1])), [{ conceptId: 'cross-entropy' }]);
    const show = linked.find((u) => u.startsWith('command:paperlens.showConcept?'))!;
    assert.deepEqual(JSON.parse(decodeURIComponent(show.split('?')[1])), ['cross-entropy']);
    const actions = card.sections[card.sections.length - 1];
    assert.match(actions, /^\[\$\(insert\) Insert implementation\]\(command:paperlens\.insertSnippet\?.*\[\$\(book\) Show in sidebar\].*\[\$\(copy\) Copy BibTeX\]\(command:paperlens\.copyBibtex\?%5B%221512\.00567%22%5D "Copy the BibTeX of “Rethinking/);
    assert.deepEqual(new Set(card.commands), new Set(CARD_COMMANDS));
  });

  it("names the file's framework in the insert action", () => {
    const actions = buildHoverCard(input({ snippet: { id: 'cross-entropy', frameworkLabel: 'JAX' } })).sections.at(-1)!;
    assert.match(actions, /^\[\$\(insert\) Insert JAX implementation\]\(command:paperlens\.insertSnippet\?/);
  });

  it("says when the file's framework has no implementation and offers the others with their framework", () => {
    const card = buildHoverCard(input({
      snippet: { id: 'cross-entropy', frameworkLabel: 'Keras', missing: true, others: [{ framework: 'pytorch', label: 'PyTorch' }, { framework: 'jax', label: 'JAX' }] },
    }));
    const actions = card.sections.at(-1)!;
    assert.match(actions, /^_No verified Keras implementation yet_ · \[\$\(insert\) Insert PyTorch implementation\]/);
    const inserts = [...actions.matchAll(/\((command:paperlens\.insertSnippet\?[^)\s]+)/g)].map((m) => JSON.parse(decodeURIComponent(m[1].split('?')[1])));
    assert.deepEqual(inserts, [[{ conceptId: 'cross-entropy', framework: 'pytorch' }], [{ conceptId: 'cross-entropy', framework: 'jax' }]]);
    assert.doesNotMatch(actions, /Insert Keras implementation/);
  });

  it('shows the LaTeX source when the formula is pending or does not parse, never an empty image', () => {
    const pending = buildHoverCard(input({ formula: { kind: 'source', latex: 'a`b', reason: 'pending' } })).sections[0];
    assert.match(pending, /``a`b`` _\(rendering…\)_/);
    assert.doesNotMatch(pending, /!\[/);
    const broken = buildHoverCard(input({ formula: { kind: 'source', latex: '\\frac{', reason: 'error', error: 'Missing close brace' } })).sections[0];
    assert.match(broken, /`\\frac\{` _\(not rendered\)_/);
  });

  it('says when a formula is not verified, with its note', () => {
    const usage: CardUsage = { identifier: 'focal_loss', qualifiedName: 'focal_loss', framework: 'handwritten', role: 'call' };
    const md = buildHoverCard(input({ concept: focal, usage })).sections[0];
    assert.match(md, /_Formula not checked against the original code; torchvision uses alpha=-1 to switch weighting off_/);
  });

  it('is deterministic', () => {
    assert.equal(hoverCardMarkdown(buildHoverCard(input())), hoverCardMarkdown(buildHoverCard(input())));
  });
});

describe('hover markdown helpers', () => {
  it('escapes markdown in prose', () => {
    assert.equal(escapeMarkdown('a *b* [c](d) <e> _f_ & g'), 'a \\*b\\* \\[c\\]\\(d\\) \\<e\\> \\_f\\_ \\& g');
    assert.equal(escapeMarkdown('- starts a list'), '\\- starts a list');
    assert.equal(escapeMarkdown('# not a heading, 1+1'), '\\# not a heading, 1+1');
    assert.equal(escapeMarkdown('1. starts a list'), '1\\. starts a list');
    assert.equal(escapeMarkdown('two\nlines'), 'two lines');
  });

  it('makes code spans that survive backticks', () => {
    assert.equal(codeSpan('x=1'), '`x=1`');
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`a`'), '`` `a` ``');
    assert.equal(codeSpan('f(\n  x)'), '`f( x)`');
  });

  it('only links http(s) and command URIs, encoding parentheses', () => {
    assert.equal(link('x', 'javascript:alert(1)'), 'x');
    assert.equal(link('x', 'https://e.org/a_(b)'), '[x](https://e.org/a_%28b%29)');
    assert.equal(link('x', 'command:a', 'say "hi"'), '[x](command:a "say \\"hi\\"")');
  });
});

describe('papers on related losses', () => {
  const l1 = { ...focal, id: 'l1', name: 'L1 loss', origin: undefined, related: ['cross-entropy'] };

  it('fills in when the loss has no paper and no origin, and says so', () => {
    const related = registry.papersFor('cross-entropy', papers).map((link) => ({ conceptName: 'Cross-entropy', link }));
    const usage: CardUsage = { identifier: 'L1Loss', qualifiedName: 'torch.nn.L1Loss', framework: 'pytorch', role: 'call' };
    const card = buildHoverCard(input({ concept: l1, usage, papers: [], relatedPapers: related, maxPapers: 2, snippet: undefined }));
    const md = hoverCardMarkdown(card);
    assert.match(md, /\*\*Papers on related losses\*\*\n\n- \[Rethinking the Inception Architecture[^\n]* — 2016 · CVPR · _introduces Cross-entropy_/);
    assert.match(md, /_2 more in the sidebar_/);
    assert.doesNotMatch(md, /Copy BibTeX\]/, 'the card’s own Copy BibTeX is not offered for a related paper');
  });

  it('is not used when the loss has papers of its own', () => {
    const related = [{ conceptName: 'Focal loss', link: { paper: papers[1], relation: 'studies' as const, inferred: false } }];
    const md = hoverCardMarkdown(buildHoverCard(input({ relatedPapers: related })));
    assert.doesNotMatch(md, /related losses/);
  });
});
