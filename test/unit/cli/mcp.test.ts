// `paperlens mcp` as an agent meets it: a child process speaking MCP over stdio, driven by the
// official SDK client. Lists the tools and the paper resources, calls every tool (good and bad
// input), and checks the answers against the CLI's own `scan`, `snippet`, `search` and `cite`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { main } from '../../../src/cli/main';
import type { ScanJsonOutput } from '../../../src/cli/commands/scan';
import type { CliIO } from '../../../src/cli/io';
import { AGENT_TOOLS } from '../../../src/core/agentTools/definitions';
import type { CheckData, ExplainData, ImplementationData, SearchData } from '../../../src/core/agentTools/tools';

const root = path.join(__dirname, '../../..');
const samples = path.join(root, 'samples');
const dataDir = path.join(root, 'paper-data');

async function cli(args: string[], cwd = samples): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; }, dataDir, cwd };
  return { code: await main(args, io), out, err };
}

type ToolResult = { content: { type: string; text?: string }[]; structuredContent?: unknown; isError?: boolean };

function textOf(r: ToolResult): string {
  return r.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}

const BUGGY = 'import torch.nn as nn\nimport torch.nn.functional as F\n\nkl = nn.KLDivLoss()\ndef step(logits, y):\n    return F.cross_entropy(F.softmax(logits, dim=1), y)\n';

/** Starts a server and connects a client; the scratch folder is a second workspace root. */
async function connect(command: string, args: string[], env: Record<string, string>, scratch: string): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command,
    args: [...args, 'mcp', '--root', samples, '--root', scratch],
    cwd: samples,
    env: { ...(process.env as Record<string, string>), ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const client = new Client({ name: 'paperlens-test', version: '0.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

function suite(label: string, launch: () => { command: string; args: string[]; env: Record<string, string> } | undefined) {
  describe(`paperlens mcp (${label})`, () => {
    let client: Client;
    let stderr: () => string;
    let scratch: string;
    const spec = launch();

    before(async () => {
      if (!spec) return;
      scratch = mkdtempSync(path.join(os.tmpdir(), 'paperlens-mcp-'));
      writeFileSync(path.join(scratch, 'buggy.py'), BUGGY);
      writeFileSync(path.join(scratch, 'empty.py'), '');
      ({ client, stderr } = await connect(spec.command, spec.args, spec.env, scratch));
    });
    after(async () => {
      await client?.close();
    });

    const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as ToolResult;

    it('lists the four tools with their schemas, and says it is PaperLens', { skip: !spec && 'dist/cli.js not built' }, async () => {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), AGENT_TOOLS.map((t) => t.name).sort());
      const explain = tools.find((t) => t.name === 'paperlens_explainLoss')!;
      assert.deepEqual(Object.keys(explain.inputSchema.properties ?? {}).sort(), ['cell', 'code', 'column', 'file', 'identifier', 'line']);
      assert.equal(explain.annotations?.readOnlyHint, true);
      assert.deepEqual(tools.find((t) => t.name === 'paperlens_searchPapers')!.inputSchema.required, ['query']);
      assert.equal(client.getServerVersion()?.name, 'paperlens');
      assert.match(client.getInstructions() ?? '', /paperlens_checkCode/);
      assert.match(stderr(), /serving \d+ papers/);
    });

    it('lists every paper as paperlens://paper/<id> and reads one with the BibTeX `cite` prints', { skip: !spec && 'dist/cli.js not built' }, async () => {
      const { resources } = await client.listResources();
      const ids = JSON.parse((await cli(['search', '--json', '--limit', '1000', 'year:1900..2100'])).out).results.map((r: { id: string }) => r.id);
      assert.equal(resources.length, ids.length);
      assert.ok(resources.every((r) => r.uri.startsWith('paperlens://paper/') && r.mimeType === 'text/markdown'));
      const templates = await client.listResourceTemplates();
      assert.deepEqual(templates.resourceTemplates.map((t) => t.uriTemplate), ['paperlens://paper/{id}']);
      const paper = resources.find((r) => r.uri === 'paperlens://paper/1911.02855')!;
      assert.ok(paper, 'the Dice loss paper is listed');
      const read = await client.readResource({ uri: paper.uri });
      const text = (read.contents[0] as { text: string }).text;
      assert.match(text, /^# Dice Loss for Data-imbalanced NLP Tasks/);
      const cite = await cli(['cite', '1911.02855']);
      assert.ok(text.includes(cite.out.trimEnd()), 'the resource carries the BibTeX entry `paperlens cite` prints');
      await assert.rejects(client.readResource({ uri: 'paperlens://paper/9999.99999' }), /unknown paper "9999\.99999"/);
    });

    it('explains every loss `paperlens scan` finds in a sample, with the same concept, name and papers', { skip: !spec && 'dist/cli.js not built' }, async () => {
      const scan = JSON.parse((await cli(['scan', '--json', 'classification/train_cifar.py'])).out) as ScanJsonOutput;
      const usages = scan.files[0].usages;
      assert.ok(usages.length >= 5);
      for (const u of usages) {
        const r = await call('paperlens_explainLoss', { file: 'classification/train_cifar.py', line: u.line, column: u.column });
        assert.equal(r.isError, undefined, textOf(r));
        const e = (r.structuredContent as ExplainData).explanations[0];
        assert.equal(e.concept, u.concept);
        assert.equal(e.qualifiedName, u.qualifiedName);
        // The same ranking as the CLI (and the hover): a prefix of it, the rest counted.
        if (u.papers.length > 0) {
          assert.deepEqual(e.papers.map((p) => p.id), u.papers.slice(0, e.papers.length), `papers of ${u.qualifiedName}`);
          assert.equal(e.papers.length + e.morePapers, u.papers.length);
        } else {
          // No paper in the corpus (knowledge distillation): the classic origin, as the hover shows it.
          assert.ok(e.origin, `${u.qualifiedName}: neither papers nor an origin`);
          assert.ok(textOf(r).includes(e.origin.title));
        }
        assert.match(textOf(r), new RegExp(`^### .*${u.qualifiedName.replace(/[.()…=]/g, '\\$&')}`));
      }
    });

    it('checks a file with the findings `paperlens scan` reports, and a fragment with the same rules', { skip: !spec && 'dist/cli.js not built' }, async () => {
      const file = path.join(scratch, 'buggy.py');
      const scan = JSON.parse((await cli(['scan', '--json', file])).out) as ScanJsonOutput;
      const expected = scan.files[0].findings.map((f) => [f.rule, f.line, f.column, f.endLine, f.endColumn, f.message]);
      assert.equal(expected.length, 2);
      const r = await call('paperlens_checkCode', { file });
      const data = r.structuredContent as CheckData;
      assert.deepEqual(data.findings.map((f) => [f.rule, f.line, f.column, f.endLine, f.endColumn, f.message]), expected);
      assert.ok(data.findings.every((f) => f.fixes.some((x) => x.preferred && x.edits.length > 0)), 'each finding carries its fix edits');
      const fragment = await call('paperlens_checkCode', { code: BUGGY.split('\n').slice(3).join('\n') });
      assert.deepEqual((fragment.structuredContent as CheckData).findings.map((f) => [f.rule, f.line]), [['kl-div-mean', 1], ['softmax-before-ce', 3]]);
    });

    it('returns the snippet `paperlens snippet` prints, and the papers `paperlens search` finds', { skip: !spec && 'dist/cli.js not built' }, async () => {
      const r = await call('paperlens_getImplementation', { concept: 'dice' });
      const snippet = JSON.parse((await cli(['snippet', 'dice', '--json'])).out);
      const data = r.structuredContent as ImplementationData;
      assert.equal(data.code, snippet.code);
      assert.deepEqual(data.imports, snippet.imports);
      assert.ok(textOf(r).includes(snippet.header));

      const s = await call('paperlens_searchPapers', { query: 'dice loss imbalanced', limit: 5 });
      const cliSearch = JSON.parse((await cli(['search', '--json', '--limit', '5', 'dice loss imbalanced'])).out);
      const found = s.structuredContent as SearchData;
      assert.deepEqual(found.papers.map((p) => p.id), cliSearch.results.map((p: { id: string }) => p.id));
      assert.equal(found.total, cliSearch.total);
      assert.equal(found.papers[0].id, '1911.02855');
      assert.equal(found.papers[0].strong, true);
      assert.match(textOf(s), /`1911\.02855` Dice Loss for Data-imbalanced NLP Tasks .* strong match — BibTeX key `\w+`/);
    });

    it('answers bad input with error results and keeps serving', { skip: !spec && 'dist/cli.js not built' }, async () => {
      const bad: [string, Record<string, unknown>, RegExp][] = [
        ['paperlens_explainLoss', { identifier: 'frobnicate_loss' }, /knows no loss called "frobnicate_loss"/],
        ['paperlens_getImplementation', { concept: 'not-a-concept' }, /knows no loss called "not-a-concept"/],
        ['paperlens_checkCode', { file: path.join(scratch, 'empty.py') }, /"empty\.py" is empty/],
        ['paperlens_explainLoss', { file: path.join(scratch, 'empty.py'), line: 1 }, /"empty\.py" is empty/],
        ['paperlens_checkCode', { file: path.join(root, 'package.json') }, /outside the workspace/],
        ['paperlens_explainLoss', { file: '../../etc/passwd', line: 1 }, /outside the workspace/],
        ['paperlens_explainLoss', { file: 'classification/train_cifar.py', line: 'ten' }, /line/],
        ['paperlens_searchPapers', { query: 'focal', limit: 0 }, /limit/],
        ['paperlens_searchPapers', { query: 'focal', colour: 'red' }, /colour/],
      ];
      for (const [name, args, expected] of bad) {
        const r = await call(name, args);
        assert.equal(r.isError, true, `${name} ${JSON.stringify(args)}: ${textOf(r)}`);
        assert.match(textOf(r), expected, `${name} ${JSON.stringify(args)}`);
      }
      // Still serving after all that.
      const ok = await call('paperlens_explainLoss', { identifier: 'nn.KLDivLoss' });
      assert.equal((ok.structuredContent as ExplainData).explanations[0].concept, 'kl-divergence');
    });
  });
}

suite('from source', () => ({ command: process.execPath, args: ['--import', 'tsx', path.join(root, 'src/cli/main.ts')], env: { PAPERLENS_DATA_DIR: dataDir } }));
// The bundle the package ships (the SDK is inside dist/cli.js), with its own dist/data.
suite('built dist/cli.js', () => (existsSync(path.join(root, 'dist/cli.js')) && existsSync(path.join(root, 'dist/data/concepts.json'))
  ? { command: process.execPath, args: [path.join(root, 'dist/cli.js')], env: {} }
  : undefined));

describe('paperlens mcp with a --corpus file that does not load', () => {
  it('names the file on stderr, serves the rest, and exits 1 when the server stops', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'mcp', '--corpus', 'no-such-refs.bib'], {
      cwd: samples, input: '', encoding: 'utf8', env: { ...process.env, PAPERLENS_DATA_DIR: dataDir },
    });
    assert.match(r.stderr, /no-such-refs\.bib:1: error: The file does not exist\./);
    assert.match(r.stderr, /serving \d+ papers/);
    assert.match(r.stderr, /1 problem loading --corpus files/);
    assert.equal(r.status, 1);
  });

  it('exits 0 when everything loaded', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'mcp'], {
      cwd: samples, input: '', encoding: 'utf8', env: { ...process.env, PAPERLENS_DATA_DIR: dataDir },
    });
    assert.equal(r.status, 0, r.stderr);
  });
});
