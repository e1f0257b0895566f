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
import { stringifyJson } from './json-exact';

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
 * What a path names, for "is this the same file?": device and inode of an existing file or folder
 * (so `./x`, `x`, a symlink to it and a hard link all compare equal), else the real path of its
 * nearest existing folder joined with the rest (a file still to be created).
 */
function identity(path: string): string {
  const abs = resolve(path);
  const st = statOrNull(abs);
  if (st !== null) return `inode ${st.dev}:${st.ino}`;
  const { base, missing } = existingAncestor(dirname(abs));
  let real = base;
  try {
    real = realpathSync(base);
  } catch {
    // keep the resolved path
  }
  return `path ${join(real, ...missing.map((m) => basename(m)), basename(abs))}`;
}

/** The first of `inputs` that is the same file or folder as `path`, or null. */
function sameAsInput(path: string, inputs: readonly (string | undefined)[]): string | null {
  const id = identity(path);
  for (const input of inputs) {
    if (input === undefined || input === '-' || input.trim() === '' || statOrNull(resolve(input)) === null) continue;
    if (identity(input) === id) return input;
  }
  return null;
}

/**
 * Check that `path` can be written as an output: not empty, not a folder, its folder exists or
 * can be created under a writable folder, an existing file is writable, and it is none of
 * `inputs` (a command must not overwrite what it reads). Throws a UserError naming `option`.
 */
export function checkOutputPath(path: string, option: string, inputs: readonly (string | undefined)[] = []): void {
  if (path.trim() === '') throw new UserError(`${option}: empty file name`);
  const abs = resolve(path);
  if (abs.endsWith(sep) || path.endsWith('/')) throw new UserError(`${option} ${path}: is a folder name, expected a file name`);
  const st = statOrNull(abs);
  if (st?.isDirectory()) throw new UserError(`${option} ${path}: is a folder, expected a file name`);
  if (st !== null) {
    if (!st.isFile()) throw new UserError(`${option} ${path}: exists and is not a regular file`);
    const input = sameAsInput(path, inputs);
    if (input !== null) throw new UserError(`${option} ${path}: is the input file ${input}; refusing to overwrite an input`);
    try {
      accessSync(abs, constants.W_OK);
    } catch (e) {
      throw new UserError(`${option} ${path}: not writable (${errCode(e)})`);
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

/** An output of a command: the option naming it, and its path (undefined when not asked for). */
export type OutputSpec = readonly [option: string, path: string | undefined];

/**
 * The one output-path guard, called by every command that writes files, before any work (so a
 * long run never ends in a lost answer or an overwritten input): each output passes
 * `checkOutputPath`, is none of `inputs`, and no two outputs are the same file however spelt
 * (`x` and `./x`, a symlink, a hard link) — the second write would replace the first.
 */
export function checkOutputs(outputs: readonly OutputSpec[], inputs: readonly (string | undefined)[]): void {
  const seen = new Map<string, string>();
  for (const [option, path] of outputs) {
    if (path === undefined) continue;
    checkOutputPath(path, option, inputs);
    const id = identity(path);
    const other = seen.get(id);
    if (other !== undefined) throw new UserError(`${other} and ${option}: the same file ${path}; each output needs its own file`);
    seen.set(id, option);
  }
}

/**
 * Check that `dir` is, or can be created as, a writable folder (before any work), and that it is
 * none of the folders in `inputs` (an output folder whose files would replace what is read).
 */
export function checkOutputDir(dir: string, option: string, inputs: readonly (string | undefined)[] = []): void {
  if (dir.trim() === '') throw new UserError(`${option}: empty folder name`);
  const st = statOrNull(resolve(dir));
  if (st !== null && !st.isDirectory()) throw new UserError(`${option} ${dir}: exists and is not a folder`);
  const input = st === null ? null : sameAsInput(dir, inputs);
  if (input !== null) throw new UserError(`${option} ${dir}: is the input folder ${input}; refusing to overwrite an input (write to a new folder)`);
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
 * A writer that keeps it open across event-loop turns (a proof streamed during a search) can also
 * `holdTemp` it, so that SIGINT/SIGTERM remove it before the process ends.
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

/**
 * Interruption (SIGINT, SIGTERM, SIGHUP) while a temp file exists. A write is synchronous, so no
 * JavaScript runs between the temp file's creation and its rename; but without a listener the
 * signal's default action would end the process in the middle, leaving the temp file behind.
 * While a temp file is held, and for two turns of the event loop after the last one is released
 * (so that a signal that arrived during a synchronous write is delivered to it), a listener is
 * installed: it removes the temp files still held, then removes itself and raises the signal again,
 * so the process ends by the signal as it would have (exit status 128 + its number) — unless the
 * program has listeners of its own, which then receive the signal as they would have. Outside
 * those windows nothing is installed and Ctrl-C acts at once, even in a long computation.
 */
const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const heldTemps = new Set<string>();
let listening = false;
let graceTurns = 0;

function onInterrupt(sig: NodeJS.Signals): void {
  for (const t of heldTemps) rmSync(t, { force: true });
  heldTemps.clear();
  // Someone else listens too (a program using nsad as a library): the signal is theirs to act on.
  const others = process.listenerCount(sig) - 1;
  stopListening();
  if (others === 0) process.kill(process.pid, sig);
}

function stopListening(): void {
  if (!listening) return;
  for (const s of INTERRUPTS) process.removeListener(s, onInterrupt);
  listening = false;
}

/**
 * Hold `path` (a temp file about to be written) until the returned release is called: if the
 * process is interrupted meanwhile, the file is removed before it ends. Writers of long-lived temp
 * files (a proof streamed during a search) use it too.
 */
export function holdTemp(path: string): () => void {
  heldTemps.add(path);
  if (!listening) {
    for (const s of INTERRUPTS) process.on(s, onInterrupt);
    listening = true;
  }
  return () => {
    heldTemps.delete(path);
    const turn = ++graceTurns;
    setImmediate(() =>
      setImmediate(() => {
        if (turn === graceTurns && heldTemps.size === 0) stopListening();
      }),
    );
  };
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  if (path.trim() === '') throw new UserError('empty output file name');
  const tmp = tempFileFor(path);
  const old = statOrNull(path);
  if (old?.isDirectory()) throw new UserError(`${path}: is a folder, expected a file name`);
  const release = holdTemp(tmp);
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
  } finally {
    release();
  }
}

/** Write `value` as indented JSON (refused, before anything is written, if the readers would refuse it). */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, stringifyJson(value, path, { space: 2 }) + '\n');
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
