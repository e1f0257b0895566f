/**
 * `manifest.json`: what a directory of generated CNF files holds — per file its family,
 * parameters, seed, the command that reproduces it, its SHA-256 and its known status with the
 * source of that knowledge (construction, or the reference solver). CNFgen-style provenance: the
 * same facts are also written as comment lines at the top of every generated file.
 *
 * The manifest holds nothing machine- or time-dependent (no absolute paths, no timings, no
 * dates), so regenerating a directory reproduces it byte for byte.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import { readJsonPlain } from '../io/json-exact';
import { naturalCompare } from './satlib';

export const MANIFEST_FORMAT = 'nsad-cnf-manifest/1';
/** The generator families recorded in a manifest. */
export type CnfFamily = 'random-ksat' | 'planted' | 'php' | 'tseitin' | 'coloring' | 'kxor' | 'ordering';
/** The status of a generated file, when known. */
export type KnownStatus = 'sat' | 'unsat' | 'unknown';

export interface ManifestEntry {
  /** Path relative to the manifest's directory, `/`-separated. */
  file: string;
  family: CnfFamily;
  /** Family parameters as given (n, m, k, ratio, holes, vertices, graph, …). */
  params: Record<string, number | string | boolean>;
  /** The seed of this file (null for deterministic families: php, ordering). */
  seed: number | null;
  /** Variables and clauses of the written formula. */
  n: number;
  m: number;
  status: KnownStatus;
  /** "construction", "Gaussian elimination over GF(2)", "reference solver <name>", or "not solved". */
  statusSource: string;
  /** The command that regenerates exactly this file (add `--out DIR`). */
  command: string;
  sha256: string;
  /** Planted families: the planted satisfying assignment, a signed literal per variable. */
  planted?: number[];
}

/**
 * A directory's `manifest.json` (format `nsad-cnf-manifest/1`, docs/formats.md): the commands that
 * produced it and one entry per file.
 */
export interface Manifest {
  format: string;
  /** How the whole directory was produced (commands in order, without their `--out DIR`). */
  commands: string[];
  files: ManifestEntry[];
}

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

export function emptyManifest(): Manifest {
  return { format: MANIFEST_FORMAT, commands: [], files: [] };
}

/** Read `dir/manifest.json`, or an empty manifest when there is none. Malformed → UserError. */
export function readManifest(dir: string): Manifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return emptyManifest();
  const raw = readJsonPlain(path);
  const m = raw as Partial<Manifest>;
  if (typeof m !== 'object' || m === null || m.format !== MANIFEST_FORMAT)
    throw new UserError(`${path}: format: expected "${MANIFEST_FORMAT}" (not an nsad CNF manifest; choose another --out)`);
  if (!Array.isArray(m.files)) throw new UserError(`${path}: files: expected an array`);
  if (!Array.isArray(m.commands)) throw new UserError(`${path}: commands: expected an array`);
  return m as Manifest;
}

/** Add entries (replacing those with the same `file`) and a command; files in natural order. */
export function mergeManifest(m: Manifest, entries: readonly ManifestEntry[], command?: string): Manifest {
  const byFile = new Map(m.files.map((e) => [e.file, e]));
  for (const e of entries) byFile.set(e.file, e);
  const commands = command === undefined || m.commands.includes(command) ? m.commands : [...m.commands, command];
  return { format: MANIFEST_FORMAT, commands, files: [...byFile.values()].sort((a, b) => naturalCompare(a.file, b.file)) };
}

/** Two-space JSON, but arrays of numbers on one line (planted assignments stay readable). */
export function manifestJson(m: Manifest): string {
  return JSON.stringify(m, null, 2).replace(/\[\s*(-?\d+(?:,\s*-?\d+)*)\s*\]/g, (_s, body: string) => `[${body.split(/,\s*/).join(', ')}]`) + '\n';
}

export function writeManifest(dir: string, m: Manifest): void {
  writeFileAtomic(join(dir, 'manifest.json'), manifestJson(m));
}
