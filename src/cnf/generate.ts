/**
 * Batch generation behind `nsad generate` and the `instances/` suite: a family spec, a count and a
 * base seed give `count` DIMACS texts (file i uses seed S+i, so `--count 1 --seed S+i` regenerates
 * file i alone), each with CNFgen-style provenance comments, plus their manifest entries.
 * Pure up to the optional reference-solver call; writing files is the caller's business
 * (`writeBatch` here, or the suite).
 */
import { join } from 'node:path';
import { generatorRng } from './seed';
import { UserError } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import type { Cnf } from './cnf';
import { writeDimacs } from './dimacs';
import { clausesForRatio, randomKSat } from './generators/random-ksat';
import { planted } from './generators/planted';
import { php } from './generators/php';
import { sha256, mergeManifest, readManifest, writeManifest, type ManifestEntry } from './manifest';
import { solveSat } from './sat';

/**
 * A generator family and its parameters: random k-SAT (m clauses or a ratio), planted k-SAT, or
 * the pigeonhole formula PHP(h+1, h).
 */
export type FamilySpec =
  | { family: 'random-ksat'; n: number; k: number; m?: number; ratio?: number }
  | { family: 'planted'; n: number; ratio: number; k?: number }
  | { family: 'php'; holes: number };

/** How many files to generate, from which seed (file i uses seed + i), and whether to decide them. */
export interface BatchOptions {
  count: number;
  seed: number;
  /** Decide random formulas with the reference solver (planted and php are known by construction). */
  solve?: boolean;
  timeLimitSec?: number;
  /** Called after each file (progress on stderr in the CLI). */
  onFile?: (done: number, total: number, entry: ManifestEntry, solveMs?: number) => void;
}

/** One generated file: its name, DIMACS text (with provenance comments) and manifest entry. */
export interface GeneratedFile {
  name: string;
  text: string;
  entry: ManifestEntry;
}

const RNG_NAME = 'pure-rand xoroshiro128+ seeded with fmix32(seed), 32 draws discarded: src/cnf/seed.ts';

/** The options of `nsad generate` that reproduce `spec` (without count/seed/out). */
export function specArgs(spec: FamilySpec): string {
  switch (spec.family) {
    case 'random-ksat':
      return `random-ksat --vars ${spec.n} ${spec.ratio !== undefined ? `--ratio ${spec.ratio}` : `--clauses ${spec.m}`} --k ${spec.k}`;
    case 'planted':
      return `planted --vars ${spec.n} --ratio ${spec.ratio}${spec.k !== undefined && spec.k !== 3 ? ` --k ${spec.k}` : ''}`;
    case 'php':
      return `php --holes ${spec.holes}`;
  }
}

/** The full command line for a batch (no `--out`: files are position-independent). */
export function batchCommand(spec: FamilySpec, count: number, seed: number, solve: boolean): string {
  const s = spec.family === 'php' ? '' : ` --count ${count} --seed ${seed}`;
  return `nsad generate ${specArgs(spec)}${s}${solve && spec.family === 'random-ksat' ? ' --solve' : ''}`;
}

function validate(spec: FamilySpec, opts: BatchOptions): void {
  if (!Number.isSafeInteger(opts.count) || opts.count < 1) throw new UserError(`--count must be a positive integer, got ${opts.count}`);
  if (!Number.isSafeInteger(opts.seed) || !Number.isSafeInteger(opts.seed + opts.count - 1))
    throw new UserError(`--seed must be a safe integer (seed + count − 1 too), got ${opts.seed}`);
  if (spec.family === 'php' && opts.count !== 1) throw new UserError('php: the pigeonhole formula is deterministic; --count must be 1');
  if (spec.family === 'random-ksat' && (spec.m === undefined) === (spec.ratio === undefined))
    throw new UserError('random-ksat: give exactly one of --clauses and --ratio');
}

function one(spec: FamilySpec, seed: number): { name: string; cnf: Cnf; comments: string[]; entry: Omit<ManifestEntry, 'sha256' | 'file'> } {
  const cmd = `nsad generate ${specArgs(spec)}${spec.family === 'php' ? '' : ` --count 1 --seed ${seed}`}`;
  switch (spec.family) {
    case 'random-ksat': {
      const m = spec.m ?? clausesForRatio(spec.n, spec.ratio!);
      const cnf = randomKSat({ n: spec.n, m, k: spec.k }, generatorRng(seed));
      const params: Record<string, number> = { n: spec.n, m, k: spec.k };
      if (spec.ratio !== undefined) params['ratio'] = spec.ratio;
      const comments = [
        `nsad: uniform random ${spec.k}-SAT, ${spec.n} variables, ${m} clauses${spec.ratio !== undefined ? ` (ratio ${spec.ratio})` : ''}`,
        `family: random-ksat n=${spec.n} m=${m} k=${spec.k}${spec.ratio !== undefined ? ` ratio=${spec.ratio}` : ''}`,
        `seed: ${seed} (${RNG_NAME})`,
        `command: ${cmd}`,
      ];
      return {
        name: `rand${spec.k}-n${spec.n}-m${m}-s${seed}.cnf`,
        cnf,
        comments,
        entry: { family: 'random-ksat', params, seed, n: cnf.n, m: cnf.clauses.length, status: 'unknown', statusSource: 'not solved', command: cmd },
      };
    }
    case 'planted': {
      const k = spec.k ?? 3;
      const { cnf, assignment } = planted({ n: spec.n, ratio: spec.ratio, k }, generatorRng(seed));
      const m = cnf.clauses.length;
      const comments = [
        `nsad: planted ${k}-SAT, ${spec.n} variables, ${m} clauses (ratio ${spec.ratio}), satisfiable by construction`,
        `family: planted n=${spec.n} m=${m} k=${k} ratio=${spec.ratio}`,
        `seed: ${seed} (${RNG_NAME})`,
        `command: ${cmd}`,
        `planted: ${assignment.join(' ')}`,
      ];
      return {
        name: `planted${k}-n${spec.n}-m${m}-s${seed}.cnf`,
        cnf,
        comments,
        entry: { family: 'planted', params: { n: spec.n, m, k, ratio: spec.ratio }, seed, n: cnf.n, m, status: 'sat', statusSource: 'construction', command: cmd, planted: assignment },
      };
    }
    case 'php': {
      const h = spec.holes;
      const cnf = php(h);
      const comments = [
        `nsad: pigeonhole principle PHP(${h + 1}, ${h}): ${h + 1} pigeons, ${h} holes, unsatisfiable`,
        `family: php holes=${h}; variable (i-1)*${h}+j = pigeon i in hole j`,
        `seed: none (deterministic)`,
        `command: ${cmd}`,
      ];
      return {
        name: `php-h${h}.cnf`,
        cnf,
        comments,
        entry: { family: 'php', params: { holes: h }, seed: null, n: cnf.n, m: cnf.clauses.length, status: 'unsat', statusSource: 'construction', command: cmd },
      };
    }
  }
}

/**
 * Generate `opts.count` files of one family in memory.
 * Post: file i is a pure function of (spec, opts.seed + i); with `solve`, random-ksat entries get
 * the reference solver's status ('unknown' if its time limit passed).
 */
export function generateBatch(spec: FamilySpec, opts: BatchOptions, prefix = ''): GeneratedFile[] {
  validate(spec, opts);
  const out: GeneratedFile[] = [];
  for (let i = 0; i < opts.count; i++) {
    const seed = opts.seed + i;
    const g = one(spec, seed);
    const text = writeDimacs(g.cnf, g.comments);
    const entry: ManifestEntry = { file: prefix + g.name, ...g.entry, sha256: sha256(text) };
    let solveMs: number | undefined;
    if (opts.solve === true && spec.family === 'random-ksat') {
      const r = solveSat(g.cnf, opts.timeLimitSec !== undefined ? { timeLimitSec: opts.timeLimitSec } : {});
      entry.status = r.status;
      entry.statusSource = r.status === 'unknown' ? `reference solver ${r.solver}: ${r.reason ?? 'no answer'}` : `reference solver ${r.solver}`;
      solveMs = r.timeMs;
    }
    // Key order of the entry is fixed here so manifests are byte-stable.
    out.push({ name: g.name, text, entry: orderEntry(entry) });
    opts.onFile?.(i + 1, opts.count, entry, solveMs);
  }
  return out;
}

function orderEntry(e: ManifestEntry): ManifestEntry {
  const o: ManifestEntry = {
    file: e.file,
    family: e.family,
    params: e.params,
    seed: e.seed,
    n: e.n,
    m: e.m,
    status: e.status,
    statusSource: e.statusSource,
    command: e.command,
    sha256: e.sha256,
  };
  if (e.planted !== undefined) o.planted = e.planted;
  return o;
}

/** Write a batch into `dir` (atomically, file by file) and merge it into `dir/manifest.json`. */
export function writeBatch(dir: string, files: readonly GeneratedFile[], command: string): string[] {
  const manifest = readManifest(dir);
  const paths: string[] = [];
  for (const f of files) {
    const p = join(dir, f.entry.file);
    writeFileAtomic(p, f.text);
    paths.push(p);
  }
  writeManifest(dir, mergeManifest(manifest, files.map((f) => f.entry), command));
  return paths;
}
