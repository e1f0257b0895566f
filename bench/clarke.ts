/**
 * `npm run bench:clarke [-- options]`: the exact Clarke decision as a user meets it — CLI wall time
 * of `nsad decide FILE --proof P --json --jobs J` per file, the proof included — beside MiniSat
 * and HiGHS on the same files, against the targets of docs/benchmarks.md ("The exact decision at
 * SAT-solver speed"). Writes JSON (every row, the machine, the targets) and a Markdown table.
 *
 * Instances: the SATLIB samples in instances/satlib (per family), random 3-SAT at ratio 4.26 with
 * fixed seeds (n = 150 by default, seeds 150000…150009), and the two formulas of
 * test/fixtures/bab-depth-limit (each decided `unknown` by nsad 0.2).
 *
 * Each file: the CLI in a child process (compiled dist/, built first unless --no-build), wall
 * time measured around it; MiniSat: Debian's `minisat` when on PATH (the file rewritten without
 * SATLIB's trailing `%` line), else MiniSat in JavaScript (npm logic-solver) in-process; HiGHS:
 * `nsad decide --solver highs` on the families of --highs-families. A wrong answer (the decision
 * disagreeing with MiniSat) is counted and is a bug. `--resume` skips the rows already in --out.
 * The machine may be busy: its load average before and after is recorded with the figures.
 */
import { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Rng } from '../src/exact/rng';
import { parseDimacs, writeDimacs } from '../src/cnf/dimacs';
import { randomKSat, clausesForRatio } from '../src/cnf/generators/random-ksat';
import { solveSat } from '../src/cnf/sat';
import { writeFileAtomic, writeJsonAtomic } from '../src/io/atomic';

const ROOT = join(import.meta.dirname, '..');
const SATLIB = ['uf20-91', 'uf50-218', 'uuf50-218', 'uf75-325', 'uuf75-325', 'uf100-430', 'uuf100-430'];

const program = new Command('bench:clarke')
  .option('--families <list>', `SATLIB families (${SATLIB.join(',')}), random-N (random 3-SAT at 4.26 with n = N), depth-limit`, [...SATLIB, 'random-150', 'depth-limit'].join(','))
  .option('--files <n>', 'at most n files per family', 'Infinity')
  .option('--seeds <n>', 'random families: seeds 1000·N + 0 … n−1', '10')
  .option('--jobs <n>', 'threads of nsad decide (--jobs)', '2')
  .option('--limit <sec>', 'nsad decide --time-limit per file', '300')
  .option('--highs-families <list>', 'families where HiGHS (nsad decide --solver highs) runs too', 'uf20-91,uf50-218,uuf50-218')
  .option('--highs-files <n>', 'at most n files per family for HiGHS', '3')
  .option('--highs-limit <sec>', 'HiGHS --time-limit per file', '120')
  .option('--out <file>', 'JSON results (the Markdown table goes next to it, .md)', 'bench/results/clarke-decide.json')
  .option('--resume', 'keep the rows already in --out and skip their files')
  .option('--no-build', 'do not run `npm run build` first (dist/ must be current)');
program.parse();
const o = program.opts<{ families: string; files: string; seeds: string; jobs: string; limit: string; highsFamilies: string; highsFiles: string; highsLimit: string; out: string; resume?: boolean; build: boolean }>();
const num = (s: string, name: string): number => {
  const v = s === 'Infinity' ? Infinity : Number(s);
  if (!(v > 0)) throw new Error(`--${name}: expected a positive number, got ${s}`);
  return v;
};
const opts = {
  families: o.families.split(',').filter((f) => f !== ''),
  files: num(o.files, 'files'),
  seeds: num(o.seeds, 'seeds'),
  jobs: num(o.jobs, 'jobs'),
  limit: num(o.limit, 'limit'),
  highsFamilies: new Set(o.highsFamilies.split(',').filter((f) => f !== '')),
  highsFiles: num(o.highsFiles, 'highs-files'),
  highsLimit: num(o.highsLimit, 'highs-limit'),
  out: o.out,
  resume: o.resume === true,
};

interface Row {
  family: string;
  file: string;
  expected: 'sat' | 'unsat' | 'unknown';
  answer: string;
  satisfiable: boolean | null;
  wrong: boolean;
  /** nsad decide, CLI wall time (ms), and what it reported. */
  wallMs: number;
  proofBytes: number | null;
  bab: Record<string, number> | null;
  minisatMs: number;
  minisat: string;
  highs: { wallMs: number; answer: string; exact: boolean } | null;
}

function instances(family: string, dir: string): Array<{ family: string; file: string; path: string }> {
  if (SATLIB.includes(family)) {
    const d = join(ROOT, 'instances/satlib', family);
    return readdirSync(d).filter((f) => f.endsWith('.cnf')).sort().slice(0, opts.files).map((f) => ({ family, file: f, path: join(d, f) }));
  }
  if (family === 'depth-limit') {
    const d = join(ROOT, 'test/fixtures/bab-depth-limit');
    return readdirSync(d).filter((f) => f.endsWith('.cnf')).sort().map((f) => ({ family, file: f, path: join(d, f) }));
  }
  const m = /^random-(\d+)$/.exec(family);
  if (!m) throw new Error(`--families: unknown family ${family}`);
  const n = Number(m[1]);
  return Array.from({ length: Math.min(opts.seeds, opts.files) }, (_, i) => {
    const seed = 1000 * n + i;
    const cnf = randomKSat({ n, m: clausesForRatio(n, 4.26), k: 3 }, new Rng(seed));
    const file = `rand3-n${n}-r4.26-s${seed}.cnf`;
    const path = join(dir, file);
    writeFileSync(path, writeDimacs(cnf, [`random 3-SAT n=${n} ratio 4.26 seed ${seed} (bench/clarke.ts)`]));
    return { family, file, path };
  });
}

function wall<T>(f: () => T): { value: T; ms: number } {
  const t = process.hrtime.bigint();
  const value = f();
  return { value, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

const hasMinisat = spawnSync('minisat', ['--help'], { encoding: 'utf8' }).error === undefined;

function minisat(path: string, dir: string): { status: 'sat' | 'unsat' | 'unknown'; ms: number; solver: string } {
  const cnf = parseDimacs(readFileSync(path, 'utf8'), path, { warn: () => {} });
  if (!hasMinisat) {
    const r = solveSat(cnf);
    return { status: r.status, ms: r.timeMs, solver: 'MiniSat (npm logic-solver, in-process)' };
  }
  const clean = join(dir, 'minisat.cnf');
  writeFileSync(clean, writeDimacs(cnf));
  const r = wall(() => spawnSync('minisat', ['-verb=0', clean], { encoding: 'utf8' }));
  return { status: r.value.status === 10 ? 'sat' : r.value.status === 20 ? 'unsat' : 'unknown', ms: r.ms, solver: 'MiniSat 2.2 (Debian)' };
}

function decide(path: string, dir: string, extra: string[], limit: number): { json: Record<string, unknown> | null; ms: number; proofBytes: number | null; err: string } {
  const proof = join(dir, 'p.jsonl');
  rmSync(proof, { force: true });
  const args = [join(ROOT, 'bin/nsad.js'), 'decide', path, '--json', '--time-limit', String(limit), ...extra];
  if (!extra.includes('--solver')) args.push('--proof', proof);
  const r = wall(() => spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 }));
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(r.value.stdout) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { json, ms: r.ms, proofBytes: existsSync(proof) ? statSync(proof).size : null, err: r.value.stderr.trim().split('\n').pop() ?? '' };
}

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

if (o.build) {
  process.stderr.write('bench:clarke: npm run build\n');
  const b = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`npm run build failed: ${b.stderr}`);
}
const dir = mkdtempSync(join(tmpdir(), 'nsad-bench-clarke-'));
const prior: Row[] = opts.resume && existsSync(opts.out) ? (JSON.parse(readFileSync(opts.out, 'utf8')) as { rows: Row[] }).rows : [];
const rows: Row[] = prior.slice();
const done = new Set(prior.map((r) => `${r.family}/${r.file}`));
const started = new Date().toISOString();
const loadBefore = loadavg();
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
const all = opts.families.flatMap((f) => instances(f, dir));
let k = 0;
for (const inst of all) {
  k++;
  if (done.has(`${inst.family}/${inst.file}`)) continue;
  const ms = minisat(inst.path, dir);
  const d = decide(inst.path, dir, ['--jobs', String(opts.jobs)], opts.limit);
  const sat = d.json ? (d.json.satisfiable as boolean | null) : null;
  const wrong = sat !== null && ms.status !== 'unknown' && sat !== (ms.status === 'sat');
  let highs: Row['highs'] = null;
  const highsDone = rows.filter((r) => r.family === inst.family && r.highs).length;
  if (opts.highsFamilies.has(inst.family) && highsDone < opts.highsFiles) {
    const h = decide(inst.path, dir, ['--solver', 'highs'], opts.highsLimit);
    highs = { wallMs: h.ms, answer: String(h.json?.answer ?? 'error'), exact: h.json?.exact === true };
  }
  const row: Row = {
    family: inst.family,
    file: inst.file,
    expected: ms.status,
    answer: String(d.json?.answer ?? `error: ${d.err}`),
    satisfiable: sat,
    wrong,
    wallMs: d.ms,
    proofBytes: d.proofBytes,
    bab: (d.json?.bab as Record<string, number> | undefined) ?? null,
    minisatMs: ms.ms,
    minisat: ms.solver,
    highs,
  };
  rows.push(row);
  process.stderr.write(`bench:clarke: [${k}/${all.length}] ${inst.family}/${inst.file}: ${row.answer} in ${(row.wallMs / 1000).toFixed(2)} s${row.proofBytes !== null ? `, proof ${row.proofBytes} B` : ''}; MiniSat ${ms.status} ${ms.ms.toFixed(0)} ms${highs ? `; HiGHS ${highs.answer} ${(highs.wallMs / 1000).toFixed(1)} s` : ''}${wrong ? ' — WRONG' : ''}\n`);
  writeJsonAtomic(opts.out, { partial: true, rows });
}
rmSync(dir, { recursive: true, force: true });

// Summaries per family and the targets.
const fams = [...new Set(rows.map((r) => r.family))];
const summary = fams.map((family) => {
  const rs = rows.filter((r) => r.family === family);
  const decided = rs.filter((r) => r.satisfiable !== null);
  const bab = rs.map((r) => r.bab).filter((b): b is Record<string, number> => b !== null && b.searchMs > 0);
  const proofs = rs.map((r) => r.proofBytes).filter((b): b is number => b !== null);
  const highs = rs.filter((r) => r.highs);
  return {
    family,
    files: rs.length,
    decided: decided.length,
    wrong: rs.filter((r) => r.wrong).length,
    wallMedianS: median(rs.map((r) => r.wallMs)) / 1000,
    wallMaxS: Math.max(...rs.map((r) => r.wallMs)) / 1000,
    proofMedianBytes: proofs.length > 0 ? median(proofs) : null,
    checkMedianMs: median(bab.map((b) => b.checkMs).filter((x): x is number => x !== undefined)),
    searchMedianMs: median(bab.map((b) => b.searchMs)),
    /** Network bounds (boxes bounded exactly or in floats) per second of search, and CDCL nodes (decisions + conflicts) per second. */
    boundsPerSec: median(bab.map((b) => (1000 * b.bounds) / b.searchMs)),
    nodesPerSec: median(bab.map((b) => (1000 * (b.decisions + b.conflicts)) / b.searchMs)),
    minisatMedianMs: median(rs.map((r) => r.minisatMs)),
    highs: highs.length > 0 ? { files: highs.length, decided: highs.filter((r) => r.highs!.answer !== 'unknown' && r.highs!.exact).length, wallMedianS: median(highs.map((r) => r.highs!.wallMs)) / 1000 } : null,
  };
});
const fam = (f: string) => summary.find((s) => s.family === f);
type Target = { target: string; measured: string; met: boolean | null };
const targets: Target[] = [];
const addT = (target: string, fs: string[], get: (s: NonNullable<ReturnType<typeof fam>>) => number, bound: number, unit: string, digits = 2): void => {
  const vals = fs.map(fam).filter((s): s is NonNullable<typeof s> => s !== undefined);
  if (vals.length === 0) return targets.push({ target, measured: 'not run', met: null }) as unknown as void;
  const v = Math.max(...vals.map(get));
  targets.push({ target, measured: `${v.toFixed(digits)} ${unit} (${fs.filter((f) => fam(f)).join(', ')})`, met: v <= bound });
};
addT('uf20 median ≤ 0.2 s', ['uf20-91'], (s) => s.wallMedianS, 0.2, 's');
addT('uf50/uuf50 median ≤ 1 s', ['uf50-218', 'uuf50-218'], (s) => s.wallMedianS, 1, 's');
addT('uf50/uuf50 max ≤ 3 s', ['uf50-218', 'uuf50-218'], (s) => s.wallMaxS, 3, 's');
addT('uf100/uuf100 median ≤ 10 s', ['uf100-430', 'uuf100-430'], (s) => s.wallMedianS, 10, 's');
addT('uf100/uuf100 max ≤ 30 s', ['uf100-430', 'uuf100-430'], (s) => s.wallMaxS, 30, 's');
addT('uuf100 proofs median ≤ 100 KB', ['uuf100-430'], (s) => (s.proofMedianBytes ?? Infinity) / 1000, 100, 'KB', 1);
{
  const r150 = rows.filter((r) => r.family === 'random-150');
  targets.push({ target: 'n = 150 random 3-SAT at 4.26 (10 seeds): all answered within 300 s', measured: r150.length ? `${r150.filter((r) => r.satisfiable !== null && r.wallMs <= 300_000).length}/${r150.length} answered, max ${(Math.max(...r150.map((r) => r.wallMs)) / 1000).toFixed(1)} s` : 'not run', met: r150.length ? r150.every((r) => r.satisfiable !== null && r.wallMs <= 300_000) : null });
  const u = fam('uf50-218');
  const uu = fam('uuf50-218');
  const nps = [u, uu].filter((s) => s).map((s) => s!.boundsPerSec);
  targets.push({ target: 'node throughput ≥ 2,000 nodes/s on uf50 networks', measured: nps.length ? `${Math.min(...nps).toFixed(0)} network bounds/s; ${Math.min(...[u, uu].filter((s) => s).map((s) => s!.nodesPerSec)).toFixed(0)} CDCL nodes/s` : 'not run', met: nps.length ? Math.min(...nps) >= 2000 : null });
  const dl = rows.filter((r) => r.family === 'depth-limit');
  targets.push({ target: 'the depth-limit fixtures decided, each in ≤ 1 s', measured: dl.length ? dl.map((r) => `${r.file}: ${r.answer} ${(r.wallMs / 1000).toFixed(2)} s`).join('; ') : 'not run', met: dl.length ? dl.every((r) => r.satisfiable !== null && r.wallMs <= 1000) : null });
  const wrong = rows.filter((r) => r.wrong).length;
  targets.push({ target: '0 wrong answers against MiniSat', measured: `${wrong} wrong of ${rows.length}`, met: wrong === 0 });
}
const finished = new Date().toISOString();
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, loadBefore, loadAfter: loadavg(), commit, started, finished, minisat: hasMinisat ? 'MiniSat 2.2 (Debian)' : 'MiniSat (npm logic-solver)' };
const command = `npx tsx bench/clarke.ts ${process.argv.slice(2).join(' ')}`.trim();
writeJsonAtomic(opts.out, { command, machine, options: { ...opts, highsFamilies: [...opts.highsFamilies] }, targets, summary, rows });

const f = (x: number | null, d = 2): string => (x === null || !Number.isFinite(x) ? '–' : x.toFixed(d));
const md = [
  `# nsad decide: CLI wall time per file (\`${command}\`)`,
  '',
  `Commit ${commit}; ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; ${started} → ${finished}; load average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${machine.loadAfter.map((x) => x.toFixed(2)).join(' ')}. ${machine.minisat} for the SAT column. \`--jobs ${opts.jobs}\`, proof written and re-checked.`,
  '',
  '| target | measured | met |',
  '|---|---|---|',
  ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met === null ? '–' : t.met ? 'yes' : 'NO'} |`),
  '',
  '| family | files | decided | wrong | wall median (s) | wall max (s) | search median (ms) | proof median (KB) | check median (ms) | bounds/s | CDCL nodes/s | MiniSat median (ms) | HiGHS decided, median (s) |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...summary.map(
    (s) =>
      `| ${s.family} | ${s.files} | ${s.decided} | ${s.wrong} | ${f(s.wallMedianS)} | ${f(s.wallMaxS)} | ${f(s.searchMedianMs, 0)} | ${s.proofMedianBytes === null ? '–' : f(s.proofMedianBytes / 1000, 1)} | ${f(s.checkMedianMs, 0)} | ${f(s.boundsPerSec, 0)} | ${f(s.nodesPerSec, 0)} | ${f(s.minisatMedianMs, 0)} | ${s.highs ? `${s.highs.decided}/${s.highs.files}, ${f(s.highs.wallMedianS, 1)}` : '–'} |`,
  ),
  '',
  'Wall: `nsad decide FILE --json --proof P --jobs J` as a child process (Node start-up, reading, reduction, search, certificate or proof written and re-checked by the independent checker). Search and check: what the JSON reports (`bab.searchMs`, `bab.checkMs`). Bounds/s: network bounds per second of search (`bab.bounds`); CDCL nodes/s: decisions + conflicts per second of search. HiGHS: `nsad decide --solver highs`, exact answers only (a float singleton is `unknown`).',
  '',
];
writeFileAtomic(opts.out.replace(/\.json$/, '') + '.md', md.join('\n'));
process.stdout.write(md.join('\n'));
