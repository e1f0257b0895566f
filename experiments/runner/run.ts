/**
 * Running experiments: one experiment (`runExperiment`), all of them with the claims table
 * (`runAll`), and combining shard outputs (`mergeDirs`).
 *
 * Layout of an output root `OUT` (default `results/` at the repository root, git-ignored; the
 * committed reference results live in experiments/reference/, see its README):
 *
 *     OUT/<name>/rows.jsonl     the row store, the one canonical copy of the rows (append-only,
 *                               atomic; what --resume and merge read)
 *     OUT/<name>/rows.csv       the same rows as CSV, unique `id` first (for spreadsheets; derived)
 *     OUT/<name>/<plot>.svg     plots (vega-lite → SVG)
 *     OUT/<name>/table.md       Markdown tables and notes
 *     OUT/<name>/summary.json   aggregates + this experiment's claims
 *     OUT/<name>/manifest.json  seed, options, shard, command line, machine, timings
 *     OUT/claims.md, OUT/claims.json   the claims table (runAll, merge)
 */
import { cpus, totalmem, platform, release } from 'node:os';
import { existsSync } from 'node:fs';
import { readJsonPlain } from '../../src/io/json-exact';
import { join } from 'node:path';
import { checkOutputDir, writeFileAtomic, writeJsonAtomic } from '../../src/io/atomic';
import { UserError } from '../../src/errors';
import { RowStore, ROWS_FILE, loadRowsFile, serializeRows } from './store';
import { type Shard, WHOLE, shardOf, shardLabel } from './shard';
import { runTasks } from './pool';
import { makeProgress } from './progress';
import { renderSvg } from './plot';
import { markdownTable, orderRows, rowsToCsv } from './table';
import { KNOWN_NAMES, loadExperiment, type ExperimentName } from './registry';
import type { Claim, Experiment, ExperimentOptions, Json, Report, Row } from './types';

export interface RunOptions {
  /** Output root; the experiment writes `<out>/<name>/`. */
  out: string;
  quick: boolean;
  seed: number;
  /** Per solver call; undefined = the experiment's default for the mode. */
  timeLimitSec?: number;
  resume: boolean;
  shard: Shard;
  jobs: number;
  /** Progress bars on stderr. */
  progress: boolean;
  /** The command line, recorded in the manifest. */
  command: string;
  /** Tests only: each experiment's tiny parameter set. */
  tiny?: boolean;
  /** `--methods`: exact Clarke procedures for the experiments that decide the Clarke question. */
  methods?: string[];
  /** run-suite: the suite folder as recorded, and its manifest's sha256 (experiments/suite.ts). */
  suite?: { path: string; sha256: string };
}

export const DEFAULT_SEED = 20230501;

export interface RunOutcome {
  name: string;
  dir: string;
  /** Rows in the store after the run (this shard's). */
  rows: number;
  /** Tasks of this shard. */
  tasks: number;
  /** Rows computed by this invocation (the rest were resumed). */
  computed: number;
  resumed: number;
  complete: boolean;
  report: Report;
  seconds: number;
}

export function machineInfo(): Record<string, Json> {
  const c = cpus();
  return {
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${platform()} ${release()}`,
    node: process.version,
  };
}

function resolveOptions(exp: Experiment, ro: Pick<RunOptions, 'quick' | 'seed' | 'timeLimitSec' | 'tiny' | 'methods' | 'suite'>): ExperimentOptions {
  const o: ExperimentOptions = { quick: ro.quick, seed: ro.seed, timeLimitSec: ro.timeLimitSec ?? exp.defaultTimeLimitSec(ro.quick) };
  if (ro.tiny) o.tiny = true;
  if (ro.suite) {
    o.suite = ro.suite.path;
    o.suiteSha256 = ro.suite.sha256;
  }
  if (ro.methods) o.methods = ro.methods.slice();
  else if (exp.defaultMethods) o.methods = exp.defaultMethods(o);
  return o;
}

interface Manifest {
  experiment: string;
  title: string;
  options: ExperimentOptions;
  shard: string;
  shardOf?: string[];
  command: string;
  machine: Record<string, Json>;
  tasksTotal: number;
  tasksInShard: number;
  describe: string;
  startedAt: string;
  finishedAt?: string;
  seconds?: number;
  /** merge: the runs (shards) whose rows were merged, with their own command and dates. */
  runs?: RunRecord[];
}

/** Provenance of one run whose rows a merge combined. */
interface RunRecord {
  source: string;
  shard: string;
  command: string;
  startedAt: string;
  finishedAt?: string;
  seconds?: number;
}

function readManifest(dir: string): Manifest | null {
  const p = join(dir, 'manifest.json');
  if (!existsSync(p)) return null;
  const m = readJsonPlain(p) as Manifest;
  const bad = (field: string, expected: string): never => {
    throw new UserError(`${p}: ${field}: expected ${expected} (not an experiment manifest, or a damaged one)`);
  };
  if (m === null || typeof m !== 'object' || Array.isArray(m)) bad('the file', 'a JSON object');
  const o = m.options;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) bad('options', 'an object');
  if (typeof o.quick !== 'boolean') bad('options.quick', 'true or false');
  if (!Number.isSafeInteger(o.seed)) bad('options.seed', 'an integer');
  if (typeof o.timeLimitSec !== 'number' || !(o.timeLimitSec > 0)) bad('options.timeLimitSec', 'a positive number');
  if (o.methods !== undefined && (!Array.isArray(o.methods) || !o.methods.every((x) => typeof x === 'string'))) bad('options.methods', 'a list of names');
  if (o.suite !== undefined && typeof o.suite !== 'string') bad('options.suite', 'a folder path');
  if (o.suiteSha256 !== undefined && typeof o.suiteSha256 !== 'string') bad('options.suiteSha256', 'a sha256 in hex');
  if (typeof m.shard !== 'string') bad('shard', 'a string');
  if (m.runs !== undefined && !Array.isArray(m.runs)) bad('runs', 'a list');
  return m;
}

function sameOptions(a: ExperimentOptions, b: ExperimentOptions): boolean {
  return a.quick === b.quick && a.seed === b.seed && a.timeLimitSec === b.timeLimitSec && !!a.tiny === !!b.tiny && (a.methods ?? []).join(',') === (b.methods ?? []).join(',') && a.suite === b.suite && a.suiteSha256 === b.suiteSha256;
}

/** Write every derived output of `rows` into `dir` (all atomically). Shared by run and merge. */
export async function writeOutputs(exp: Experiment, rows: Row[], opts: ExperimentOptions, dir: string, header: string): Promise<Report> {
  const ids = exp.tasks(opts).map((t) => t.id);
  const ordered = orderRows(rows, ids);
  const report = await exp.report(ordered, opts);
  // The store in task order (it was appended in completion order, which varies with --jobs): the
  // same rows give the same file, so reference results diff cleanly. A permutation of complete
  // lines, written atomically: --resume reads it as before.
  writeFileAtomic(join(dir, ROWS_FILE), serializeRows(ordered));
  // rows.jsonl (the store) is the canonical copy; the CSV is a derived view. No rows.json: one
  // JSON copy of the rows is enough.
  writeFileAtomic(join(dir, 'rows.csv'), rowsToCsv(ordered));
  for (const p of report.plots) writeFileAtomic(join(dir, `${p.name}.svg`), await renderSvg(p.spec));
  const claims = report.claims.length ? `\n## Claims\n\n${claimsMarkdown(report.claims)}` : '';
  writeFileAtomic(join(dir, 'table.md'), `# ${exp.title}\n\n${header}\n\n${report.markdown}${claims}`);
  writeJsonAtomic(join(dir, 'summary.json'), { experiment: exp.name, options: opts, rows: ordered.length, tasks: ids.length, summary: report.summary, claims: report.claims as unknown as Json });
  return report;
}

/**
 * Run one experiment into `<out>/<name>/`.
 * Pre: with `resume`, a manifest there (if any) has the same options and shard, else UserError.
 * Post: every task of the shard has exactly one row in rows.jsonl; outputs are regenerated.
 */
export async function runExperiment(exp: Experiment, ro: RunOptions): Promise<RunOutcome> {
  const t0 = performance.now();
  const opts = resolveOptions(exp, ro);
  const dir = join(ro.out, exp.name);
  const all = exp.tasks(opts);
  const ids = new Set<string>();
  for (const t of all) {
    if (ids.has(t.id)) throw new Error(`experiment ${exp.name}: duplicate task id ${t.id}`);
    ids.add(t.id);
  }
  const mine = shardOf(all, ro.shard);
  if (ro.resume) {
    const old = readManifest(dir);
    if (old && (!sameOptions(old.options, opts) || old.shard !== shardLabel(ro.shard)))
      throw new UserError(
        `${join(dir, 'manifest.json')}: --resume with different options (recorded ${JSON.stringify(old.options)} shard ${old.shard}, now ${JSON.stringify(opts)} shard ${shardLabel(ro.shard)})`,
      );
  }
  const store = RowStore.open(join(dir, ROWS_FILE), ro.resume);
  const mineIds = new Set(mine.map((t) => t.id));
  for (const r of store.rows())
    if (!mineIds.has(r.id)) throw new UserError(`${join(dir, ROWS_FILE)}: row "${r.id}" is not a task of this run (different options?)`);
  const manifest: Manifest = {
    experiment: exp.name,
    title: exp.title,
    options: opts,
    shard: shardLabel(ro.shard),
    command: ro.command,
    machine: machineInfo(),
    tasksTotal: all.length,
    tasksInShard: mine.length,
    describe: exp.describe(opts),
    startedAt: new Date().toISOString(),
  };
  writeJsonAtomic(join(dir, 'manifest.json'), manifest);
  const resumed = store.size;
  const todo = mine.filter((t) => !store.has(t.id));
  const progress = makeProgress(exp.name, mine.length, resumed, ro.progress);
  let computed = 0;
  try {
    await runTasks(exp, todo, opts, ro.jobs, (row, task) => {
      store.append(row);
      computed++;
      progress.tick(task.id);
    });
  } finally {
    progress.stop();
  }
  // "finished" = the last task done; rendering the outputs follows.
  const finished: Manifest = { ...manifest, finishedAt: new Date().toISOString(), seconds: Math.round(((performance.now() - t0) / 1000) * 10) / 10 };
  const report = await writeOutputs(exp, store.rows(), opts, dir, runHeader(finished));
  const seconds = (performance.now() - t0) / 1000;
  writeJsonAtomic(join(dir, 'manifest.json'), finished);
  return { name: exp.name, dir, rows: store.size, tasks: mine.length, computed, resumed, complete: store.size === mine.length, report, seconds };
}

const runSpan = (r: RunRecord | Manifest): string => `started ${r.startedAt}${r.finishedAt ? `, finished ${r.finishedAt} (${r.seconds} s)` : ''}`;

function runHeader(m: Manifest): string {
  const mc = m.machine;
  return [
    `Mode: ${m.options.quick ? 'quick' : 'full'}; seed ${m.options.seed}; time limit ${m.options.timeLimitSec} s per solver call; shard ${m.shard}.`,
    `Command: \`${m.command}\``,
    `Machine: ${mc.cpu}, ${mc.cores} cores, ${mc.memoryGB} GB, ${mc.platform}, Node ${mc.node}.`,
    ...(m.runs ? m.runs.map((r) => `Run ${r.source} (shard ${r.shard}): \`${r.command}\`, ${runSpan(r)}.`) : [`Run: ${runSpan(m)}.`]),
    '',
    m.describe,
  ].join('\n');
}

/** The claims table; `holds?` carries a footnote mark per claim whose rule is stated below it. */
export function claimsMarkdown(claims: readonly Claim[]): string {
  const notes: string[] = [];
  const mark = (c: Claim): string => {
    if (!c.rule) return c.holds;
    notes.push(c.rule);
    return `${c.holds} [${notes.length}]`;
  };
  const table = markdownTable({
    columns: ['#', 'claim', "paper's statement", 'measured', 'holds?'],
    rows: claims.map((c) => [c.ref, c.claim, c.statement, c.measured, mark(c)]),
  });
  return notes.length ? `${table}\n"holds?" is decided by a stated rule, not by hand:\n\n${notes.map((r, i) => `[${i + 1}] ${r}`).join('\n\n')}\n` : table;
}

export interface AllOutcome {
  outcomes: RunOutcome[];
  failures: { name: string; error: string }[];
  claims: Claim[];
  seconds: number;
}

/** Claims sorted by reference (1, 2, 3, 4, 5, §3). */
function sortClaims(cs: Claim[]): Claim[] {
  const key = (r: string): number => (/^\d+$/.test(r) ? Number(r) : 100);
  return cs.slice().sort((a, b) => key(a.ref) - key(b.ref));
}

function writeClaims(out: string, claims: Claim[], header: string, extra: Record<string, Json>): void {
  writeFileAtomic(join(out, 'claims.md'), `# Claims of the paper, measured\n\n${header}\n\n${claimsMarkdown(claims)}`);
  writeJsonAtomic(join(out, 'claims.json'), { ...extra, claims: claims as unknown as Json });
}

/**
 * Run the named experiments in order; a failing one is reported (claims row "unknown", error
 * text) and the others still run. Writes `<out>/claims.{md,json}`.
 */
export async function runAll(names: readonly ExperimentName[], ro: RunOptions): Promise<AllOutcome> {
  const t0 = performance.now();
  const outcomes: RunOutcome[] = [];
  const failures: { name: string; error: string }[] = [];
  let claims: Claim[] = [];
  for (const name of names) {
    try {
      const exp = await loadExperiment(name);
      const o = await runExperiment(exp, ro);
      outcomes.push(o);
      claims.push(...o.report.claims);
    } catch (e) {
      if (e instanceof UserError) throw e;
      const err = e as Error;
      failures.push({ name, error: err.message.split('\n')[0]! });
      if (ro.progress) process.stderr.write(`experiment ${name} FAILED: ${err.stack ?? err.message}\n`);
      claims.push({ ref: '?', claim: name, statement: '', measured: `experiment failed: ${err.message.split('\n')[0]}`, holds: 'unknown' });
    }
  }
  claims = sortClaims(claims);
  const seconds = (performance.now() - t0) / 1000;
  const mc = machineInfo();
  const header = `${ro.quick ? 'Quick' : 'Full'} run (\`${ro.command}\`), seed ${ro.seed}, shard ${shardLabel(ro.shard)}, ${seconds.toFixed(0)} s on ${mc.cpu} (${mc.cores} cores), Node ${mc.node}.`;
  writeClaims(ro.out, claims, header, { command: ro.command, seed: ro.seed, quick: ro.quick, seconds: Math.round(seconds), machine: mc });
  return { outcomes, failures, claims, seconds };
}

export interface MergeOutcome {
  experiments: { name: string; rows: number; tasks: number; missing: number; sources: number }[];
  claims: Claim[];
}

/**
 * Combine shard outputs: for every experiment found under the input roots, union the rows,
 * refusing (UserError) rows recorded by two inputs (overlap), rows that are no task of the
 * recorded options, and inputs run with different options. Writes the merged store and outputs
 * under `out`, which must not be one of the inputs (however spelt): a merge never rewrites a
 * shard's rows. Missing tasks are reported, not invented.
 */
export async function mergeDirs(inputs: readonly string[], out: string): Promise<MergeOutcome> {
  if (inputs.length === 0) throw new UserError('merge: expected at least one directory');
  for (const d of inputs) if (!existsSync(d)) throw new UserError(`merge: ${d}: no such folder`);
  checkOutputDir(out, '--out', inputs);
  const result: MergeOutcome = { experiments: [], claims: [] };
  for (const name of KNOWN_NAMES) {
    const sources = inputs.filter((d) => existsSync(join(d, name, ROWS_FILE)));
    if (sources.length === 0) continue;
    const exp = await loadExperiment(name);
    let opts: ExperimentOptions | null = null;
    let command = '';
    const owner = new Map<string, string>();
    const rows: Row[] = [];
    const runs: RunRecord[] = [];
    for (const d of sources) {
      const dir = join(d, name);
      const m = readManifest(dir);
      if (!m) throw new UserError(`merge: ${join(dir, 'manifest.json')}: missing (not an experiment output?)`);
      // A merged output merged again keeps the runs it was made of.
      if (m.runs) runs.push(...m.runs);
      else runs.push({ source: d, shard: m.shard, command: m.command, startedAt: m.startedAt, ...(m.finishedAt ? { finishedAt: m.finishedAt, seconds: m.seconds } : {}) });
      if (opts === null) {
        opts = m.options;
        command = m.command;
      } else if (!sameOptions(opts, m.options))
        throw new UserError(`merge: ${join(dir, 'manifest.json')}: options ${JSON.stringify(m.options)} differ from ${JSON.stringify(opts)}`);
      for (const r of loadRowsFile(join(dir, ROWS_FILE)).rows) {
        const prev = owner.get(r.id);
        if (prev !== undefined) throw new UserError(`merge: overlap: row "${r.id}" of ${name} is in both ${prev} and ${d}`);
        owner.set(r.id, d);
        rows.push(r);
      }
    }
    const tasks = exp.tasks(opts!);
    const ids = new Set(tasks.map((t) => t.id));
    for (const r of rows) if (!ids.has(r.id)) throw new UserError(`merge: ${owner.get(r.id)}/${name}: row "${r.id}" is not a task of ${name} with options ${JSON.stringify(opts)}`);
    const missing = tasks.filter((t) => !owner.has(t.id)).length;
    const dir = join(out, name);
    const ordered = orderRows(rows, tasks.map((t) => t.id));
    const manifest: Manifest = {
      experiment: name,
      title: exp.title,
      options: opts!,
      shard: 'merged',
      shardOf: sources.map((s) => s),
      command: `nsad experiment merge ${inputs.join(' ')} --out ${out} (shards ran: ${command})`,
      machine: machineInfo(),
      tasksTotal: tasks.length,
      tasksInShard: tasks.length,
      describe: exp.describe(opts!),
      startedAt: new Date().toISOString(),
      runs,
    };
    const store = RowStore.open(join(dir, ROWS_FILE), false);
    for (const r of ordered) store.append(r);
    writeJsonAtomic(join(dir, 'manifest.json'), manifest);
    const note = missing > 0 ? `\n\n**Incomplete: ${missing} of ${tasks.length} tasks have no row.**` : '';
    const report = await writeOutputs(exp, ordered, opts!, dir, runHeader(manifest) + note);
    result.experiments.push({ name, rows: rows.length, tasks: tasks.length, missing, sources: sources.length });
    result.claims.push(...report.claims);
  }
  if (result.experiments.length === 0) throw new UserError(`merge: no experiment outputs (*/${ROWS_FILE}) under ${inputs.join(', ')}`);
  result.claims = sortClaims(result.claims);
  writeClaims(out, result.claims, `Merged from ${inputs.join(', ')}.`, { merged: inputs.slice() as Json, experiments: result.experiments as unknown as Json });
  return result;
}
