/**
 * `npm run bench:milp [-- options]`: the Clarke decision on SAT instances, per MILP backend (the
 * benchmark of nsad 0.1–0.2; the CLI timing of the default procedure is `npm run bench:clarke`).
 *
 * Families: the SATLIB samples uf20-91, uf50-218 (satisfiable: decided = `two` with a valid
 * certificate and a checked assignment) and uuf50-218 (unsatisfiable: decided = `singleton`), and
 * `random-unsat`: random 3-SAT at ratio 4.26, n ∈ {10, 12, 14, 16}, kept when the reference SAT
 * solver says unsat (decided = `singleton`). A wrong answer (e.g. `two` on an unsat formula, or a
 * certificate the verifier rejects) is counted separately and is a bug.
 *
 * Options:
 *   --solvers highs,glpk,lpsolver   backends (default all three)
 *   --families uf20-91,uf50-218,uuf50-218,random-unsat   (default all; `none` for none)
 *   --limit 120        seconds per instance (uuf50-218: --uuf-limit, default 300)
 *   --files N          at most N files per family (default all); --from K skips the first K
 *   --random-per-n K   random-unsat formulas per n (default 3)
 *   --agreement N      also decide N seeded random small formulas (n 3..8) and count agreement
 *                      with the reference SAT solver (default solver only)
 *   --out FILE         JSON results (default bench/results/clarke.json)
 * Prints a table on stdout, progress on stderr. The machine may be shared: wall-clock figures
 * are whatever this machine gave at the time.
 *
 * `--bab`: the branch and bound (src/clarke/bab) instead, per SATLIB family (default all seven:
 * uf20-91 … uuf100-430): bab time and answer, proof nodes/leaves/bytes, proof verification time
 * (src/verify/proof.ts), MiniSat time, and with `--milp highs` the HiGHS MILP time on the same
 * file. Options: --families, --files N, --from K, --limit S (bab seconds per file, default 300),
 * --milp-limit S (default 120), --milp-families F1,F2 (MILP only there), --files-100 N (cap for
 * uf100/uuf100), --out FILE (default bench/results/clarke-bab.json; the Markdown
 * table goes next to it as .md), --append (keep the rows already in --out). Wrong answers (two on an unsat file, an invalid proof or
 * certificate) are counted and are bugs.
 */
import { basename } from 'node:path';
import { Rng } from '../src/exact/rng';
import { readCnfFile } from '../src/cnf/dimacs';
import { satlibFiles, type SatlibFamily } from '../src/cnf/satlib';
import { randomKSat, clausesForRatio } from '../src/cnf/generators/random-ksat';
import { solveSat } from '../src/cnf/sat';
import { satisfies, type Cnf } from '../src/cnf/cnf';
import { decideCnf } from '../reductions/decide-cnf';
import { networkToJson } from '../src/network/format';
import { certificateToJson } from '../src/certificate/certificate';
import { verifyCertificate } from '../src/verify';
import { shutdownWorkers } from '../src/milp/backends';
import { SOLVER_NAMES, type SolverName } from '../src/milp/model';
import { writeJsonAtomic } from '../src/io/atomic';

type Family = SatlibFamily | 'random-unsat';


function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const solvers = (arg('solvers')?.split(',') ?? [...SOLVER_NAMES]) as SolverName[];
const ALL_FAMILIES: Family[] = ['uf20-91', 'uf50-218', 'uuf50-218', 'random-unsat'];
// `--families none` runs no family (e.g. with --agreement only).
const families = (arg('families')?.split(',').filter((f) => f !== 'none' && f !== '') ?? ALL_FAMILIES) as Family[];
if (!process.argv.includes('--bab')) for (const f of families) if (!ALL_FAMILIES.includes(f)) throw new Error(`--families: unknown family ${f}; expected ${ALL_FAMILIES.join(', ')} or none`);
const limit = Number(arg('limit') ?? 120);
const uufLimit = Number(arg('uuf-limit') ?? 300);
const maxFiles = Number(arg('files') ?? Infinity);
const from = Number(arg('from') ?? 0);
const perN = Number(arg('random-per-n') ?? 3);
const agreement = Number(arg('agreement') ?? 0);
const out = arg('out') ?? 'bench/results/clarke.json';

interface Row {
  solver: SolverName;
  family: Family;
  instance: string;
  expected: 'sat' | 'unsat';
  answer: string;
  decided: boolean;
  wrong: boolean;
  timeMs: number;
  binariesBefore: number;
  binaries: number;
  constraints: number;
  restsOn: string;
}

function instances(f: Family): Array<{ name: string; cnf: Cnf; expected: 'sat' | 'unsat' }> {
  if (f === 'random-unsat') {
    const rng = new Rng(426);
    const res: Array<{ name: string; cnf: Cnf; expected: 'sat' | 'unsat' }> = [];
    for (const n of [10, 12, 14, 16]) {
      let kept = 0;
      for (let t = 0; kept < perN && t < 200; t++) {
        const cnf = randomKSat({ n, m: clausesForRatio(n, 4.26), k: 3 }, rng);
        if (solveSat(cnf).status === 'unsat') {
          res.push({ name: `rand-n${n}-${t}`, cnf, expected: 'unsat' });
          kept++;
        }
      }
    }
    return res.slice(0, maxFiles);
  }
  return satlibFiles(f)
    .slice(from, from + maxFiles)
    .map((p) => ({ name: basename(p), cnf: readCnfFile(p), expected: f.startsWith('uuf') ? 'unsat' : 'sat' }));
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

if (process.argv.includes('--bab')) {
  await benchBab();
  process.exit(0);
}

const rows: Row[] = [];
const started = new Date().toISOString();
for (const family of families) {
  const list = instances(family);
  if (list.length === 0) {
    process.stderr.write(`bench:clarke: no instances for ${family} (SATLIB directory absent?)\n`);
    continue;
  }
  for (const solver of solvers) {
    for (const inst of list) {
      const lim = family === 'uuf50-218' ? uufLimit : limit;
      const a = await decideCnf(inst.cnf, { solver, timeLimitSec: lim });
      let wrong = false;
      if (a.answer === 'two') {
        const v = verifyCertificate(networkToJson(a.net!), certificateToJson(a.certificate!));
        wrong = !v.valid || inst.expected !== 'sat' || !satisfies(inst.cnf, a.assignment!);
      } else if (a.answer === 'singleton') wrong = inst.expected !== 'unsat';
      const decided = !wrong && a.answer !== 'unknown';
      const row: Row = {
        solver,
        family,
        instance: inst.name,
        expected: inst.expected,
        answer: a.answer,
        decided,
        wrong,
        timeMs: Math.round(a.timeMs),
        binariesBefore: a.binariesBefore,
        binaries: a.binaries,
        constraints: a.constraints,
        restsOn: a.restsOn,
      };
      rows.push(row);
      process.stderr.write(`${solver} ${family} ${inst.name}: ${a.answer}${wrong ? ' WRONG' : ''} ${(a.timeMs / 1000).toFixed(1)} s, binaries ${a.binariesBefore} → ${a.binaries}\n`);
      writeJsonAtomic(out, { started, limit, uufLimit, rows });
    }
  }
}

let agree: { formulas: number; agree: number; unknown: number; disagree: number; sat: number; unsat: number } | null = null;
if (agreement > 0) {
  const rng = new Rng(2023);
  agree = { formulas: 0, agree: 0, unknown: 0, disagree: 0, sat: 0, unsat: 0 };
  for (let t = 0; t < agreement; t++) {
    const n = 3 + (t % 6);
    const cnf = randomKSat({ n, m: Math.max(1, Math.round(n * (2 + (t % 5)))), k: 3 }, rng);
    const ref = solveSat(cnf).status;
    const a = await decideCnf(cnf, { solver: solvers[0]!, timeLimitSec: 30, seed: t });
    agree.formulas++;
    if (ref === 'sat') agree.sat++;
    else agree.unsat++;
    if (a.satisfiable === null) agree.unknown++;
    else if (a.satisfiable === (ref === 'sat')) agree.agree++;
    else agree.disagree++;
    if ((t + 1) % 50 === 0) process.stderr.write(`agreement: ${t + 1}/${agreement}\n`);
  }
}

const summary = [];
for (const solver of solvers)
  for (const family of families) {
    const rs = rows.filter((r) => r.solver === solver && r.family === family);
    if (rs.length === 0) continue;
    const dec = rs.filter((r) => r.decided);
    summary.push({
      solver,
      family,
      instances: rs.length,
      decided: dec.length,
      wrong: rs.filter((r) => r.wrong).length,
      medianSec: median(dec.map((r) => r.timeMs / 1000)),
      maxSec: dec.length ? Math.max(...dec.map((r) => r.timeMs / 1000)) : null,
      binariesBefore: median(rs.map((r) => r.binariesBefore)),
      binaries: median(rs.map((r) => r.binaries)),
      constraints: median(rs.map((r) => r.constraints)),
    });
  }
writeJsonAtomic(out, { started, finished: new Date().toISOString(), limit, uufLimit, summary, agreement: agree, rows });
await shutdownWorkers();

const fmt = (x: number | null, d = 1) => (x === null ? '-' : x.toFixed(d));
console.log('| solver | family | decided | wrong | median s | max s | binaries (before → after) | constraints |');
console.log('|---|---|---|---|---|---|---|---|');
for (const s of summary)
  console.log(
    `| ${s.solver} | ${s.family} | ${s.decided}/${s.instances} | ${s.wrong} | ${fmt(s.medianSec)} | ${fmt(s.maxSec)} | ${s.binariesBefore} → ${s.binaries} | ${s.constraints} |`,
  );
if (agree) console.log(`\nagreement with the reference SAT solver: ${agree.agree}/${agree.formulas} (${agree.sat} sat, ${agree.unsat} unsat; unknown ${agree.unknown}, disagree ${agree.disagree})`);
console.log(`\nresults: ${out}`);

/** The `--bab` benchmark (see the header). */
async function benchBab(): Promise<void> {
  const { SATLIB_FAMILIES } = await import('../src/cnf/satlib');
  const { reduceCnf, decodePoint } = await import('../reductions/sat-to-relu');
  const { babClarke } = await import('../src/clarke/bab/clarke');
  const { ProofBuffer } = await import('../src/certificate/proof');
  const { verifyProof } = await import('../src/verify/proof');
  const { writeFileAtomic } = await import('../src/io/atomic');
  // `--families none --append`: no new runs, only the table from the rows already in --out.
  const fams = (arg('families') === 'none' ? [] : (arg('families')?.split(',') ?? [...SATLIB_FAMILIES])) as SatlibFamily[];
  for (const f of fams) if (!SATLIB_FAMILIES.includes(f)) throw new Error(`--families: unknown family ${f}`);
  const babLimit = Number(arg('limit') ?? 300);
  const milp = arg('milp');
  const milpLimit = Number(arg('milp-limit') ?? 120);
  const milpFamilies = arg('milp-families')?.split(',') ?? null;
  const outJson = arg('out') ?? 'bench/results/clarke-bab.json';
  const outMd = outJson.replace(/\.json$/, '') + '.md';
  interface BabRow {
    family: SatlibFamily;
    instance: string;
    expected: 'sat' | 'unsat';
    answer: string;
    wrong: boolean;
    babSec: number;
    nodes: number | null;
    leaves: number | null;
    proofBytes: number | null;
    verifySec: number | null;
    minisatSec: number;
    milpAnswer?: string;
    milpSec?: number;
    restsOn: string;
    limitSec?: number;
    milpLimitSec?: number;
  }
  const rows: BabRow[] = [];
  let startedAt = new Date().toISOString();
  // --append: keep the rows of an earlier run in --out (other files or families), replace re-run files.
  if (process.argv.includes('--append')) {
    const { existsSync, readFileSync } = await import('node:fs');
    if (existsSync(outJson)) {
      const old = JSON.parse(readFileSync(outJson, 'utf8')) as { started: string; babLimit: number; rows: BabRow[] };
      rows.push(...old.rows.map((r) => ({ ...r, limitSec: r.limitSec ?? old.babLimit })));
      startedAt = old.started;
    }
  }
  const replace = (row: BabRow): void => {
    const i = rows.findIndex((r) => r.family === row.family && r.instance === row.instance);
    if (i >= 0) rows.splice(i, 1);
    rows.push(row);
  };
  const save = () => writeJsonAtomic(outJson, { started: startedAt, babLimit, milp: milp ?? null, milpLimit, rows, summary: summarize() });
  const summarize = () =>
    SATLIB_FAMILIES.filter((f) => fams.includes(f) || rows.some((r) => r.family === f))
      .map((family) => {
        const rs = rows.filter((r) => r.family === family);
        if (rs.length === 0) return null;
        const dec = rs.filter((r) => !r.wrong && r.answer !== 'unknown');
        const proofs = rs.filter((r) => r.verifySec !== null);
        return {
          family,
          limits: [...new Set(rs.map((r) => r.limitSec ?? babLimit))].join('/'),
          files: rs.length,
          decided: dec.length,
          wrong: rs.filter((r) => r.wrong).length,
          medianSec: median(dec.map((r) => r.babSec)),
          maxSec: dec.length ? Math.max(...dec.map((r) => r.babSec)) : null,
          medianLeaves: median(proofs.map((r) => r.leaves!)),
          medianProofKB: median(proofs.map((r) => r.proofBytes! / 1024)),
          medianVerifySec: median(proofs.map((r) => r.verifySec!)),
          maxVerifyRatio: proofs.length ? Math.max(...proofs.map((r) => r.verifySec! / r.babSec)) : null,
          medianMinisatSec: median(rs.map((r) => r.minisatSec)),
          milpRun: rs.filter((r) => r.milpAnswer !== undefined).length,
          milpLimits: [...new Set(rs.filter((r) => r.milpAnswer !== undefined).map((r) => r.milpLimitSec ?? milpLimit))].join('/'),
          milpDecided: rs.filter((r) => r.milpAnswer !== undefined && r.milpAnswer !== 'unknown').length,
          medianMilpSec: median(rs.filter((r) => r.milpAnswer !== undefined && r.milpAnswer !== 'unknown').map((r) => r.milpSec!)),
        };
      })
      .filter((x) => x !== null);
  for (const family of fams) {
    const cap = family.endsWith('100-430') && arg('files-100') !== undefined ? Number(arg('files-100')) : maxFiles;
    const files = satlibFiles(family).slice(from, from + cap);
    for (const path of files) {
      const cnf = readCnfFile(path);
      const expected = family.startsWith('uuf') ? 'unsat' : 'sat';
      const net = reduceCnf(cnf);
      const buf = new ProofBuffer();
      const a = babClarke(net, { timeLimitSec: babLimit, proofSink: buf.sink });
      let wrong = false;
      let verifySec: number | null = null;
      if (a.answer === 'singleton') {
        const v = verifyProof(networkToJson(net), buf.lines);
        verifySec = v.timeMs / 1000;
        wrong = !v.valid || !v.singleton || expected !== 'unsat';
      } else if (a.answer === 'two') {
        const v = verifyCertificate(networkToJson(net), certificateToJson(a.certificate!));
        const h = a.certificate!.directions[1]!;
        wrong = !v.valid || expected !== 'sat' || (decodePoint(cnf, h).satisfies === false && decodePoint(cnf, a.certificate!.directions[0]!).satisfies === false);
      }
      const t0 = performance.now();
      const ref = solveSat(cnf);
      const minisatSec = (performance.now() - t0) / 1000;
      if ((ref.status === 'sat') !== (expected === 'sat')) throw new Error(`${path}: MiniSat says ${ref.status}, the family says ${expected}`);
      const row: BabRow = {
        family,
        instance: basename(path),
        expected,
        answer: a.answer,
        wrong,
        babSec: a.timeMs / 1000,
        nodes: a.bab?.nodes ?? null,
        leaves: a.answer === 'singleton' ? (a.bab?.leaves ?? null) : null,
        proofBytes: a.answer === 'singleton' ? buf.bytes : null,
        verifySec,
        minisatSec,
        restsOn: a.restsOn,
        limitSec: babLimit,
      };
      if (milp && (milpFamilies === null || milpFamilies.includes(family))) {
        const m = await decideCnf(cnf, { solver: milp as SolverName, timeLimitSec: milpLimit, trustSolver: true } as Parameters<typeof decideCnf>[1]);
        row.milpAnswer = m.answer;
        row.milpLimitSec = milpLimit;
        row.milpSec = m.timeMs / 1000;
      }
      replace(row);
      process.stderr.write(
        `bab ${family} ${row.instance}: ${a.answer}${wrong ? ' WRONG' : ''} ${row.babSec.toFixed(2)} s, ${row.nodes ?? '-'} nodes` +
          (verifySec !== null ? `, proof ${row.leaves} leaves ${(buf.bytes / 1024).toFixed(0)} KiB verified in ${verifySec.toFixed(2)} s` : '') +
          `, minisat ${(minisatSec * 1000).toFixed(1)} ms` +
          (row.milpSec !== undefined ? `, ${milp} ${row.milpAnswer} ${row.milpSec.toFixed(1)} s` : '') +
          '\n',
      );
      save();
    }
  }
  save();
  await shutdownWorkers();
  const showMilp = rows.some((r) => r.milpAnswer !== undefined);
  const milpName = milp ?? 'highs';
  const fmt = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '-' : x.toFixed(d));
  const lines = [
    `Branch and bound (src/clarke/bab) on the SATLIB samples, ${startedAt}; bab time limit per file in the "limit s" column${showMilp ? `; the MILP (${milpName}, with --trust-solver semantics, answers counted when not unknown) on the files and with the limits shown` : ''}. Measured on a shared 2-core machine (other jobs running): wall-clock figures are noisy.`,
    '',
    `| family | limit s | files | decided | wrong | bab median s | bab max s | proof leaves (median) | proof KiB (median) | verify median s | max verify/bab | MiniSat median ms |${showMilp ? ` ${milpName} decided (limit s) | ${milpName} median s |` : ''}`,
    `|---|---|---|---|---|---|---|---|---|---|---|---|${showMilp ? '---|---|' : ''}`,
    ...summarize().map(
      (s) =>
        `| ${s.family} | ${s.limits} | ${s.files} | ${s.decided} | ${s.wrong} | ${fmt(s.medianSec)} | ${fmt(s.maxSec)} | ${fmt(s.medianLeaves, 0)} | ${fmt(s.medianProofKB, 0)} | ${fmt(s.medianVerifySec)} | ${fmt(s.maxVerifyRatio, 3)} | ${fmt(s.medianMinisatSec === null ? null : s.medianMinisatSec * 1000, 1)} |` +
        (showMilp ? ` ${s.milpRun > 0 ? `${s.milpDecided}/${s.milpRun} (${s.milpLimits})` : 'not run'} | ${fmt(s.medianMilpSec)} |` : ''),
    ),
    '',
  ];
  writeFileAtomic(outMd, lines.join('\n'));
  console.log(lines.join('\n'));
  console.log(`results: ${outJson}, ${outMd}`);
}
