/**
 * `nsad run-suite DIR`: any decision procedure over a whole suite (reductions/families/suite.ts,
 * docs/formats.md "Suites"), as an experiment of the runner, so that a suite run is resumable
 * (rows.jsonl), shardable (`--shard i/n`, the Slurm script), parallel (`--jobs`) and mergeable
 * (`nsad experiment merge`) exactly like the paper's experiments.
 *
 * One task per (instance, method). Methods:
 *  - `bab`, `highs`, `glpk`, `lpsolver` (experiments/methods.ts): the Clarke question at x̄. A
 *    formula row is reduced first (reductions/sat-to-relu.ts) and decided at 0 with the reduction
 *    rule (this code built the network, docs/theory.md §6 "Thresholds"); a network row is decided
 *    at its point, its `meta` never trusted;
 *  - `sat`: the reference SAT solver on formula rows (network rows have no task for it).
 * Every answer is checked here, never trusted: a `two` certificate by the independent verifier
 * (src/verify); on a formula, the assignment decoded from it must satisfy the formula (decideCnf
 * checks it); a bab `singleton` rests on a proof that src/verify/proof.ts re-checked whole (the
 * row records `restsOn`); a MILP backend's floating-point singleton is `unknown` (hint recorded),
 * as everywhere in nsad. A SAT solver's `sat` comes with an assignment checked against the formula;
 * its `unsat` is MiniSat's word (the row says `exact: false`).
 *
 * Agreement: each answer against the suite's expected answer (formula rows: `two` iff satisfiable,
 * docs/theory.md §4). `unknown` on either side agrees with nothing and disagrees with nothing. A
 * disagreement is a bug in a procedure or in the suite; the run says so loudly (and the CLI exits 1).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../src/errors';
import { median } from '../src/exact/stats';
import { sha256 } from '../src/cnf/manifest';
import { parseDimacs } from '../src/cnf/dimacs';
import { satisfies } from '../src/cnf/cnf';
import { solveSat } from '../src/cnf/sat';
import { parseNetwork, networkToJson } from '../src/network/format';
import { decideClarke, type ClarkeAnswer } from '../src/clarke/decide';
import type { Network } from '../src/network/network';
import { certificateToJson } from '../src/certificate/certificate';
import { verifyCertificate } from '../src/verify/index';
import { decideCnf } from '../reductions/decide-cnf';
import { entryPoint, readSuite } from '../reductions/families/suite';
import { availableMethods, asSolver } from './methods';
import { markdownTable } from './runner/table';
import type { Experiment, ExperimentOptions, Json, Report, Row, Task } from './runner/types';

/** The SAT solver as a suite method (formula rows only). */
export const SAT_METHOD = 'sat';

/** Methods run-suite accepts: the Clarke procedures of this build, and the SAT solver. */
export function suiteMethods(): string[] {
  return [...availableMethods(), SAT_METHOD];
}

/** Parse `--method a,b`: known, no repeats (UserError naming the bad item). */
export function parseSuiteMethods(text: string): string[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const known = suiteMethods();
  if (items.length === 0) throw new UserError(`--method: expected a comma-separated list, e.g. bab,sat (available: ${known.join(', ')})`);
  const seen = new Set<string>();
  for (const m of items) {
    if (!known.includes(m)) throw new UserError(`--method: unknown or unavailable method "${m}"; available: ${known.join(', ')}`);
    if (seen.has(m)) throw new UserError(`--method: "${m}" given twice`);
    seen.add(m);
  }
  return items;
}

/** The suite folder of the options, absolute (recorded relative to the working folder when inside it). */
export function suiteDirOf(opts: ExperimentOptions): string {
  if (opts.suite === undefined) throw new UserError('run-suite: no suite folder in the options (a manifest not written by run-suite?)');
  return resolve(opts.suite);
}

/** How a suite folder is recorded in the options: relative to the working folder when inside it. */
export function recordedSuitePath(dir: string): string {
  const abs = resolve(dir);
  const rel = relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : abs;
}

/** sha256 of the suite's manifest.json: a resumed or merged run must be over the same suite. */
export function suiteFingerprint(dir: string): string {
  return sha256(readFileSync(join(dir, 'manifest.json')));
}

export interface SuiteTask extends Task {
  file: string;
  kind: 'cnf' | 'network';
  family: string;
  method: string;
  expected: string;
  limitSec: number;
  /** Network rows at x̄ ≠ 0: the entry's point (exact rationals as strings). */
  at?: string[];
}

/**
 * Every (instance, method) pair, in manifest order then method order. Pre-checks the whole suite
 * before any work: each file exists and has the sha256 its entry records (a changed instance would
 * make its expected answer meaningless), and the manifest is the one the options were recorded with.
 */
function suiteTasks(opts: ExperimentOptions): SuiteTask[] {
  const dir = suiteDirOf(opts);
  const m = readSuite(dir);
  if (opts.suiteSha256 !== undefined && suiteFingerprint(dir) !== opts.suiteSha256)
    throw new UserError(`${join(dir, 'manifest.json')}: the suite changed since this run was started (sha256 differs from the recorded one); start a new run`);
  for (const e of m.instances) {
    const p = join(dir, e.file);
    if (!existsSync(p)) throw new UserError(`${join(dir, 'manifest.json')}: ${e.file}: listed but missing from the suite folder`);
    if (typeof e.sha256 === 'string' && sha256(readFileSync(p)) !== e.sha256)
      throw new UserError(`${p}: sha256 differs from the manifest's (the instance changed after generation; its expected answer no longer applies)`);
  }
  const methods = opts.methods ?? ['bab'];
  const tasks: SuiteTask[] = [];
  for (const e of m.instances)
    for (const method of methods) {
      if (method === SAT_METHOD && e.kind !== 'cnf') continue;
      const limitSec = Math.min(e.timeLimitSec, opts.timeLimitSec);
      tasks.push({ id: `${method}:${e.file}`, file: e.file, kind: e.kind, family: e.family, method, expected: e.expected, limitSec, ...(e.at ? { at: e.at } : {}) });
    }
  return tasks;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** One answer against the expected one: true, false, or null when either is unknown. */
const agreement = (answer: string, expected: string): boolean | null =>
  answer === 'unknown' || expected === 'unknown' || answer === 'error' ? null : answer === expected;

/** A Clarke answer into its row; a `two`'s certificate re-checked by the independent verifier. */
function recordClarke(row: Row, a: ClarkeAnswer, net: Network | null, t0: number, problems: string[]): void {
  row.ms = round1(performance.now() - t0);
  row.answer = a.answer;
  row.exact = a.exact;
  row.restsOn = a.restsOn;
  if (a.hint) row.hint = a.hint;
  if (a.answer === 'two') {
    const v = verifyCertificate(networkToJson(net!), certificateToJson(a.certificate!));
    row.certValid = v.valid;
    if (!v.valid) problems.push(`certificate REJECTED by src/verify: ${v.reason}`);
  }
}

async function runTask(t: SuiteTask, opts: ExperimentOptions): Promise<Row> {
  const dir = suiteDirOf(opts);
  const path = join(dir, t.file);
  const row: Row = { id: t.id, file: t.file, kind: t.kind, family: t.family, method: t.method, expected: t.expected, limitSec: t.limitSec };
  const problems: string[] = [];
  const t0 = performance.now();
  try {
    if (t.method === SAT_METHOD) {
      const cnf = parseDimacs(readFileSync(path, 'utf8'), path);
      const r = solveSat(cnf, { timeLimitSec: t.limitSec });
      row.ms = round1(performance.now() - t0);
      // The solver's own time: the child process it runs in (for the limit) starts in 50–400 ms.
      if (r.solverMs !== undefined) row.solverMs = round1(r.solverMs);
      row.status = r.status;
      row.answer = r.status === 'sat' ? 'two' : r.status === 'unsat' ? 'singleton' : 'unknown';
      // solveSat checks its assignment; checked again here because the row claims it.
      if (r.status === 'sat' && !(r.assignment && satisfies(cnf, r.assignment))) problems.push('sat: the assignment does not satisfy the formula');
      row.exact = r.status === 'sat';
      row.restsOn = r.status === 'sat' ? 'a satisfying assignment, checked' : r.status === 'unsat' ? "MiniSat's word (no proof)" : (r.reason ?? 'unknown');
    } else if (t.kind === 'cnf') {
      const cnf = parseDimacs(readFileSync(path, 'utf8'), path);
      const a = await decideCnf(cnf, { solver: asSolver(t.method), timeLimitSec: t.limitSec, seed: opts.seed, jobs: 1 });
      recordClarke(row, a, a.net, t0, problems);
    } else {
      const net = parseNetwork(readFileSync(path, 'utf8'), path);
      const at = entryPoint(t, net.inputDim);
      const a = await decideClarke(net, { solver: asSolver(t.method), at, timeLimitSec: t.limitSec, seed: opts.seed, jobs: 1 });
      recordClarke(row, a, net, t0, problems);
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    row.ms = round1(performance.now() - t0);
    row.answer = 'error';
    row.error = (e as Error).message.split('\n')[0]!;
    problems.push(`error: ${row.error}`);
  }
  const agrees = agreement(row.answer as string, t.expected);
  row.agrees = agrees;
  if (agrees === false) problems.push(`answer ${row.answer as string} but the suite expects ${t.expected}`);
  row.disagreements = problems;
  return row;
}

interface Group {
  family: string;
  kind: string;
  method: string;
  rows: Row[];
}

function groups(rows: readonly Row[]): Group[] {
  const by = new Map<string, Group>();
  for (const r of rows) {
    const key = `${r.kind as string}\u0000${r.family as string}\u0000${r.method as string}`;
    let g = by.get(key);
    if (!g) by.set(key, (g = { family: r.family as string, kind: r.kind as string, method: r.method as string, rows: [] }));
    g.rows.push(r);
  }
  return [...by.values()];
}

/** The time a row is tabled with: the solver's own for sat (see runTask), else the task's wall time. */
const timeOf = (r: Row): number => (typeof r.solverMs === 'number' ? r.solverMs : (r.ms as number));

const fmtMs = (ms: number | null): string => (ms === null ? '–' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);

function report(rows: Row[], opts: ExperimentOptions): Report {
  const gs = groups(rows);
  const count = (rs: readonly Row[], f: (r: Row) => boolean): number => rs.filter(f).length;
  const disagreeing = rows.filter((r) => (r.disagreements as string[]).length > 0);
  const table = markdownTable({
    columns: ['kind', 'family', 'method', 'instances', 'two', 'singleton', 'unknown', 'agree', 'disagree', 'time median', 'time max'],
    rows: gs.map((g) => {
      const ms = g.rows.map(timeOf);
      return [
        g.kind,
        g.family,
        g.method,
        g.rows.length,
        count(g.rows, (r) => r.answer === 'two'),
        count(g.rows, (r) => r.answer === 'singleton'),
        count(g.rows, (r) => r.answer === 'unknown' || r.answer === 'error'),
        count(g.rows, (r) => r.agrees === true),
        count(g.rows, (r) => (r.disagreements as string[]).length > 0),
        fmtMs(ms.length ? median(ms) : null),
        fmtMs(ms.length ? Math.max(...ms) : null),
      ];
    }),
  });
  const methods = [...new Set(rows.map((r) => r.method as string))];
  const perMethod = methods.map((m) => {
    const rs = rows.filter((r) => r.method === m);
    return {
      method: m,
      tasks: rs.length,
      solved: count(rs, (r) => r.answer === 'two' || r.answer === 'singleton'),
      unknown: count(rs, (r) => r.answer === 'unknown' || r.answer === 'error'),
      agree: count(rs, (r) => r.agrees === true),
      disagree: count(rs, (r) => (r.disagreements as string[]).length > 0),
      medianMs: rs.length ? median(rs.map(timeOf)) : null,
    };
  });
  const lines = [
    `Suite: \`${opts.suite}\` (manifest sha256 ${opts.suiteSha256?.slice(0, 12) ?? '?'}…); methods ${methods.join(', ')}; per-instance limit: the suite's, capped at ${opts.timeLimitSec} s.`,
    '',
    disagreeing.length === 0
      ? `**Agreement: every answer given agrees with the suite's expected answer** (${rows.length} rows; "unknown" neither agrees nor disagrees).`
      : `**DISAGREEMENTS: ${disagreeing.length} row(s)** — a bug in a procedure or in the suite:\n\n${disagreeing.map((r) => `- ${r.id}: ${(r.disagreements as string[]).join('; ')}`).join('\n')}`,
    '',
    table,
    '',
    'Time: wall time of one task in its worker (Clarke methods: reading, reduction of a formula, the decision with its own exact checks, and the certificate re-check here); `sat`: MiniSat\'s own time, without the start-up of the child process that enforces its limit.',
    '',
    markdownTable({
      columns: ['method', 'tasks', 'solved', 'unknown', 'agree', 'disagree', 'time median'],
      rows: perMethod.map((p) => [p.method, p.tasks, p.solved, p.unknown, p.agree, p.disagree, fmtMs(p.medianMs)]),
    }),
  ];
  const values = rows.map((r) => ({ family: `${r.kind as string}: ${r.family as string}`, method: r.method, ms: Math.max(timeOf(r), 0.1), answer: r.answer }));
  return {
    markdown: lines.join('\n'),
    plots: [
      {
        name: 'times',
        spec: {
          $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
          title: 'Time per instance, by family and method',
          width: 420,
          data: { values },
          mark: { type: 'point', filled: true },
          encoding: {
            y: { field: 'family', type: 'nominal', title: null },
            x: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'wall time (ms, log)' },
            color: { field: 'method', type: 'nominal' },
            shape: { field: 'answer', type: 'nominal' },
          },
        },
      },
    ],
    claims: [],
    summary: {
      suite: opts.suite ?? null,
      rows: rows.length,
      disagreements: disagreeing.length,
      methods: perMethod as unknown as Json,
      families: gs.map((g) => ({
        kind: g.kind,
        family: g.family,
        method: g.method,
        instances: g.rows.length,
        solved: count(g.rows, (r) => r.answer === 'two' || r.answer === 'singleton'),
        agree: count(g.rows, (r) => r.agrees === true),
        disagree: count(g.rows, (r) => (r.disagreements as string[]).length > 0),
        medianMs: median(g.rows.map(timeOf)),
      })) as unknown as Json,
    },
  };
}

const experiment: Experiment<SuiteTask, Row> = {
  name: 'suite',
  title: 'A suite run (nsad run-suite)',
  describe: (opts) =>
    `Every instance of the suite \`${opts.suite}\` with ${(opts.methods ?? ['bab']).join(', ')}; each answer checked (certificates by src/verify, bab proofs re-checked whole, SAT assignments against the formula) and compared with the suite's expected answer.`,
  // The suite's own per-instance limits; --time-limit caps them.
  defaultTimeLimitSec: () => 1e6,
  parallel: true,
  tasks: suiteTasks,
  run: runTask,
  report,
};

export default experiment;
