/**
 * The SATLIB samples (uniform random 3-SAT at the threshold; SATLIB, Hoos & Stützle 2000), kept in
 * the repository at `instances/satlib/<family>/*.cnf` (origin and licence: instances/satlib/README.md).
 * `NSAD_SATLIB` points elsewhere (another copy of SATLIB with the same family folders).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type SatlibFamily = 'uf20-91' | 'uf50-218' | 'uuf50-218' | 'uf75-325' | 'uuf75-325' | 'uf100-430' | 'uuf100-430';
/**
 * The SATLIB families bundled in instances/satlib/ (uniform random 3-SAT at the threshold; uf
 * satisfiable, uuf unsatisfiable).
 */
export const SATLIB_FAMILIES: readonly SatlibFamily[] = ['uf20-91', 'uf50-218', 'uuf50-218', 'uf75-325', 'uuf75-325', 'uf100-430', 'uuf100-430'];

/** Known status of every file of a family: uf* are satisfiable, uuf* unsatisfiable. */
export function satlibStatus(family: SatlibFamily): 'sat' | 'unsat' {
  return family.startsWith('uuf') ? 'unsat' : 'sat';
}

/**
 * The package root: the nearest directory above this file holding a `package.json`. In a clone
 * this file is `<repo>/src/cnf/satlib.ts`; in the built package it is
 * `<package>/dist/src/cnf/satlib.js`; both resolve to the directory that holds `instances/`.
 */
export function repoRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(here, '..', '..');
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The SATLIB directory: `$NSAD_SATLIB` if set, else `<repo>/instances/satlib`; null when absent. */
export function satlibDir(): string | null {
  const env = process.env['NSAD_SATLIB'];
  const dir = env !== undefined && env !== '' ? resolve(env) : resolve(repoRoot(), 'instances', 'satlib');
  return isDir(dir) ? dir : null;
}

/** Compare names by their digit runs as numbers: uf20-01 < uf20-02 < … < uf20-09 < uf20-010. */
export function naturalCompare(a: string, b: string): number {
  const ta = a.match(/\d+|\D+/g) ?? [];
  const tb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return ta.length - tb.length;
}

/** Sorted (natural order) absolute paths of a family's `.cnf` / `.cnf.gz` files; [] when absent. */
export function satlibFiles(family: SatlibFamily): string[] {
  const dir = satlibDir();
  if (dir === null) return [];
  const fam = join(dir, family);
  if (!existsSync(fam)) return [];
  return readdirSync(fam)
    .filter((f) => f.endsWith('.cnf') || f.endsWith('.cnf.gz'))
    .sort(naturalCompare)
    .map((f) => join(fam, f));
}
