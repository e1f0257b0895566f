/**
 * The committed benchmark suite in `instances/` (issue 3): random 3-SAT at ratio 4.26 (the
 * satisfiability threshold) for n = 5, 10, …, 60, ten per size, statuses from the reference
 * solver; planted 3-SAT at the same sizes and ratio (satisfiable by construction); the pigeonhole
 * formulas PHP(h+1, h) for h = 2..6 (unsatisfiable). Seeds are fixed here and recorded in every
 * file and in `instances/manifest.json`; `npm run instances` regenerates it byte for byte.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { writeFileAtomic } from '../io/atomic';
import { batchCommand, generateBatch, type FamilySpec, type GeneratedFile } from './generate';
import { mergeManifest, emptyManifest, readManifest, writeManifest, type Manifest, type ManifestEntry } from './manifest';
import { readCnfFile } from './dimacs';
import { repoRoot } from './satlib';
import type { Cnf } from './cnf';

/** One group of the committed instance suite (a directory, its family and its seeds). */
export interface SuiteGroup {
  dir: string;
  spec: FamilySpec;
  count: number;
  seed: number;
  solve: boolean;
}

export const SUITE_RATIO = 4.26;
export const SUITE_SIZES: readonly number[] = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60];
export const SUITE_PHP_HOLES: readonly number[] = [2, 3, 4, 5, 6];

/** The suite's groups, in generation order. Seeds: random 300000 + 100·n + i, planted 400000 + 100·n + i. */
export function suiteGroups(): SuiteGroup[] {
  const g: SuiteGroup[] = [];
  for (const n of SUITE_SIZES)
    g.push({ dir: 'random3', spec: { family: 'random-ksat', n, k: 3, ratio: SUITE_RATIO }, count: 10, seed: 300000 + 100 * n, solve: true });
  for (const n of SUITE_SIZES)
    g.push({ dir: 'planted3', spec: { family: 'planted', n, ratio: SUITE_RATIO }, count: 10, seed: 400000 + 100 * n, solve: false });
  for (const h of SUITE_PHP_HOLES) g.push({ dir: 'php', spec: { family: 'php', holes: h }, count: 1, seed: 0, solve: false });
  return g;
}

/**
 * Generate the whole suite into `outDir` (files under `random3/`, `planted3/`, `php/`, one
 * `manifest.json` at the top). Deterministic: same bytes on every run and machine.
 */
export function generateSuite(outDir: string, onGroup?: (g: SuiteGroup, files: GeneratedFile[]) => void): Manifest {
  let manifest = emptyManifest();
  for (const g of suiteGroups()) {
    const files = generateBatch(g.spec, { count: g.count, seed: g.seed, solve: g.solve }, `${g.dir}/`);
    mkdirSync(join(outDir, g.dir), { recursive: true });
    for (const f of files) writeFileAtomic(join(outDir, f.entry.file), f.text);
    manifest = mergeManifest(manifest, files.map((f) => f.entry), `${batchCommand(g.spec, g.count, g.seed, g.solve)} --out instances/${g.dir}`);
    onGroup?.(g, files);
  }
  writeManifest(outDir, manifest);
  return manifest;
}

/**
 * instances/suite-small: the small preset of `nsad generate suite` (reductions/families/suite.ts),
 * a suite of its own with its own manifest, written by `npm run instances` after this one.
 */
export const SMALL_SUITE_DIR = 'suite-small';

/** Relative paths (`/`-separated) of the suite's data files under `dir`: manifest.json and every .cnf. */
export function suiteFilesIn(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      // instances/satlib holds SATLIB's files (copied, not generated), instances/suite-small a
      // suite of its own: neither is part of this suite.
      if (d === dir && (name === 'satlib' || name === SMALL_SUITE_DIR)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.cnf') || (name === 'manifest.json' && d === dir)) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** The committed suite's directory: `<repo>/instances`. */
export function instancesDir(): string {
  return join(repoRoot(), 'instances');
}

/** A file of the committed suite: its manifest entry, its path, and a parser. */
export interface SuiteInstance {
  entry: ManifestEntry;
  path: string;
  /** Parse the file (strict: the suite's files are exact). */
  cnf(): Cnf;
}

/**
 * The suite's files as listed in its manifest (natural order), optionally filtered, e.g.
 * `loadInstances((e) => e.family === 'random-ksat' && e.n <= 20)`. Statuses come with the entries.
 */
export function loadInstances(filter: (e: ManifestEntry) => boolean = () => true, dir: string = instancesDir()): SuiteInstance[] {
  return readManifest(dir)
    .files.filter(filter)
    .map((entry) => {
      const path = join(dir, entry.file);
      return { entry, path, cnf: () => readCnfFile(path, { strict: true }) };
    });
}
