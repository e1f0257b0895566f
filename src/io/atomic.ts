/**
 * Atomic file output: write a sibling temp file, then rename over the target, so a reader (or a
 * crash, even `kill -9`) never sees a half-written file.
 *
 * - Temp files are named `.NAME.nsad-PID.tmp`; a write removes the temp files of that naming (and
 *   of the older `.NAME.PID.MILLIS.tmp` naming) left beside the target by processes that no longer
 *   run, so a killed writer does not leave them piling up.
 * - A replaced file keeps its permission bits.
 * - Missing folders are created one level at a time (never `mkdirSync(…, {recursive: true})`,
 *   which does not return on paths like /proc/x/y on Node 20); a folder that cannot be created is
 *   a UserError naming it.
 * - `checkOutputPath` checks a path before any work is done (CLI commands call it first), so a
 *   long computation does not end in a lost answer.
 */
import { accessSync, chmodSync, closeSync, constants, fsyncSync, mkdirSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UserError } from '../errors';

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path) as Stats;
  } catch {
    return null;
  }
}

/** The nearest existing ancestor of `dir` (itself if it exists), and the missing folders below it. */
function existingAncestor(dir: string): { base: string; missing: string[] } {
  const missing: string[] = [];
  let d = resolve(dir);
  for (;;) {
    if (statOrNull(d) !== null) return { base: d, missing };
    const up = dirname(d);
    missing.unshift(d);
    if (up === d) return { base: d, missing };
    d = up;
  }
}

/**
 * Check that `path` can be written as an output: not empty, not a folder, its folder exists or
 * can be created under a writable folder, an existing file is writable, and it is none of
 * `inputs` (a command must not overwrite what it reads). Throws a UserError naming `option`.
 */
export function checkOutputPath(path: string, option: string, inputs: readonly string[] = []): void {
  if (path.trim() === '') throw new UserError(`${option}: empty file name`);
  const abs = resolve(path);
  if (abs.endsWith(sep) || path.endsWith('/')) throw new UserError(`${option} ${path}: is a folder name, expected a file name`);
  const st = statOrNull(abs);
  if (st?.isDirectory()) throw new UserError(`${option} ${path}: is a folder, expected a file name`);
  if (st !== null) {
    if (!st.isFile()) throw new UserError(`${option} ${path}: exists and is not a regular file`);
    try {
      accessSync(abs, constants.W_OK);
    } catch (e) {
      throw new UserError(`${option} ${path}: not writable (${errCode(e)})`);
    }
    const real = realpathSync(abs);
    for (const input of inputs) {
      if (input === '-' || input === '') continue;
      let r: string;
      try {
        r = realpathSync(input);
      } catch {
        continue;
      }
      if (r === real) throw new UserError(`${option} ${path}: is the input file ${input}; refusing to overwrite an input`);
    }
  }
  const { base, missing } = existingAncestor(dirname(abs));
  const bst = statOrNull(base);
  if (bst === null || !bst.isDirectory())
    throw new UserError(`${option} ${path}: ${base} is not a folder`);
  try {
    accessSync(base, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new UserError(`${option} ${path}: cannot write in ${base} (${errCode(e)})`);
  }
  // Pseudo file systems (/proc, /sys) report writable folders in which nothing can be created.
  if (missing.length > 0 && /^\/(proc|sys)(\/|$)/.test(base)) throw new UserError(`${option} ${path}: cannot create folders under ${base}`);
}

/** Check that `dir` is, or can be created as, a writable folder (before any work). */
export function checkOutputDir(dir: string, option: string): void {
  if (dir.trim() === '') throw new UserError(`${option}: empty folder name`);
  const st = statOrNull(resolve(dir));
  if (st !== null && !st.isDirectory()) throw new UserError(`${option} ${dir}: exists and is not a folder`);
  const { base, missing } = existingAncestor(resolve(dir));
  const bst = statOrNull(base);
  if (bst === null || !bst.isDirectory()) throw new UserError(`${option} ${dir}: ${base} is not a folder`);
  try {
    accessSync(base, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new UserError(`${option} ${dir}: cannot write in ${base} (${errCode(e)})`);
  }
  if (missing.length > 0 && /^\/(proc|sys)(\/|$)/.test(base)) throw new UserError(`${option} ${dir}: cannot create folders under ${base}`);
}

/** Create `dir` and its missing parents one level at a time; a failure is a UserError naming it. */
function makeDirs(dir: string): void {
  const { base, missing } = existingAncestor(dir);
  const bst = statOrNull(base);
  if (bst !== null && !bst.isDirectory()) throw new UserError(`cannot create folder ${dir}: ${base} is not a folder`);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      if (errCode(e) === 'EEXIST' && statOrNull(d)?.isDirectory()) continue;
      throw new UserError(`cannot create folder ${d} (${errCode(e)})`);
    }
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === 'EPERM';
  }
}

/**
 * The temp file beside `path` that a writer of this process fills before renaming it into place
 * (`.NAME.nsad-PID.tmp`), after removing the temps of writers that no longer run. Creates the folder.
 */
export function tempFileFor(path: string): string {
  const dir = dirname(resolve(path));
  makeDirs(dir);
  const name = basename(path);
  cleanStaleTemps(dir, name);
  return join(dir, `.${name}.nsad-${process.pid}.tmp`);
}

/** Remove `.NAME.nsad-PID.tmp` / `.NAME.PID.MILLIS.tmp` beside `path` whose writer is gone. */
function cleanStaleTemps(dir: string, name: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  const prefix = `.${name}.`;
  for (const e of entries) {
    if (!e.startsWith(prefix) || !e.endsWith('.tmp')) continue;
    const rest = e.slice(prefix.length, -'.tmp'.length);
    const m = /^nsad-(\d+)$/.exec(rest) ?? /^(\d+)\.\d+$/.exec(rest);
    if (!m) continue;
    const pid = Number(m[1]);
    if (!Number.isSafeInteger(pid) || alive(pid)) continue;
    rmSync(join(dir, e), { force: true });
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  if (path.trim() === '') throw new UserError('empty output file name');
  const dir = dirname(resolve(path));
  makeDirs(dir);
  const name = basename(path);
  cleanStaleTemps(dir, name);
  const tmp = join(dir, `.${name}.nsad-${process.pid}.tmp`);
  const old = statOrNull(path);
  if (old?.isDirectory()) throw new UserError(`${path}: is a folder, expected a file name`);
  try {
    writeFileSync(tmp, data);
    if (old !== null) chmodSync(tmp, old.mode & 0o7777);
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    if (e instanceof UserError) throw e;
    throw new UserError(`${path}: cannot write (${errCode(e)})`);
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Run a write after the work is done: on failure, return the one-line reason instead of
 * throwing, so the caller can still print the answer and then say what was not written.
 */
export function tryWrite(what: string, write: () => void): string | null {
  try {
    write();
    return null;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return `${what} not written: ${msg}`;
  }
}
