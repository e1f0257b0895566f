/**
 * `npm run bench:scale [-- --quick] [-- --out-dir DIR]`
 *
 * Scale of the sparse network storage (src/network/network.ts) on the 3-SAT reduction
 * (docs/theory.md §4), against the goals of issue 10 ("Memory"):
 *
 *   A. `nsad reduce` on random 3-SAT n = 400, m = 1704 (seed 1): ≤ 1 s, ≤ 200 MB peak RSS,
 *      a file ≤ 5 MB. Measured through the real CLI (`bin/nsad.js`, a child process), three runs;
 *      wall time and peak RSS per run, plus the in-process reduction time the CLI reports. The
 *      start-up of the CLI alone (`nsad --version`, same runs) is measured too, so the two can be
 *      told apart.
 *   B. A 10^4-clause formula (random 3-SAT, n = 2347 ≈ m / 4.26, seed 1) reduced and answered by
 *      `nsad conservative` in ≤ 10 s end to end (both CLI runs, wall time summed).
 *   C. In process, a series m = 426 … 20 000 (ratio 4.26): reduction, writing (sparse JSON),
 *      reading back, and the conservative decision at 0, with nonzeros against dense entries.
 *
 * Peak RSS of a child comes from bench/rss-probe.cjs (preloaded with NODE_OPTIONS; getrusage).
 * Writes bench/results/network-scale.json and .md (with --quick: network-scale-quick.*, series
 * up to m = 4260 and one run of A). Times are wall-clock on whatever machine runs it: the record
 * keeps the load average at start and end.
 */
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/exact/rng';
import { randomKSat } from '../src/cnf/generators/random-ksat';
import { writeDimacs } from '../src/cnf/dimacs';
import { writeFileAtomic, writeJsonAtomic } from '../src/io/atomic';
import { parseNetwork, serializeNetwork } from '../src/network/format';
import { decideConservative } from '../src/conservative';
import { reduceCnf } from '../reductions/sat-to-relu';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const dirIdx = args.indexOf('--out-dir');
const outDir = dirIdx >= 0 ? resolve(args[dirIdx + 1]!) : join(root, 'bench', 'results');
const base = quick ? 'network-scale-quick' : 'network-scale';
const bin = join(root, 'bin', 'nsad.js');
const probe = join(root, 'bench', 'rss-probe.cjs');
const loadAtStart = loadavg();
const work = mkdtempSync(join(tmpdir(), 'nsad-bench-scale-'));

const GOALS = { reduceMs: 1000, reduceRssMB: 200, fileMB: 5, endToEndMs: 10_000 };

interface Run {
  wallMs: number;
  maxRssMB: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** One CLI run as a child process: wall time and peak RSS (rss-probe). */
function cli(argv: string[]): Run {
  const rssFile = join(work, `rss-${process.hrtime.bigint()}.json`);
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${probe}`.trim(), NSAD_RSS_OUT: rssFile };
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  const wallMs = performance.now() - t0;
  const maxRssMB = existsSync(rssFile) ? (JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRssKb: number }).maxRssKb / 1024 : NaN;
  return { wallMs, maxRssMB, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function must(r: Run, what: string): Run {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}): ${r.stderr.trim()}`);
  return r;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

function cnfFile(n: number, m: number, seed: number): string {
  const cnf = randomKSat({ n, m, k: 3 }, new Rng(seed));
  const f = join(work, `rand3-n${n}-m${m}-s${seed}.cnf`);
  writeFileAtomic(f, writeDimacs(cnf, [`random 3-SAT n=${n} m=${m} seed=${seed} (bench/network-scale.ts)`]));
  return f;
}

try {
  const runs = quick ? 1 : 3;

  // Start-up of the CLI alone (tsx transpiles the sources in a clone).
  const startup = Array.from({ length: runs }, () => must(cli(['--version']), 'nsad --version'));

  // A. reduce n = 400, m = 1704.
  const fileA = cnfFile(400, 1704, 1);
  const netA = join(work, 'n400.json');
  const reduceRuns = Array.from({ length: runs }, () => must(cli(['reduce', fileA, '--out', netA, '--json']), 'nsad reduce (A)'));
  const infoA = JSON.parse(reduceRuns[0]!.stdout) as { neurons: number; nonzeros: number; layers: number; timeMs: number };
  const fileBytesA = statSync(netA).size;
  const caseA = {
    formula: 'random 3-SAT n=400 m=1704 seed=1',
    neurons: infoA.neurons,
    nonzeros: infoA.nonzeros,
    layers: infoA.layers,
    fileBytes: fileBytesA,
    cliWallMs: reduceRuns.map((r) => r1(r.wallMs)),
    cliMaxRssMB: reduceRuns.map((r) => r1(r.maxRssMB)),
    inProcessReduceMs: reduceRuns.map((r) => (JSON.parse(r.stdout) as { timeMs: number }).timeMs),
    startupWallMs: startup.map((r) => r1(r.wallMs)),
    startupMaxRssMB: startup.map((r) => r1(r.maxRssMB)),
  };

  // B. 10^4 clauses: reduce, then conservative, through the CLI.
  const fileB = cnfFile(2347, 10_000, 1);
  const netB = join(work, 'n10k.json');
  const redB = must(cli(['reduce', fileB, '--out', netB, '--json']), 'nsad reduce (B)');
  const consB = must(cli(['conservative', netB, '--json']), 'nsad conservative (B)');
  const infoB = JSON.parse(redB.stdout) as { neurons: number; nonzeros: number; timeMs: number };
  const ansB = JSON.parse(consB.stdout) as { answer: string; method: string; timeMs: number };
  const caseB = {
    formula: 'random 3-SAT n=2347 m=10000 seed=1',
    neurons: infoB.neurons,
    nonzeros: infoB.nonzeros,
    fileBytes: statSync(netB).size,
    reduceWallMs: r1(redB.wallMs),
    reduceMaxRssMB: r1(redB.maxRssMB),
    conservativeWallMs: r1(consB.wallMs),
    conservativeMaxRssMB: r1(consB.maxRssMB),
    conservativeDecisionMs: ansB.timeMs,
    answer: ansB.answer,
    method: ansB.method,
    endToEndMs: r1(redB.wallMs + consB.wallMs),
  };

  // C. In-process series.
  const series: Record<string, number | string>[] = [];
  for (const m of quick ? [426, 1704, 4260] : [426, 1704, 4260, 10_000, 20_000]) {
    const n = Math.round(m / 4.26);
    const cnf = randomKSat({ n, m, k: 3 }, new Rng(1));
    const reps = m <= 4260 ? 3 : 1;
    const t: Record<string, number[]> = { reduce: [], write: [], read: [], conservative: [] };
    let row: Record<string, number | string> = {};
    for (let k = 0; k < reps; k++) {
      let s = performance.now();
      const net = reduceCnf(cnf);
      t.reduce!.push(performance.now() - s);
      s = performance.now();
      const text = serializeNetwork(net);
      t.write!.push(performance.now() - s);
      s = performance.now();
      const back = parseNetwork(text, 'bench');
      t.read!.push(performance.now() - s);
      s = performance.now();
      const a = decideConservative(back);
      t.conservative!.push(performance.now() - s);
      row = { m, n, neurons: net.neurons, layers: net.layers.length, nonzeros: net.nonzeros, denseEntries: net.weightCount, fileBytes: Buffer.byteLength(text), answer: a.answer };
    }
    for (const [k, v] of Object.entries(t)) row[`${k}Ms`] = r1(median(v));
    series.push(row);
  }

  const checks = {
    A_reduceCliWallMedianMs: { value: r1(median(reduceRuns.map((r) => r.wallMs))), goal: `≤ ${GOALS.reduceMs}` },
    A_reduceInProcessMedianMs: { value: r1(median(caseA.inProcessReduceMs)), goal: `≤ ${GOALS.reduceMs}` },
    A_cliStartupMedianMs: { value: r1(median(startup.map((r) => r.wallMs))), goal: 'context: start-up of any nsad command' },
    A_peakRssMaxMB: { value: r1(Math.max(...reduceRuns.map((r) => r.maxRssMB))), goal: `≤ ${GOALS.reduceRssMB}` },
    A_fileMB: { value: Math.round((fileBytesA / 1e6) * 1000) / 1000, goal: `≤ ${GOALS.fileMB}` },
    B_endToEndMs: { value: caseB.endToEndMs, goal: `≤ ${GOALS.endToEndMs}` },
  };
  const pass = {
    A_reduceCliWall: checks.A_reduceCliWallMedianMs.value <= GOALS.reduceMs,
    A_reduceInProcess: checks.A_reduceInProcessMedianMs.value <= GOALS.reduceMs,
    A_peakRss: checks.A_peakRssMaxMB.value <= GOALS.reduceRssMB,
    A_file: fileBytesA <= GOALS.fileMB * 1e6,
    B_endToEnd: caseB.endToEndMs <= GOALS.endToEndMs,
  };
  const record = {
    benchmark: 'sparse network storage at scale: reduce, write, read, conservative (issue 10, "Memory")',
    command: `npm run bench:scale${quick ? ' -- --quick' : ''}`,
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverage: { atStart: loadAtStart.map(r1), atEnd: loadavg().map(r1) },
    goals: GOALS,
    checks,
    pass,
    caseA,
    caseB,
    series,
  };
  writeJsonAtomic(join(outDir, `${base}.json`), record);

  const md: string[] = [];
  md.push(`# Network scale benchmark (\`${record.command}\`)`, '');
  md.push(`${record.date}, Node ${record.node}, ${record.cpus} CPUs, load average ${record.loadAverage.atStart.join(' / ')} at start, ${record.loadAverage.atEnd.join(' / ')} at end.`, '');
  md.push('| check | measured | goal | met |', '|---|---:|---|---|');
  const met = (b: boolean) => (b ? 'yes' : '**no**');
  md.push(`| A: \`nsad reduce\` n=400 m=1704, CLI wall (median of ${runs}) | ${checks.A_reduceCliWallMedianMs.value} ms | ≤ ${GOALS.reduceMs} ms | ${met(pass.A_reduceCliWall)} |`);
  md.push(`| A: the reduction itself, in the CLI process (median) | ${checks.A_reduceInProcessMedianMs.value} ms | ≤ ${GOALS.reduceMs} ms | ${met(pass.A_reduceInProcess)} |`);
  md.push(`| A: start-up of the CLI alone (\`nsad --version\`, median) | ${checks.A_cliStartupMedianMs.value} ms | (context) | |`);
  md.push(`| A: peak RSS of \`nsad reduce\` (max of ${runs}) | ${checks.A_peakRssMaxMB.value} MB | ≤ ${GOALS.reduceRssMB} MB | ${met(pass.A_peakRss)} |`);
  md.push(`| A: network file | ${checks.A_fileMB.value} MB | ≤ ${GOALS.fileMB} MB | ${met(pass.A_file)} |`);
  md.push(`| B: m = 10^4, \`nsad reduce\` + \`nsad conservative\` wall | ${caseB.endToEndMs} ms (${caseB.reduceWallMs} + ${caseB.conservativeWallMs}) | ≤ ${GOALS.endToEndMs} ms | ${met(pass.B_endToEnd)} |`);
  md.push('');
  md.push(`A: ${caseA.neurons} neurons, ${caseA.nonzeros} nonzeros, ${caseA.layers} weight layers; CLI wall ${caseA.cliWallMs.join(', ')} ms; peak RSS ${caseA.cliMaxRssMB.join(', ')} MB; start-up alone ${caseA.startupWallMs.join(', ')} ms (${caseA.startupMaxRssMB.join(', ')} MB).`);
  md.push(`B: ${caseB.neurons} neurons, ${caseB.nonzeros} nonzeros, file ${(caseB.fileBytes / 1e6).toFixed(2)} MB; answer \`${caseB.answer}\` by ${caseB.method} (decision ${caseB.conservativeDecisionMs} ms); peak RSS ${caseB.reduceMaxRssMB} MB (reduce), ${caseB.conservativeMaxRssMB} MB (conservative).`, '');
  md.push('C: in process (median of 3 runs up to m = 4260, one run above):', '');
  md.push('| m | n | neurons | nonzeros | dense entries | file bytes | reduce ms | write ms | read ms | conservative ms | answer |', '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of series)
    md.push(`| ${r.m} | ${r.n} | ${r.neurons} | ${r.nonzeros} | ${r.denseEntries} | ${r.fileBytes} | ${r.reduceMs} | ${r.writeMs} | ${r.readMs} | ${r.conservativeMs} | ${r.answer} |`);
  md.push('');
  writeFileAtomic(join(outDir, `${base}.md`), md.join('\n'));
  console.log(md.join('\n'));
} finally {
  rmSync(work, { recursive: true, force: true });
}
