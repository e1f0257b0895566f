/**
 * `npm run bench:conservative [-- --quick] [-- --out FILE]`
 *
 * 1. Decision time of `decideConservative` at 0 (reachability, docs/theory.md §5) against the number of
 *    nonzero weights, 10^3 … 10^7, on dense random ±1 networks generated in memory (4 hidden
 *    layers of width w, inputDim w, so every stored weight is nonzero; the pass visits each once), with the
 *    least-squares log-log slope (≈ 1 for a linear-time pass).
 * 2. End to end: `nsad conservative FILE --json` on a 4·10^6-weight dense JSON file written under
 *    os.tmpdir() (JSON parsing and validation included), against the 10 s budget.
 *
 * Prints a table on stdout and writes the JSON record (default bench/results/conservative.json;
 * with --quick: sizes up to 10^6, no end-to-end run, bench/results/conservative-quick.json).
 */
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Network } from '../src/network/network';
import { readNetworkFile, serializeNetwork } from '../src/network/format';
import { writeFileAtomic, writeJsonAtomic } from '../src/io/atomic';
import { decideConservative, reachability } from '../src/conservative';
import { seededRng } from '../src/exact/rng';
import { satlibFiles } from '../src/cnf/satlib';
import { readCnfFile } from '../src/cnf/dimacs';
import { reduceCnf } from '../reductions/sat-to-relu';
import { median } from '../src/exact/stats';
import { randomNetwork } from '../src/network/random';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } }, strict: true });
const quick = opts.quick;
const outPath = opts.out !== undefined ? resolve(opts.out) : join(root, 'bench', 'results', quick ? 'conservative-quick.json' : 'conservative.json');

/** Dense random ±1 network: inputDim w, `hidden` hidden layers of width w, one output. */
function denseSignNetwork(w: number, hidden: number, seed: number): Network {
  return randomNetwork(seededRng(seed, 7), { inputDim: w, widths: new Array<number>(hidden).fill(w), weights: [-1, 1], meta: { generator: 'dense ±1', seed } });
}


function slope(points: Array<[number, number]>): number {
  const xs = points.map(([x]) => Math.log10(x));
  const ys = points.map(([, y]) => Math.log10(y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

const loadAtStart = loadavg();
const HIDDEN = 4;
const targets = quick ? [1e3, 1e4, 1e5, 1e6] : [1e3, 1e4, 1e5, 1e6, 1e7];
const rows: Array<{ target: number; width: number; nonzeros: number; reps: number; medianMs: number; minMs: number; nsPerWeight: number; scanMs: number; answer: string; genMs: number }> = [];
process.stderr.write(`bench:conservative — ${cpus().length} cpu(s), node ${process.version}\n`);
for (const target of targets) {
  const w = Math.max(2, Math.round(Math.sqrt(target / HIDDEN)));
  const g0 = performance.now();
  let net: Network | null = denseSignNetwork(w, HIDDEN, 1);
  const genMs = performance.now() - g0;
  const nnz = net.weightCount; // every stored weight is ±1
  const reps = Math.max(9, Math.min(200, Math.round(3e6 / nnz)));
  decideConservative(net); // warm-up (JIT)
  const times: number[] = [];
  let answer = '';
  for (let r = 0; r < reps; r++) {
    const a = decideConservative(net);
    times.push(a.timeMs);
    answer = a.answer;
  }
  const med = median(times);
  // The reachability pass alone (without building the elements and their choices).
  const scan: number[] = [];
  for (let r = 0; r < reps; r++) {
    const s0 = performance.now();
    reachability(net);
    scan.push(performance.now() - s0);
  }
  const scanMs = median(scan);
  rows.push({ target, width: w, nonzeros: nnz, reps, medianMs: med, minMs: Math.min(...times), nsPerWeight: (med * 1e6) / nnz, scanMs, answer, genMs });
  process.stderr.write(`  ${nnz} weights: median ${med.toFixed(3)} ms over ${reps} runs (generation ${genMs.toFixed(0)} ms)\n`);
  net = null;
}
const allSlope = slope(rows.map((r) => [r.nonzeros, r.medianMs]));
const bigSlope = slope(rows.filter((r) => r.nonzeros >= 1e5).map((r) => [r.nonzeros, r.medianMs]));
const scanSlope = slope(rows.filter((r) => r.nonzeros >= 1e5).map((r) => [r.nonzeros, r.scanMs]));
// Minimum over the runs: least disturbed by other processes on a shared machine.
const minSlope = slope(rows.filter((r) => r.nonzeros >= 1e5).map((r) => [r.nonzeros, r.minMs]));

// Reduced unsatisfiable SATLIB formulas (docs/theory.md §4): F ≡ 0, yet two conservative elements.
const uuf: Array<{ file: string; weights: number; nonzeros: number; neurons: number; decisionMs: number; answer: string }> = [];
for (const f of satlibFiles('uuf50-218').slice(0, quick ? 2 : 10)) {
  const net = reduceCnf(readCnfFile(f));
  decideConservative(net);
  const times: number[] = [];
  let answer = '';
  for (let r = 0; r < 5; r++) {
    const a = decideConservative(net);
    times.push(a.timeMs);
    answer = a.answer;
  }
  uuf.push({ file: f.split('/').pop()!, weights: net.weightCount, nonzeros: net.nonzeros, neurons: net.neurons, decisionMs: median(times), answer });
}

// End to end through the CLI on a 4·10^6-weight dense JSON file.
let e2e: Record<string, unknown> | null = null;
if (!quick) {
  const w = 1000;
  const net = denseSignNetwork(w, 4, 2); // inputDim 1000, 4 hidden layers 1000×1000 → 4,001,000 weights
  const file = join(tmpdir(), `nsad-bench-conservative-${process.pid}.json`);
  const s0 = performance.now();
  writeFileAtomic(file, serializeNetwork(net));
  const writeMs = performance.now() - s0;
  const bytes = statSync(file).size;
  try {
    const p0 = performance.now();
    readNetworkFile(file);
    const parseMs = performance.now() - p0;
    const c0 = performance.now();
    const run = spawnSync(process.execPath, [join(root, 'bin', 'nsad.js'), 'conservative', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const wallMs = performance.now() - c0;
    if (run.status !== 0) throw new Error(`nsad conservative failed (${run.status}): ${run.stderr}`);
    const out = JSON.parse(run.stdout) as { answer: string; timeMs: number; method: string };
    e2e = {
      weights: net.weightCount,
      fileBytes: bytes,
      writeMs,
      inProcessParseMs: parseMs,
      cliWallMs: wallMs,
      cliDecisionMs: out.timeMs,
      answer: out.answer,
      method: out.method,
      budgetMs: 10_000,
      withinBudget: wallMs <= 10_000,
    };
  } finally {
    rmSync(file, { force: true });
  }
}

const record = {
  benchmark: 'conservative decision at 0 (reachability) vs nonzero weights',
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  loadAverage: { atStart: loadAtStart, atEnd: loadavg() },
  network: `dense random ±1, inputDim w, ${HIDDEN} hidden layers of width w, seed 1`,
  rows,
  logLogSlope: { all: allSlope, from1e5: bigSlope, minTimesFrom1e5: minSlope, reachabilityPassOnlyFrom1e5: scanSlope },
  uuf50Reduced: uuf,
  endToEnd: e2e,
};
writeJsonAtomic(outPath, record);

const pad = (s: string, n: number) => s.padStart(n);
console.log(`${pad('nonzero weights', 16)} ${pad('width', 6)} ${pad('reps', 5)} ${pad('decision ms', 12)} ${pad('min ms', 9)} ${pad('ns/weight', 10)} ${pad('pass-only ms', 13)} answer`);
for (const r of rows)
  console.log(
    `${pad(String(r.nonzeros), 16)} ${pad(String(r.width), 6)} ${pad(String(r.reps), 5)} ${pad(r.medianMs.toFixed(3), 12)} ${pad(r.minMs.toFixed(3), 9)} ${pad(r.nsPerWeight.toFixed(2), 10)} ${pad(r.scanMs.toFixed(3), 13)} ${r.answer}`,
  );
console.log(`log-log slope of the decision time: ${allSlope.toFixed(3)} (all sizes), ${bigSlope.toFixed(3)} (≥ 10^5 weights, where fixed per-call costs are negligible); reachability pass alone (≥ 10^5): ${scanSlope.toFixed(3)}; minimum times (≥ 10^5): ${minSlope.toFixed(3)}`);
if (uuf.length > 0) {
  const ms = uuf.map((u) => u.decisionMs);
  console.log(
    `reduced uuf50-218 (${uuf.length} files, ~${uuf[0]!.weights} stored / ${uuf[0]!.nonzeros} nonzero weights, ${uuf[0]!.neurons} neurons): ` +
      `median decision ${median(ms).toFixed(2)} ms (max ${Math.max(...ms).toFixed(2)}), answers ${[...new Set(uuf.map((u) => u.answer))].join('/')}`,
  );
} else console.log('reduced uuf50-218: SATLIB samples absent (set NSAD_SATLIB)');
if (e2e)
  console.log(
    `end to end: nsad conservative on ${e2e.weights} dense weights (${((e2e.fileBytes as number) / 1e6).toFixed(1)} MB JSON): ` +
      `${((e2e.cliWallMs as number) / 1000).toFixed(2)} s wall (in-process parse ${((e2e.inProcessParseMs as number) / 1000).toFixed(2)} s, decision ${(e2e.cliDecisionMs as number).toFixed(1)} ms) — ` +
      `${e2e.withinBudget ? 'within' : 'OVER'} the 10 s budget`,
  );
console.log(`load average at start ${loadAtStart.map((x) => x.toFixed(1)).join(' ')}, at end ${loadavg().map((x) => x.toFixed(1)).join(' ')} (2 cores)`);
console.log(`JSON: ${outPath}`);
