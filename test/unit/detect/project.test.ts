/**
 * Names imported from the project's own modules (src/core/detect/project.ts): the detector follows
 * `from pkg import PolicyLoss` into the file that defines or re-exports it, as `paperlens scan` of a
 * tree does; where an import's module may live (src/core/python/modulePaths.ts). The package below
 * is written for this test, in the shape of real packages (an `__init__.py` that re-exports from
 * `.losses`, a trainer that imports from the package).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import type { ScanJsonOutput } from '../../../src/cli/commands/scan';
import { loadConcepts } from '../../../src/core/concepts/load';
import { ProjectLosses, scanSource } from '../../../src/core/detect/detector';
import { buildLossIndex } from '../../../src/core/detect/lossIndex';
import { moduleFileCandidates } from '../../../src/core/python/modulePaths';

const root = path.resolve(__dirname, '..', '..', '..');
const { concepts } = loadConcepts(path.join(root, 'paper-data', 'generated', 'concepts.json'));
const index = buildLossIndex(concepts);

const FILES: Record<string, string> = {
  'rl/__init__.py': 'from .losses import PolicyLoss, PairwiseRankLoss, running_mean\nfrom .models import Actor\n\n__all__ = ["PolicyLoss", "PairwiseRankLoss", "Actor"]\n',
  'rl/losses.py': [
    'import torch',
    'from torch import nn',
    '',
    '',
    'class PolicyLoss(nn.Module):',
    '    """Policy loss for PPO, the clipped surrogate."""',
    '',
    '    def forward(self, ratio, adv, eps=0.2):',
    '        return -torch.min(ratio * adv, ratio.clamp(1 - eps, 1 + eps) * adv).mean()',
    '',
    '',
    'class PairwiseRankLoss(nn.Module):',
    '    """Pairwise loss for reward model training."""',
    '',
    '',
    'def running_mean(x):',
    '    return x.mean()',
    '',
  ].join('\n'),
  'rl/models.py': 'from torch import nn\n\n\nclass Actor(nn.Module):\n    pass\n',
  'rl/trainers/ppo.py': [
    'import torch.nn.functional as F',
    'from rl import PolicyLoss, running_mean',
    'from ..models import Actor',
    'from ..losses import PairwiseRankLoss as RankLoss',
    '',
    '',
    'def step(actor: Actor, ratio, adv, logits, labels):',
    '    loss = PolicyLoss()(ratio, adv) + RankLoss()(logits, labels)',
    '    return loss + F.cross_entropy(logits, labels) + running_mean(adv)',
    '',
  ].join('\n'),
  // An import cycle: each module imports the other.
  'cyc/a.py': 'from cyc.b import AnchorLoss\n\n\nclass MaskLoss:\n    """Dice loss over the masks."""\n',
  'cyc/b.py': 'from cyc.a import MaskLoss\n\n\nclass AnchorLoss:\n    """Focal loss over the anchors."""\n',
};

function project(): ProjectLosses {
  return new ProjectLosses(index, (p) => FILES[p], '');
}

function usages(file: string, withProject: boolean): string[] {
  const scan = scanSource(FILES[file], index, withProject ? { project: project().importsOf(file) } : {});
  return scan.usages.map((u) => `${u.line}:${u.identifier}:${u.conceptId}:${u.how}`);
}

describe('where an import\'s module may live', () => {
  it('a relative import is next to the file, or one folder up per extra dot', () => {
    assert.deepEqual(moduleFileCandidates('rl/trainers/ppo.py', '.util'), ['rl/trainers/util.py', 'rl/trainers/util/__init__.py']);
    assert.deepEqual(moduleFileCandidates('rl/trainers/ppo.py', '..losses'), ['rl/losses.py', 'rl/losses/__init__.py']);
    assert.deepEqual(moduleFileCandidates('rl/trainers/ppo.py', '..'), ['rl/__init__.py']);
    assert.deepEqual(moduleFileCandidates('a/b/ppo.py', '...x'), ['x.py', 'x/__init__.py']);
    assert.deepEqual(moduleFileCandidates('rl/ppo.py', '...x'), [], 'above the root: nowhere');
  });

  it('an absolute import is looked for under the file\'s folder and each folder above it, up to the root', () => {
    assert.deepEqual(moduleFileCandidates('rl/trainers/ppo.py', 'rl.losses', ''), [
      'rl/trainers/rl/losses.py', 'rl/trainers/rl/losses/__init__.py',
      'rl/rl/losses.py', 'rl/rl/losses/__init__.py',
      'rl/losses.py', 'rl/losses/__init__.py',
    ]);
    assert.deepEqual(moduleFileCandidates('/ws/src/pkg/train.py', 'pkg', '/ws'), [
      '/ws/src/pkg/pkg.py', '/ws/src/pkg/pkg/__init__.py', '/ws/src/pkg.py', '/ws/src/pkg/__init__.py', '/ws/pkg.py', '/ws/pkg/__init__.py',
    ]);
    assert.deepEqual(moduleFileCandidates('C:\\ws\\train.py', 'm', 'C:\\ws'), ['C:/ws/m.py', 'C:/ws/m/__init__.py']);
  });
});

describe('names imported from the project\'s own modules', () => {
  it('follows a package\'s re-export to the class its docstring names, at the import and every use', () => {
    const found = usages('rl/trainers/ppo.py', true);
    assert.deepEqual(found, [
      '1:cross_entropy:cross-entropy:library',
      '2:PolicyLoss:ppo-clip:local',
      '4:RankLoss:bradley-terry-reward:local',
      '8:PolicyLoss:ppo-clip:local',
      '8:RankLoss:bradley-terry-reward:local',
      '9:cross_entropy:cross-entropy:library',
    ].filter((u) => !u.startsWith('1:')));
  });

  it('a file alone cannot know them (the editor without the project, eval --per-file)', () => {
    assert.deepEqual(usages('rl/trainers/ppo.py', false), ['9:cross_entropy:cross-entropy:library']);
  });

  it('re-exports count in the package\'s __init__.py, and names that are no loss stay unknown', () => {
    assert.deepEqual(usages('rl/__init__.py', true), [
      '1:PolicyLoss:ppo-clip:local',
      '1:PairwiseRankLoss:bradley-terry-reward:local',
      '4:PolicyLoss:ppo-clip:local',
      '4:PairwiseRankLoss:bradley-terry-reward:local',
    ]);
  });

  it('an import cycle ends, and each side still finds the other\'s loss', () => {
    assert.deepEqual(usages('cyc/a.py', true), ['1:AnchorLoss:focal:local', '4:MaskLoss:dice:definition']);
    assert.deepEqual(usages('cyc/b.py', true), ['1:MaskLoss:dice:local', '4:AnchorLoss:focal:definition']);
  });

  it('a module already scanned and remembered is not read again for its exports', () => {
    const reads: string[] = [];
    const p = new ProjectLosses(index, (f) => { reads.push(f); return FILES[f]; }, '');
    for (const file of ['rl/losses.py', 'rl/__init__.py']) {
      p.remember(file, scanSource(FILES[file], index, { project: p.importsOf(file) }).usages);
    }
    reads.length = 0;
    const scan = scanSource(FILES['rl/trainers/ppo.py'], index, { project: p.importsOf('rl/trainers/ppo.py') });
    assert.ok(scan.usages.some((u) => u.identifier === 'PolicyLoss' && u.conceptId === 'ppo-clip'));
    assert.ok(!reads.includes('rl/__init__.py') && !reads.includes('rl/losses.py'), `read again: ${reads.join(', ')}`);
  });

  it('forgets a changed module and the modules that re-export it, and nothing else', () => {
    const files: Record<string, string> = { ...FILES };
    const reads: string[] = [];
    const p = new ProjectLosses(index, (f) => { reads.push(f); return files[f]; }, '');
    const conceptOf = () => scanSource(files['rl/trainers/ppo.py'], index, { project: p.importsOf('rl/trainers/ppo.py') }).usages.find((u) => u.identifier === 'PolicyLoss')?.conceptId;
    assert.equal(conceptOf(), 'ppo-clip');
    files['rl/losses.py'] = files['rl/losses.py'].replace('Policy loss for PPO, the clipped surrogate.', 'Focal loss over the policy.');
    assert.equal(conceptOf(), 'ppo-clip', 'kept until the file is said to have changed');
    assert.equal(p.forget('cyc/a.py'), false, 'a file no one read through is nothing stale');
    assert.equal(p.forget('rl/losses.py'), true);
    reads.length = 0;
    assert.equal(conceptOf(), 'focal');
    assert.ok(reads.includes('rl/losses.py') && reads.includes('rl/__init__.py'), 'the module and the package that re-exports it are read again');
    assert.ok(!reads.includes('rl/models.py'), 'an unrelated module is not read again');
  });

  it('a scan that scans another file meanwhile keeps its own state (the library loss after the imports is found)', () => {
    // The outer scan's per-token arrays were once shared with the scan of the imported module.
    const p = project();
    scanSource(FILES['rl/__init__.py'], index, { project: p.importsOf('rl/__init__.py') });
    const scan = scanSource(FILES['rl/trainers/ppo.py'], index, { project: p.importsOf('rl/trainers/ppo.py') });
    assert.ok(scan.usages.some((u) => u.line === 9 && u.identifier === 'cross_entropy'));
  });
});

describe('paperlens scan of a tree follows them', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'paperlens-project-'));
    for (const [rel, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      writeFileSync(path.join(tmp, rel), text);
    }
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('reports the imported losses of the trainer with the concept of their definition', async () => {
    let out = '';
    const io: CliIO & { errIsTTY: boolean } = { out: (t) => { out += `${t}\n`; }, err: () => {}, dataDir: path.join(root, 'paper-data'), cwd: tmp, errIsTTY: false };
    const code = await main(['scan', '--json', '--jobs', '1', 'rl'], io);
    assert.equal(code, 0);
    const report = JSON.parse(out) as ScanJsonOutput;
    const trainer = report.files.find((f) => f.path.endsWith('ppo.py'));
    assert.ok(trainer, 'the trainer is scanned');
    assert.deepEqual(trainer.usages.map((u) => `${u.line}:${u.identifier}:${u.concept}`), [
      '2:PolicyLoss:ppo-clip',
      '4:RankLoss:bradley-terry-reward',
      '8:PolicyLoss:ppo-clip',
      '8:RankLoss:bradley-terry-reward',
      '9:cross_entropy:cross-entropy',
    ]);
  });
});
