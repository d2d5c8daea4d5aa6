// The agent tools' shared core (src/core/agentTools) on the shipped data and the samples/ workspace:
// the answers agree with the hover card and the checks, bad input gives error answers that say what
// to change, and the VS Code manifest declares exactly the tools the core defines.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { cliAgentContext } from '../../../src/cli/commands/mcp';
import { AGENT_TOOLS, validateToolInput } from '../../../src/core/agentTools/definitions';
import { isStrongMatch } from '../../../src/core/agentTools/matchStrength';
import { resolveConceptName, runAgentTool, type AgentToolContext, type CheckData, type ExplainData, type ImplementationData, type SearchData } from '../../../src/core/agentTools/tools';
import { applyRuleSettings, checkSource } from '../../../src/core/checks/analyze';
import { scanSource } from '../../../src/core/detect/detector';
import { buildHoverCard } from '../../../src/core/hover/card';

const root = path.join(__dirname, '../../..');
const samples = path.join(root, 'samples');
const io = { out: () => {}, err: () => {}, dataDir: path.join(root, 'paper-data'), cwd: samples };

let ctx: AgentToolContext;
let scratch: string;
before(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'paperlens-agent-'));
  writeFileSync(path.join(scratch, 'empty.py'), '\n  \n');
  writeFileSync(path.join(scratch, 'notes.txt'), 'nn.KLDivLoss()\n');
  mkdirSync(path.join(scratch, 'pkg.py'));
  const outside = mkdtempSync(path.join(os.tmpdir(), 'paperlens-outside-'));
  writeFileSync(path.join(outside, 'secret.py'), 'import torch.nn as nn\nnn.KLDivLoss()\n');
  symlinkSync(path.join(outside, 'secret.py'), path.join(scratch, 'link.py'));
  ctx = await cliAgentContext(io, [samples, scratch], []);
});

async function run<T>(name: string, input: unknown): Promise<{ isError: boolean; markdown: string; data?: T }> {
  return (await runAgentTool(name, input, ctx)) as { isError: boolean; markdown: string; data?: T };
}

describe('agent tool definitions', () => {
  it('package.json contributes exactly the core tools, activates on them, and requires VS Code 1.95', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    const contributed = pkg.contributes.languageModelTools as Record<string, unknown>[];
    assert.deepEqual(contributed.map((t) => t.name), AGENT_TOOLS.map((t) => t.name));
    for (const tool of AGENT_TOOLS) {
      const c = contributed.find((t) => t.name === tool.name)!;
      assert.deepEqual(
        { displayName: c.displayName, userDescription: c.userDescription, modelDescription: c.modelDescription, inputSchema: c.inputSchema },
        { displayName: tool.displayName, userDescription: tool.userDescription, modelDescription: tool.modelDescription, inputSchema: JSON.parse(JSON.stringify(tool.inputSchema)) },
        `${tool.name} in package.json differs from src/core/agentTools/definitions.ts`,
      );
      assert.ok(pkg.activationEvents.includes(`onLanguageModelTool:${tool.name}`), `no activation event for ${tool.name}`);
    }
    assert.equal(pkg.engines.vscode, '^1.95.0');
    assert.equal(pkg.devDependencies['@types/vscode'], '1.95.0');
  });

  it('validates input against the schema with messages naming the property', () => {
    const explain = AGENT_TOOLS.find((t) => t.name === 'paperlens_explainLoss')!.inputSchema;
    const search = AGENT_TOOLS.find((t) => t.name === 'paperlens_searchPapers')!.inputSchema;
    assert.equal(validateToolInput(explain, { identifier: 'nn.MSELoss' }), undefined);
    assert.match(validateToolInput(explain, { identifer: 'x' })!, /unknown property `identifer`/);
    assert.match(validateToolInput(explain, { file: 'a.py', line: '3' })!, /`line` must be an integer/);
    assert.match(validateToolInput(explain, { file: 'a.py', line: 0 })!, /`line` must be at least 1/);
    assert.match(validateToolInput(search, {})!, /`query` is required/);
    assert.match(validateToolInput(search, { query: 'x', limit: 500 })!, /at most 25/);
    assert.match(validateToolInput(search, [])!, /JSON object/);
  });
});

describe('paperlens_explainLoss', () => {
  it('resolves the names people write to the registry concept and its qualified name', () => {
    const cases: [string, string, string][] = [
      ['nn.KLDivLoss', 'kl-divergence', 'torch.nn.KLDivLoss'],
      ['F.cross_entropy', 'cross-entropy', 'torch.nn.functional.cross_entropy'],
      ['torch.nn.functional.kl_div', 'kl-divergence', 'torch.nn.functional.kl_div'],
      ['tf.keras.losses.Huber', 'huber', 'keras.losses.Huber'],
      ['CrossEntropyLoss', 'cross-entropy', 'torch.nn.CrossEntropyLoss'],
      ['focal_loss', 'focal', 'focal_loss'],
      ['focal', 'focal', 'focal'],
    ];
    for (const [text, concept, qualified] of cases) {
      const r = resolveConceptName(ctx.registry, text);
      assert.equal(r?.concept.id, concept, text);
      assert.equal(r?.qualifiedName, qualified, text);
    }
    assert.equal(resolveConceptName(ctx.registry, 'frobnicate_loss'), undefined);
  });

  it('agrees with the hover card at every loss in the samples: concept, qualified name, papers in order', async () => {
    for (const file of ['classification/train_cifar.py', 'segmentation/train_unet.py', 'lm/train_lm.py', 'keras/train_keras.py']) {
      const text = readFileSync(path.join(samples, file), 'utf8');
      const scan = scanSource(text, ctx.lossIndex);
      assert.ok(scan.usages.length > 0, file);
      for (const u of scan.usages) {
        const answer = await run<ExplainData>('paperlens_explainLoss', { file, line: u.line, column: u.column });
        assert.equal(answer.isError, false, answer.markdown);
        const e = answer.data!.explanations.find((x) => x.location?.column === u.column)!;
        assert.ok(e, `${file}:${u.line}:${u.column}: no explanation for ${u.expression}`);
        assert.equal(e.concept, u.conceptId);
        assert.equal(e.qualifiedName, u.qualifiedName);
        const concept = ctx.registry.get(u.conceptId)!;
        const papers = ctx.registry.papersFor(concept.id, ctx.corpus.papers);
        const card = buildHoverCard({
          concept, usage: u, parameter: (id, n, fw) => ctx.registry.parameter(id, n, fw), papers,
          relatedPapers: papers.length || concept.origin ? [] : ctx.registry.related(concept.id).flatMap((r) => ctx.registry.papersFor(r.id, ctx.corpus.papers).map((link) => ({ conceptName: r.name, link }))),
          maxPapers: 5, formula: { kind: 'source', latex: concept.formula.latex, reason: 'unavailable' } as never, commandLink: () => 'command:x',
        });
        assert.deepEqual(e.papers.map((p) => p.id), card.paperIds, `${file}:${u.line}: papers differ from the hover's`);
        assert.match(answer.markdown, new RegExp(concept.name.replace(/[()[\].*+?^$|\\]/g, '\\$&')));
        assert.doesNotMatch(answer.markdown, /command:/);
      }
    }
  });

  it('follows a name imported from the workspace\'s own package, as the hover does (samples/rlhf)', async () => {
    const answer = await run<ExplainData>('paperlens_explainLoss', { file: 'rlhf/train_ppo.py', line: 8 });
    assert.equal(answer.isError, false, answer.markdown);
    assert.deepEqual(answer.data!.explanations.map((e) => e.concept), ['ppo-clip']);
    const checked = await run('paperlens_checkCode', { file: 'rlhf/train_ppo.py' });
    assert.match(checked.markdown, /`ppo-clip`/, 'the losses checked include the imported one');
  });

  it('explains the arguments of a call, with the default and the pitfall', async () => {
    const answer = await run<ExplainData>('paperlens_explainLoss', { identifier: 'nn.KLDivLoss(reduction="mean")' });
    assert.equal(answer.isError, false, answer.markdown);
    const [e] = answer.data!.explanations;
    assert.equal(e.concept, 'kl-divergence');
    const reduction = e.arguments.find((a) => a.name === 'reduction')!;
    assert.equal(reduction.value, '"mean"');
    assert.equal(reduction.default, ctx.registry.parameter('kl-divergence', 'reduction', 'pytorch')!.defaults.pytorch);
    assert.match(reduction.pitfall!, /batchmean/);
    assert.match(answer.markdown, /assumed/);
    assert.match(e.formula.latex, /\\mathrm\{KL\}/);
    assert.equal(e.location?.line, 1, 'lines count from the code as given, not the assumed imports');
  });

  it('gives every loss on a line when no column is given, and finds losses in notebook cells', async () => {
    const line = await run<ExplainData>('paperlens_explainLoss', { file: 'classification/train_cifar.py', line: 46 });
    assert.deepEqual(line.data!.explanations.map((e) => e.concept), ['cross-entropy', 'label-smoothing']);
    const cell = await run<ExplainData>('paperlens_explainLoss', { file: 'notebooks/regression_losses.ipynb', cell: 3, line: 4 });
    assert.equal(cell.isError, false, cell.markdown);
    assert.equal(cell.data!.explanations[0].qualifiedName, 'torch.nn.HuberLoss');
    assert.equal(cell.data!.explanations[0].location?.cell, 3);
  });

  it('answers bad input with an error that says what to change', async () => {
    const cases: [unknown, RegExp][] = [
      [{ identifier: 'frobnicate_loss' }, /knows no loss called "frobnicate_loss"\. Closest known:/],
      [{ file: '../package.json', line: 1 }, /outside the workspace/],
      [{ file: path.join(root, 'src/extension.ts'), line: 1 }, /outside the workspace/],
      [{ file: path.join(scratch, 'link.py'), line: 2 }, /symbolic link/],
      [{ file: path.join(scratch, 'empty.py'), line: 1 }, /empty\.py" is empty/],
      [{ file: path.join(scratch, 'notes.txt'), line: 1 }, /not a Python file/],
      [{ file: path.join(scratch, 'pkg.py'), line: 1 }, /is a directory/],
      [{ file: 'classification/missing.py', line: 1 }, /cannot read "classification\/missing\.py": no such file/],
      [{ file: 'classification/train_cifar.py' }, /needs a 1-based `line`/],
      [{ file: 'classification/train_cifar.py', line: 9999 }, /has \d+ lines; line 9999 does not exist/],
      [{ file: 'classification/train_cifar.py', line: 6 }, /no loss at classification\/train_cifar\.py:6\. Nearest losses:/],
      [{ file: 'classification/train_cifar.py', line: 46, column: 2 }, /Losses on line 46: `nn\.CrossEntropyLoss` at column 24/],
      [{ file: 'notebooks/regression_losses.ipynb', line: 2 }, /is a notebook: give `cell`/],
      [{ identifier: 'nn.MSELoss', code: 'x' }, /exactly one of/],
      [{ code: 'x = 1\n' }, /found no loss in the code/],
    ];
    for (const [input, expected] of cases) {
      const answer = await run('paperlens_explainLoss', input);
      assert.equal(answer.isError, true, JSON.stringify(input));
      assert.match(answer.markdown, expected, JSON.stringify(input));
      assert.match(answer.markdown, /^Error: /);
    }
    assert.match((await run('paperlens_nope', {})).markdown, /unknown tool "paperlens_nope"/);
  });
});

describe('paperlens_checkCode', () => {
  const BUGGY = 'kl = nn.KLDivLoss()\ndef step(logits, y):\n    return F.cross_entropy(F.softmax(logits, dim=1), y)\n';

  it('reports the checks\' findings for a fragment, at the fragment\'s own lines, with edits that fix them', async () => {
    const answer = await run<CheckData>('paperlens_checkCode', { code: BUGGY });
    assert.equal(answer.isError, false, answer.markdown);
    const findings = answer.data!.findings;
    assert.deepEqual(findings.map((f) => [f.rule, f.line, f.column]), [['kl-div-mean', 1, 9], ['softmax-before-ce', 3, 28]]);
    // Apply each preferred fix by its line/column edits: the result is the fixed code.
    const lines = BUGGY.split('\n');
    for (const f of [...findings].reverse()) {
      const fix = f.fixes.find((x) => x.preferred)!;
      for (const e of fix.edits) {
        assert.equal(e.line, e.endLine);
        const l = lines[e.line - 1];
        lines[e.line - 1] = l.slice(0, e.column - 1) + e.newText + l.slice(e.endColumn - 1);
      }
    }
    assert.deepEqual(lines.slice(0, 3), ['kl = nn.KLDivLoss(reduction="batchmean")', 'def step(logits, y):', '    return F.cross_entropy(logits, y)']);
    assert.match(answer.markdown, /`kl-div-mean` \(warning\) at line 1, column 9/);
  });

  it('reports what the editor diagnostics report for a file (same rules, lines and messages)', async () => {
    const text = `import torch.nn as nn\nimport torch.nn.functional as F\n${BUGGY}`;
    writeFileSync(path.join(scratch, 'buggy.py'), text);
    const answer = await run<CheckData>('paperlens_checkCode', { file: path.join(scratch, 'buggy.py') });
    const expected = applyRuleSettings(checkSource(text, scanSource(text, ctx.lossIndex)));
    assert.deepEqual(answer.data!.findings.map((f) => [f.rule, f.line, f.column, f.endLine, f.endColumn, f.message]), expected.map((f) => [f.rule, f.line, f.column, f.endLine, f.endColumn, f.message]));
    assert.equal(answer.data!.file, 'buggy.py');
  });

  it('says when nothing is wrong, and which losses it looked at', async () => {
    const answer = await run<CheckData>('paperlens_checkCode', { file: 'classification/train_cifar.py' });
    assert.equal(answer.isError, false);
    assert.deepEqual(answer.data!.findings, []);
    assert.match(answer.markdown, /No loss bugs found in `classification\/train_cifar\.py`\. Losses checked: .*`kl-divergence`/);
  });

  it('checks notebooks cell by cell, naming the cell of each finding', async () => {
    const nb = { cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# KD'] },
      { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['import torch.nn as nn\n'] },
      { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['kl = nn.KLDivLoss()\n'] },
    ], metadata: { kernelspec: { language: 'python', name: 'python3', display_name: 'Python 3' } }, nbformat: 4, nbformat_minor: 5 };
    writeFileSync(path.join(scratch, 'kd.ipynb'), JSON.stringify(nb));
    const answer = await run<CheckData>('paperlens_checkCode', { file: path.join(scratch, 'kd.ipynb') });
    assert.equal(answer.isError, false, answer.markdown);
    assert.deepEqual(answer.data!.findings.map((f) => [f.rule, f.cell, f.line]), [['kl-div-mean', 2, 1]]);
    assert.match(answer.markdown, /`kl-div-mean` \(warning\) at cell 2, line 1, column 9/);
  });

  it('refuses empty files and code, and paths outside the workspace', async () => {
    for (const [input, expected] of [
      [{ file: path.join(scratch, 'empty.py') }, /is empty/],
      [{ code: '   ' }, /`code` must not be empty/],
      [{ file: '/etc/passwd' }, /outside the workspace/],
      [{}, /exactly one of `file` or `code`/],
    ] as [unknown, RegExp][]) {
      const answer = await run('paperlens_checkCode', input);
      assert.equal(answer.isError, true, JSON.stringify(input));
      assert.match(answer.markdown, expected);
    }
  });
});

describe('paperlens_getImplementation and paperlens_searchPapers', () => {
  it('returns the verified snippet with its imports and paper, by id or by function name', async () => {
    for (const concept of ['focal', 'focal_loss']) {
      const answer = await run<ImplementationData>('paperlens_getImplementation', { concept });
      assert.equal(answer.isError, false, answer.markdown);
      assert.equal(answer.data!.concept, 'focal');
      assert.ok(answer.data!.imports.includes('import torch.nn.functional as F'));
      assert.equal(answer.data!.papers[0].arxivId, '1708.02002');
      assert.ok(answer.markdown.includes(answer.data!.code.trimEnd()));
    }
  });

  it('says when there is no implementation, naming the library identifiers instead', async () => {
    const answer = await run('paperlens_getImplementation', { concept: 'mse' });
    assert.equal(answer.isError, true);
    assert.match(answer.markdown, /no verified pytorch implementation of Mean squared error.*`torch\.nn\.MSELoss`/);
    assert.match((await run('paperlens_getImplementation', { concept: 'zzz' })).markdown, /knows no loss called "zzz"/);
    // JAX and Keras ship for some concepts: a concept with only a PyTorch file says so for JAX.
    const kto = await run('paperlens_getImplementation', { concept: 'kto', framework: 'jax' });
    assert.equal(kto.isError, true);
    assert.match(kto.markdown, /no verified jax implementation of/);
    const jaxFocal = await run('paperlens_getImplementation', { concept: 'focal', framework: 'jax' });
    assert.equal(jaxFocal.isError, false);
    assert.match(jaxFocal.markdown, /import jax\.numpy as jnp/);
    assert.doesNotMatch(jaxFocal.markdown, /import torch/);
    assert.match((await run('paperlens_getImplementation', { concept: 'focal', framework: 'tensorflow' })).markdown, /`framework` must be one of `pytorch`, `jax`, `keras`/);
  });

  it('returns the search index\'s papers in its order, with citation keys and match strength', async () => {
    const answer = await run<SearchData>('paperlens_searchPapers', { query: 'concept:focal', limit: 3 });
    const index = await ctx.searchIndex();
    const direct = index.search('concept:focal', { limit: 3 });
    assert.deepEqual(answer.data!.papers.map((p) => p.id), direct.hits.map((h) => h.paper.id));
    assert.ok(answer.data!.papers.every((p) => p.strong), 'a hints-only query filters exactly: every hit is strong');
    for (const p of answer.data!.papers) assert.equal(p.bibtexKey, ctx.corpus.citationKey(ctx.corpus.get(p.id)!));
    assert.equal((await run('paperlens_searchPapers', { query: '-' })).isError, true);
  });

  it('calls a hit strong or weak exactly as the search does (no paper is about the query: all weak)', async () => {
    const none = (await run('paperlens_searchPapers', { query: 'weather forecasting transformer' })).data as SearchData;
    assert.ok(none.papers.length > 0);
    assert.ok(none.papers.every((p) => !p.strong), 'no paper is about weather forecasting');
    const index = await ctx.searchIndex();
    const direct = index.search('focal dice', { limit: 10 });
    assert.deepEqual(direct.hits.map((h) => isStrongMatch(h, direct)), direct.hits.map((h) => h.match === 'strong'));
  });
});

describe('agent tools and the user\'s corpus', () => {
  it('search and explain include papers from --corpus files, cited by the user\'s own key', async () => {
    const bib = path.join(scratch, 'refs.bib');
    writeFileSync(bib, '@article{mylab2024focal,\n  title = {Calibrated Focal Loss for Long-Tailed Segmentation},\n  author = {Doe, Jane and Roe, Richard},\n  year = {2024},\n  journal = {Journal of Examples}\n}\n');
    const withUser = await cliAgentContext({ ...io, cwd: scratch }, [samples], [bib]);
    const found = (await runAgentTool('paperlens_searchPapers', { query: 'calibrated focal long-tailed' }, withUser)).data as SearchData;
    assert.equal(found.papers[0].title, 'Calibrated Focal Loss for Long-Tailed Segmentation');
    assert.equal(found.papers[0].bibtexKey, 'mylab2024focal');
    assert.equal(found.papers[0].strong, true);
    // Inferred from its title, the paper joins the focal loss's papers, as it does in the hover.
    const focal = (await runAgentTool('paperlens_explainLoss', { identifier: 'focal' }, withUser)).data as ExplainData;
    const all = withUser.registry.papersFor('focal', withUser.corpus.papers).map((l) => l.paper.title);
    assert.ok(all.includes('Calibrated Focal Loss for Long-Tailed Segmentation'), 'the user paper is tagged focal');
    assert.deepEqual(focal.explanations[0].papers.map((p) => p.title), all.slice(0, focal.explanations[0].papers.length));
  });
});

describe('layering', () => {
  it('the tools\' core imports neither vscode nor a front end', () => {
    const dir = path.join(root, 'src/core/agentTools');
    for (const f of readdirSync(dir)) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      assert.doesNotMatch(text, /from ['"]vscode['"]|require\(['"]vscode['"]\)/, `${f} imports vscode`);
      assert.doesNotMatch(text, /from ['"][./]*(?:editor|cli|panel)\//, `${f} imports a front end`);
      assert.doesNotMatch(text, /@modelcontextprotocol|from ['"]zod['"]/, `${f} imports the MCP SDK (it belongs in the CLI bundle only)`);
    }
  });
});
