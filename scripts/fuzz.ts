/**
 * The long fuzz run: every target of test/fuzz/targets.ts fed every input kind, and a report of
 * cases, crashes, hangs over 1 s, out-of-range line numbers and the worst time per input kind.
 * Exit status 1 when anything crashed, hung or reported a line outside its input.
 *
 *   npm run fuzz -- [--cases N] [--seed S] [--targets bibtex,json-corpus] [--json]
 *
 * N is the number of cases per target (default 5,000), spread over the input kinds. A case that
 * never returns is caught by a watchdog thread, which prints it and ends the run after 60 s.
 *
 * A hang is a case whose work took over 1 s of CPU time (the process's, V8's helper threads
 * included). Wall time is reported too, but on a shared machine it counts the time the case waited
 * for a core: the same seeded input measured 0.5 s and 1.9 s of wall time in two runs at load 12.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { FUZZ_TARGETS, INPUT_KINDS, inputArbitrary, outOfRange, type InputKind } from '../test/fuzz/targets';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const cases = Number(option('cases') ?? 5000);
const seed = Number(option('seed') ?? 23);
const only = option('targets')?.split(',');
const asJson = args.includes('--json');
const HANG_MS = 1000;
const WATCHDOG_MS = 60_000;

const targets = FUZZ_TARGETS.filter((t) => !only || only.includes(t.name));
if (targets.length === 0) {
  console.error(`No targets match ${only?.join(',')}; known: ${FUZZ_TARGETS.map((t) => t.name).join(', ')}`);
  process.exit(2);
}

// Watchdog: the main thread stamps the time each case starts; a case running for a minute is a
// hang that would never end the run, so the watchdog reports it and exits.
const beat = new Float64Array(new SharedArrayBuffer(8));
const current = { label: '' };
const watchdog = new Worker(`
  const { workerData, parentPort } = require('node:worker_threads');
  const beat = new Float64Array(workerData.buffer);
  let label = '';
  parentPort.on('message', (m) => { label = m; });
  setInterval(() => {
    if (beat[0] > 0 && Date.now() - beat[0] > ${WATCHDOG_MS}) {
      process.stderr.write('HANG: ' + label + ' has run for over ${WATCHDOG_MS / 1000} s; the run is stopped.\\n');
      process.exit(1);
    }
  }, 1000).unref();
`, { eval: true, workerData: { buffer: beat.buffer } });
watchdog.unref();

interface Row {
  target: string;
  kind: InputKind;
  cases: number;
  crashes: number;
  hangs: number;
  outOfRange: number;
  worstMs: number;
  worstChars: number;
  worstWallMs: number;
}

/** CPU time this process has used, in milliseconds. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const rows: Row[] = [];
const failures: { target: string; kind: string; problem: string; input: string }[] = [];

async function main(): Promise<void> {
  const started = performance.now();
  for (const target of targets) {
    // One untimed run first: loading a target's modules (the BibTeX library: ~1 s) is not parsing.
    await target.run(target.seeds[0] ?? '');
    const perKind = Math.max(1, Math.floor(cases / INPUT_KINDS.length));
    for (const kind of INPUT_KINDS) {
      // The big kinds (1 MB lines, 50,000-deep nesting) cost far more per case; fewer of them.
      const n = kind === 'long-line' || kind === 'nesting' ? Math.max(1, Math.floor(perKind / 20)) : perKind;
      const inputs = fc.sample(inputArbitrary(target, kind), { seed: seed + INPUT_KINDS.indexOf(kind), numRuns: n });
      const row: Row = { target: target.name, kind, cases: 0, crashes: 0, hangs: 0, outOfRange: 0, worstMs: 0, worstChars: 0, worstWallMs: 0 };
      for (const [index, text] of inputs.entries()) {
        current.label = `${target.name}/${kind} case ${index} (${text.length} characters)`;
        watchdog.postMessage(current.label);
        beat[0] = Date.now();
        const t0 = performance.now();
        const c0 = cpuMs();
        let lines: number[] = [];
        try {
          lines = await target.run(text);
        } catch (err) {
          row.crashes++;
          failures.push({ target: target.name, kind, problem: `crash: ${err instanceof Error ? err.stack ?? err.message : String(err)}`, input: text });
        }
        const ms = cpuMs() - c0;
        const wallMs = performance.now() - t0;
        beat[0] = 0;
        row.cases++;
        if (ms > row.worstMs) {
          row.worstMs = ms;
          row.worstChars = text.length;
        }
        row.worstWallMs = Math.max(row.worstWallMs, wallMs);
        if (ms > HANG_MS) {
          row.hangs++;
          failures.push({ target: target.name, kind, problem: `hang: ${ms.toFixed(0)} ms of CPU (${wallMs.toFixed(0)} ms wall)`, input: text });
        }
        const bad = outOfRange(text, lines);
        if (bad.length) {
          row.outOfRange++;
          failures.push({ target: target.name, kind, problem: `lines out of range: ${bad.slice(0, 5).join(', ')}`, input: text });
        }
      }
      rows.push(row);
      process.stderr.write(`  ${target.name}/${kind}: ${row.cases} cases, worst ${row.worstMs.toFixed(0)} ms CPU\n`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const total = (k: keyof Row) => rows.reduce((s, r) => s + (r[k] as number), 0);

  if (asJson) {
    console.log(JSON.stringify({ seed, seconds: +seconds.toFixed(1), rows, failures: failures.map((f) => ({ ...f, input: f.input.slice(0, 2000) })) }, null, 2));
  } else {
    console.log(`fuzz: seed ${seed}, ${total('cases').toLocaleString('en-US')} cases in ${seconds.toFixed(0)} s (node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)})\n`);
    console.log('target        kind         cases  crashes  hangs>1s  out-of-range  worst CPU ms (input chars)  worst wall ms');
    for (const r of rows) {
      console.log(`${r.target.padEnd(13)} ${r.kind.padEnd(10)} ${String(r.cases).padStart(7)} ${String(r.crashes).padStart(8)} ${String(r.hangs).padStart(9)} ${String(r.outOfRange).padStart(13)}  ${r.worstMs.toFixed(1).padStart(12)} (${r.worstChars.toLocaleString('en-US')})`.padEnd(89) + r.worstWallMs.toFixed(0).padStart(13));
    }
    console.log(`\n${total('cases')} cases, ${total('crashes')} crashes, ${total('hangs')} hangs over 1 s of CPU, ${total('outOfRange')} with out-of-range positions`);
    if (failures.length) {
      const file = path.join(os.tmpdir(), `paperlens-fuzz-failures-${seed}.json`);
      writeFileSync(file, JSON.stringify(failures, null, 2));
      for (const f of failures.slice(0, 5)) console.log(`\n${f.target}/${f.kind}: ${f.problem.split('\n')[0]}\n  input (${f.input.length} chars): ${JSON.stringify(f.input.slice(0, 200))}`);
      console.log(`\nAll ${failures.length} failing inputs: ${file}`);
    }
  }
  process.exit(total('crashes') + total('hangs') + total('outOfRange') > 0 ? 1 : 0);
}

void main();
