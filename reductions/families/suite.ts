/**
 * Suites (issue 21): a mix of formula and network instances with their expected answers, in the
 * layout of VNN-COMP benchmarks (an `instances.csv` listing instance, property, time limit) plus a
 * `manifest.json` with everything known about each instance (docs/formats.md "Suites"):
 *
 *     DIR/manifest.json        format nsad-suite/1: preset, seed, commands, one entry per instance
 *     DIR/instances.csv        file,kind,family,at,expected,timeout (one row per instance)
 *     DIR/cnf/NAME.cnf         formula instances (DIMACS with provenance comments)
 *     DIR/nets/NAME.json       network instances (nsad-network; meta: generator, knobs, seed)
 *     DIR/evidence/NAME.cert.json | NAME.proof.jsonl   the checked evidence of a network's answer
 *
 * `writeSuite` writes a preset (`nsad generate suite`); `addNetInstances` writes network batches
 * into the same layout (`nsad generate net-FAMILY`); `readSuite` reads a suite for run-suite.
 * Nothing machine- or time-dependent is written (no dates, no timings, no absolute paths): the same
 * code and seed give the same bytes.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Rational } from '../../src/exact/rational';
import { UserError } from '../../src/errors';
import { writeFileAtomic } from '../../src/io/atomic';
import { readJsonPlain } from '../../src/io/json-exact';
import { serializeNetwork } from '../../src/network/format';
import { generateBatch, type FamilySpec } from '../../src/cnf/generate';
import { sha256 } from '../../src/cnf/manifest';
import { naturalCompare } from '../../src/cnf/satlib';
import { certifyInstance, type Evidence } from './evidence';
import { generateNet, netCommand } from './index';
import type { Expected, NetFamilySpec, NetInstance } from './types';

export const SUITE_FORMAT = 'nsad-suite/1';

/** What a suite entry records about its evidence file. */
export interface SuiteEvidence {
  file: string;
  kind: 'certificate' | 'proof';
  source: 'construction' | 'search';
  sha256: string;
}

/** One instance of a suite (docs/formats.md "Suites"). */
export interface SuiteEntry {
  /** Path relative to the suite folder, `/`-separated. */
  file: string;
  kind: 'cnf' | 'network';
  family: string;
  params: Record<string, number | string | boolean>;
  seed: number | null;
  /** Network rows at x̄ ≠ 0: the point, exact, as strings. Absent: 0. */
  at?: string[];
  /** The Clarke answer at x̄ (formula rows: of the formula's reduction at 0, two iff satisfiable). */
  expected: Expected;
  /** Formula rows: the satisfiability status. */
  status?: 'sat' | 'unsat' | 'unknown';
  /** One line: how the expected answer is known. */
  howKnown: string;
  evidence: SuiteEvidence | null;
  /** Suggested wall-clock limit for one decision, seconds. */
  timeLimitSec: number;
  size: Record<string, number>;
  /** Reduction networks: the formula they reduce (a file of the suite, not an instance of its own). */
  formula?: string;
  /** Exact facts of the construction (e.g. what backprop returns at 0 on hidden-linear networks). */
  facts?: Record<string, string | string[] | number | boolean>;
  /** The command that regenerates exactly this instance (add `--out DIR`). */
  command: string;
  sha256: string;
}

export interface SuiteManifest {
  format: typeof SUITE_FORMAT;
  preset: string | null;
  seed: number | null;
  /** How the folder was produced (commands without `--out`). */
  commands: string[];
  instances: SuiteEntry[];
}

/** One group of a preset: a family spec, how many seeds, the suggested limit. */
export type SuiteItem =
  | { kind: 'cnf'; spec: FamilySpec; count: number; timeLimitSec: number }
  | { kind: 'network'; spec: NetFamilySpec; count: number; timeLimitSec: number };

export const PRESETS = ['small', 'medium', 'large'] as const;
export type Preset = (typeof PRESETS)[number];

const cnf = (spec: FamilySpec, count: number, timeLimitSec: number): SuiteItem => ({ kind: 'cnf', spec, count, timeLimitSec });
const net = (spec: NetFamilySpec, count: number, timeLimitSec: number): SuiteItem => ({ kind: 'network', spec, count, timeLimitSec });

/**
 * The presets. small: shipped in instances/suite-small, every instance decided by bab in well
 * under a second (its run is part of the tests); medium: minutes per instance at most, for a
 * workstation or the Slurm script; large: sizes where the search meets its limits.
 */
export function presetItems(preset: Preset): SuiteItem[] {
  switch (preset) {
    case 'small':
      return [
        cnf({ family: 'random-ksat', n: 20, k: 3, ratio: 4.26 }, 2, 30),
        cnf({ family: 'planted', n: 30, ratio: 4.26, hidden: 2 }, 1, 30),
        cnf({ family: 'php', holes: 3, functional: true }, 1, 30),
        cnf({ family: 'php', holes: 3, onto: true }, 1, 30),
        cnf({ family: 'tseitin', vertices: 8, degree: 3, charge: 'odd' }, 1, 30),
        cnf({ family: 'tseitin', vertices: 8, degree: 3, charge: 'even' }, 1, 30),
        cnf({ family: 'coloring', vertices: 10, colors: 3, graph: 'gnp', p: 0.3 }, 2, 30),
        cnf({ family: 'coloring', vertices: 8, colors: 3, graph: 'regular', degree: 4 }, 1, 30),
        cnf({ family: 'kxor', n: 12, k: 3, ratio: 0.75 }, 2, 30),
        cnf({ family: 'ordering', elements: 4 }, 1, 30),
        cnf({ family: 'ordering', elements: 4, total: true }, 1, 30),
        net({ family: 'hidden-linear', inputs: 4, kinks: 4, depth: 2 }, 1, 30),
        net({ family: 'hidden-linear', inputs: 8, kinks: 8, depth: 4 }, 1, 30),
        net({ family: 'planted-two', inputs: 4, width: 8, depth: 2, kinks: 1 }, 1, 30),
        net({ family: 'planted-two', inputs: 8, width: 12, depth: 3, kinks: 2 }, 1, 30),
        net({ family: 'doubling', m: 10 }, 1, 30),
        net({ family: 'doubling', m: 40 }, 1, 30),
        net({ family: 'random-ternary', inputs: 4, width: 6, depth: 2, density: 1 }, 1, 30),
        net({ family: 'random-ternary', inputs: 6, width: 6, depth: 3, density: 0.3 }, 2, 30),
        net({ family: 'reduction', formula: { family: 'tseitin', vertices: 6, degree: 3, charge: 'odd' } }, 1, 30),
        net({ family: 'reduction', formula: { family: 'random-ksat', n: 12, k: 3, ratio: 4.26 } }, 1, 30),
      ];
    case 'medium':
      return [
        cnf({ family: 'random-ksat', n: 100, k: 3, ratio: 4.26 }, 4, 300),
        cnf({ family: 'planted', n: 100, ratio: 4.26, hidden: 2 }, 4, 300),
        cnf({ family: 'php', holes: 5, functional: true }, 1, 300),
        cnf({ family: 'php', holes: 5, onto: true, functional: true }, 1, 300),
        cnf({ family: 'tseitin', vertices: 16, degree: 3, charge: 'odd' }, 3, 300),
        cnf({ family: 'tseitin', vertices: 24, degree: 4, charge: 'odd' }, 3, 300),
        cnf({ family: 'coloring', vertices: 40, colors: 3, graph: 'gnp', p: 0.1 }, 4, 300),
        cnf({ family: 'coloring', vertices: 30, colors: 4, graph: 'regular', degree: 5 }, 3, 300),
        cnf({ family: 'kxor', n: 40, k: 3, ratio: 0.9 }, 4, 300),
        cnf({ family: 'ordering', elements: 7 }, 1, 300),
        cnf({ family: 'ordering', elements: 8, total: true }, 1, 300),
        net({ family: 'hidden-linear', inputs: 32, kinks: 32, depth: 8 }, 3, 300),
        net({ family: 'planted-two', inputs: 20, width: 40, depth: 4, kinks: 4 }, 3, 300),
        net({ family: 'doubling', m: 100 }, 1, 300),
        net({ family: 'random-ternary', inputs: 12, width: 16, depth: 3, density: 0.3 }, 4, 300),
        net({ family: 'reduction', formula: { family: 'tseitin', vertices: 16, degree: 3, charge: 'odd' } }, 2, 300),
      ];
    case 'large':
      return [
        cnf({ family: 'random-ksat', n: 250, k: 3, ratio: 4.26 }, 6, 1800),
        cnf({ family: 'planted', n: 300, ratio: 4.26, hidden: 2 }, 4, 1800),
        cnf({ family: 'php', holes: 7, onto: true, functional: true }, 1, 1800),
        cnf({ family: 'tseitin', vertices: 40, degree: 3, charge: 'odd' }, 4, 1800),
        cnf({ family: 'coloring', vertices: 100, colors: 3, graph: 'gnp', p: 0.045 }, 4, 1800),
        cnf({ family: 'kxor', n: 100, k: 3, ratio: 0.9 }, 4, 1800),
        cnf({ family: 'ordering', elements: 12 }, 1, 1800),
        net({ family: 'hidden-linear', inputs: 100, kinks: 100, depth: 16 }, 3, 1800),
        net({ family: 'planted-two', inputs: 50, width: 100, depth: 6, kinks: 8 }, 3, 1800),
        net({ family: 'doubling', m: 1000 }, 1, 1800),
        net({ family: 'random-ternary', inputs: 20, width: 32, depth: 4, density: 0.2 }, 4, 1800),
      ];
  }
}

/** Default base seed of `nsad generate suite`. */
export const SUITE_SEED = 21;

/** Progress and limits of a suite write. */
export interface SuiteWriteOptions {
  /** Wall-clock limit of the search that finds a network's evidence at generation, seconds. */
  evidenceLimitSec: number;
  /** Decide formulas of unknown status with the reference solver (colouring, random k-SAT). Default true. */
  solve?: boolean;
  onInstance?: (done: number, total: number, entry: SuiteEntry, ev: Evidence | null) => void;
}

/** The `nsad generate suite` command that writes `preset` (without `--out`). */
export function suiteCommand(preset: Preset, seed: number, evidenceLimitSec: number): string {
  return `nsad generate suite --preset ${preset} --seed ${seed}${evidenceLimitSec !== DEFAULT_EVIDENCE_LIMIT ? ` --evidence-limit ${evidenceLimitSec}` : ''}`;
}

export const DEFAULT_EVIDENCE_LIMIT = 60;

function netEntry(inst: NetInstance, ev: Evidence, command: string, timeLimitSec: number, netText: string, evText: string | null, evFile: string | null): SuiteEntry {
  const expected: Expected = inst.expected !== 'unknown' ? inst.expected : ev.answer;
  const zero = inst.at.every((v) => v.isZero());
  const howKnown =
    inst.expected !== 'unknown'
      ? `${inst.construction}; ${ev.restsOn}`
      : ev.answer === 'unknown'
        ? ev.restsOn
        : `computed at generation: ${ev.restsOn}`;
  const e: SuiteEntry = {
    file: `nets/${inst.name}.json`,
    kind: 'network',
    family: inst.family,
    params: inst.params,
    seed: inst.seed,
    ...(zero ? {} : { at: inst.at.map((v) => v.toString()) }),
    expected,
    howKnown,
    evidence: evFile === null || ev.kind === 'none' ? null : { file: evFile, kind: ev.kind, source: ev.source as 'construction' | 'search', sha256: sha256(evText!) },
    timeLimitSec,
    size: { inputs: inst.net.inputDim, neurons: inst.net.neurons, layers: inst.net.layers.length, nonzeros: inst.net.nonzeros },
    command,
    sha256: sha256(netText),
  };
  if (inst.formula) e.formula = `cnf/${inst.formula.entry.file}`;
  if (inst.facts) e.facts = inst.facts;
  return e;
}

/** Files of one network instance (relative path → text) and its entry, evidence checked. */
export async function netFiles(inst: NetInstance, command: string, timeLimitSec: number, evidenceLimitSec: number): Promise<{ files: [string, string][]; entry: SuiteEntry; evidence: Evidence }> {
  const ev = await certifyInstance(inst, { timeLimitSec: evidenceLimitSec });
  const netText = serializeNetwork(inst.net);
  const files: [string, string][] = [[`nets/${inst.name}.json`, netText]];
  let evFile: string | null = null;
  if (ev.kind !== 'none') {
    evFile = `evidence/${inst.name}${ev.kind === 'certificate' ? '.cert.json' : '.proof.jsonl'}`;
    files.push([evFile, ev.text!]);
  }
  if (inst.formula) files.push([`cnf/${inst.formula.entry.file}`, inst.formula.text]);
  return { files, entry: netEntry(inst, ev, command, timeLimitSec, netText, ev.text ?? null, evFile), evidence: ev };
}

/** Formula instances of one spec: their files and entries (seeds seed, seed + 1, …). */
export function cnfFiles(spec: FamilySpec, count: number, seed: number, timeLimitSec: number, solve: boolean): { files: [string, string][]; entries: SuiteEntry[] } {
  const batch = generateBatch(spec, { count, seed, solve });
  return {
    files: batch.map((f) => [`cnf/${f.name}`, f.text]),
    entries: batch.map((f) => {
      const e = f.entry;
      const expected: Expected = e.status === 'sat' ? 'two' : e.status === 'unsat' ? 'singleton' : 'unknown';
      return {
        file: `cnf/${f.name}`,
        kind: 'cnf',
        family: e.family,
        params: e.params,
        seed: e.seed,
        expected,
        status: e.status,
        howKnown:
          e.status === 'unknown'
            ? `status not known (${e.statusSource})`
            : `${e.status === 'sat' ? 'satisfiable' : 'unsatisfiable'} (${e.statusSource}${e.statusSource.startsWith('reference solver') && e.status === 'unsat' ? ": MiniSat's word, no proof" : ''}); its reduction has two Clarke subgradients at 0 iff satisfiable (docs/theory.md §4)`,
        evidence: null,
        timeLimitSec,
        size: { variables: e.n, clauses: e.m },
        command: e.command,
        sha256: e.sha256,
      };
    }),
  };
}

/** Item i of a preset uses seeds base + 1000·i, base + 1000·i + 1, …: stable when items are appended. */
const itemSeed = (base: number, i: number): number => base + 1000 * i;

/**
 * Write a preset into `dir` (created): instance files, evidence, manifest.json, instances.csv.
 * Every network's evidence is checked by src/verify before it is written. Deterministic.
 */
export async function writeSuite(dir: string, preset: Preset, seed: number, opts: SuiteWriteOptions): Promise<SuiteManifest> {
  const items = presetItems(preset);
  const total = items.reduce((s, it) => s + it.count, 0);
  const solve = opts.solve ?? true;
  const entries: SuiteEntry[] = [];
  let done = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    const s0 = itemSeed(seed, i);
    if (it.kind === 'cnf') {
      const { files, entries: es } = cnfFiles(it.spec, it.count, s0, it.timeLimitSec, solve);
      for (const [f, text] of files) writeFileAtomic(join(dir, f), text);
      for (const e of es) {
        entries.push(e);
        opts.onInstance?.(++done, total, e, null);
      }
    } else {
      for (let k = 0; k < it.count; k++) {
        const s = s0 + k;
        const inst = generateNet(it.spec, s, solve);
        const { files, entry, evidence } = await netFiles(inst, netCommand(it.spec, s, 1, solve), it.timeLimitSec, opts.evidenceLimitSec);
        for (const [f, text] of files) writeFileAtomic(join(dir, f), text);
        entries.push(entry);
        opts.onInstance?.(++done, total, entry, evidence);
      }
    }
  }
  const manifest: SuiteManifest = { format: SUITE_FORMAT, preset, seed, commands: [suiteCommand(preset, seed, opts.evidenceLimitSec)], instances: entries };
  writeSuiteIndex(dir, manifest);
  return manifest;
}

/** Add network instances to `dir` (created or extended; entries with the same file replaced). */
export async function addNetInstances(dir: string, spec: NetFamilySpec, count: number, seed: number, solve: boolean, timeLimitSec: number, evidenceLimitSec: number, onInstance?: SuiteWriteOptions['onInstance']): Promise<{ manifest: SuiteManifest; added: SuiteEntry[] }> {
  const old = existsSync(join(dir, 'manifest.json')) ? readSuite(dir) : null;
  const added: SuiteEntry[] = [];
  for (let k = 0; k < count; k++) {
    const s = seed + k;
    const inst = generateNet(spec, s, solve);
    const { files, entry, evidence } = await netFiles(inst, netCommand(spec, s, 1, solve), timeLimitSec, evidenceLimitSec);
    for (const [f, text] of files) writeFileAtomic(join(dir, f), text);
    added.push(entry);
    onInstance?.(k + 1, count, entry, evidence);
  }
  const byFile = new Map((old?.instances ?? []).map((e) => [e.file, e]));
  for (const e of added) byFile.set(e.file, e);
  const command = netCommand(spec, seed, count, solve);
  const commands = old === null ? [command] : old.commands.includes(command) ? old.commands : [...old.commands, command];
  const manifest: SuiteManifest = {
    format: SUITE_FORMAT,
    preset: old?.preset ?? null,
    seed: old?.seed ?? null,
    commands,
    instances: [...byFile.values()].sort((a, b) => naturalCompare(a.file, b.file)),
  };
  writeSuiteIndex(dir, manifest);
  return { manifest, added };
}

const csvCell = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** instances.csv: one row per instance (VNN-COMP's instance, property, timeout, with a header). */
export function instancesCsv(m: SuiteManifest): string {
  const rows = m.instances.map((e) => [e.file, e.kind, e.family, e.at ? e.at.join(' ') : '0', e.expected, String(e.timeLimitSec)].map(csvCell).join(','));
  return ['file,kind,family,at,expected,timeout', ...rows].join('\n') + '\n';
}

/** Two-space JSON, arrays of plain numbers and short strings on one line. */
export function suiteJson(m: SuiteManifest): string {
  return JSON.stringify(m, null, 2).replace(/\[\s*((?:-?\d+|"[^"\n]{0,40}")(?:,\s*(?:-?\d+|"[^"\n]{0,40}"))*)\s*\]/g, (_s, body: string) => `[${body.split(/,\s*(?=-?\d|")/).join(', ')}]`) + '\n';
}

function writeSuiteIndex(dir: string, m: SuiteManifest): void {
  writeFileAtomic(join(dir, 'instances.csv'), instancesCsv(m));
  writeFileAtomic(join(dir, 'manifest.json'), suiteJson(m));
}

/** Whether `dir` holds a suite manifest (a folder a suite command may extend). */
export function isSuiteDir(dir: string): boolean {
  return existsSync(join(dir, 'manifest.json'));
}

/** A suite folder is new or empty (generate suite refuses to mix presets into a used folder). */
export function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

const EXPECTED = new Set(['two', 'singleton', 'unknown']);

/**
 * Read `dir/manifest.json` as a suite (UserError naming the file and field when it is not one).
 * Network points are checked to be exact rationals.
 */
export function readSuite(dir: string): SuiteManifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new UserError(`${dir}: no manifest.json (not a suite folder; nsad generate suite writes one)`);
  const m = readJsonPlain(path) as Partial<SuiteManifest> | null;
  const bad = (field: string, expected: string): never => {
    throw new UserError(`${path}: ${field}: expected ${expected}`);
  };
  if (m === null || typeof m !== 'object' || Array.isArray(m)) bad('the file', 'a JSON object');
  if (m!.format !== SUITE_FORMAT) bad('format', `"${SUITE_FORMAT}" (not an nsad suite)`);
  if (!Array.isArray(m!.commands)) bad('commands', 'an array');
  if (!Array.isArray(m!.instances)) bad('instances', 'an array');
  const seen = new Set<string>();
  m!.instances!.forEach((e, i) => {
    const f = `instances[${i}]`;
    if (e === null || typeof e !== 'object' || Array.isArray(e)) bad(f, 'an object');
    if (typeof e.file !== 'string' || e.file === '' || e.file.startsWith('/') || e.file.split('/').includes('..')) bad(`${f}.file`, 'a relative path inside the suite folder');
    if (seen.has(e.file)) bad(`${f}.file`, `a file listed once (${e.file} is repeated)`);
    seen.add(e.file);
    if (e.kind !== 'cnf' && e.kind !== 'network') bad(`${f}.kind`, '"cnf" or "network"');
    if (!EXPECTED.has(e.expected as string)) bad(`${f}.expected`, '"two", "singleton" or "unknown"');
    if (typeof e.family !== 'string') bad(`${f}.family`, 'a string');
    if (typeof e.timeLimitSec !== 'number' || !(e.timeLimitSec > 0) || e.timeLimitSec > 1e7) bad(`${f}.timeLimitSec`, 'a number of seconds in (0, 10^7]');
    if (e.at !== undefined && (!Array.isArray(e.at) || !e.at.every((v) => typeof v === 'string' && Rational.parse(v) !== null))) bad(`${f}.at`, 'a list of exact rationals written as strings');
  });
  return m as SuiteManifest;
}

/** The exact point of a network entry (0 when absent). */
export function entryPoint(e: Pick<SuiteEntry, 'at'>, inputs: number): Rational[] {
  return e.at ? e.at.map((v) => Rational.parse(v)!) : new Array<Rational>(inputs).fill(Rational.int(0));
}

