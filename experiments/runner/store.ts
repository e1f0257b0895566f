/**
 * The append-only row store of one experiment run: `rows.jsonl`, one JSON row per line.
 *
 * Crash safety (the `--resume` contract: after an interruption, even `kill -9`, no row is lost
 * and none is duplicated):
 *  - every append rewrites the whole file through `writeFileAtomic` (temp file, fsync, rename),
 *    so at any instant `rows.jsonl` is some complete earlier version: a row is either fully
 *    recorded or not recorded at all, and an unrecorded row is simply recomputed on resume;
 *  - a crash can leave a sibling temp file `.rows.jsonl.<pid>.<time>.tmp`; it is never read and
 *    `open` deletes it;
 *  - the loader is still defensive about files damaged by other means (a copy cut short): a final
 *    line that is not complete JSON is dropped (its task reruns), a damaged line in the middle is
 *    an error (that is not something a crash of this writer can produce), and a repeated id is an
 *    error rather than something to paper over.
 * Rows are written from the main thread only (workers send rows back), so there is one writer.
 */
import { existsSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../../src/io/atomic';
import { UserError } from '../../src/errors';
import { parseJsonPlain, readTextFile } from '../../src/io/json-exact';
import type { Row } from './types';

export const ROWS_FILE = 'rows.jsonl';

export interface LoadResult {
  rows: Row[];
  /** Lines dropped because they were cut short (at most one, the last). */
  droppedPartial: number;
}

/** Parse a rows.jsonl text. Throws UserError naming the file and line on real damage. */
export function parseRows(text: string, source: string): LoadResult {
  const rows: Row[] = [];
  const seen = new Set<string>();
  let droppedPartial = 0;
  const lines = text.split('\n');
  // A complete file ends with '\n', so the last split element is ''. Anything else there is a cut line.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const last = i === lines.length - 1;
    if (line === '') continue;
    if (last) {
      // No trailing newline: the line is a cut write even when it happens to parse.
      droppedPartial++;
      continue;
    }
    // The toolkit's one JSON reader (text rules, depth limit, repeated keys refused).
    const row = parseJsonPlain(line, `${source}:${i + 1}`);
    const ok = row !== null && typeof row === 'object' && !Array.isArray(row) && typeof (row as Row).id === 'string';
    if (!ok) throw new UserError(`${source}:${i + 1}: not a JSON row with a string "id" (damaged file?)`);
    const r = row as Row;
    if (seen.has(r.id)) throw new UserError(`${source}:${i + 1}: duplicate row id "${r.id}"`);
    seen.add(r.id);
    rows.push(r);
  }
  return { rows, droppedPartial };
}

export function serializeRows(rows: readonly Row[]): string {
  return rows.map((r) => JSON.stringify(r) + '\n').join('');
}

/** Delete temp files a killed writer left beside `path` (`.rows.jsonl.<pid>.<time>.tmp`). */
export function removeStaleTemps(path: string): number {
  const dir = dirname(path);
  if (!existsSync(dir)) return 0;
  const prefix = `.${basename(path)}.`;
  let n = 0;
  for (const f of readdirSync(dir)) {
    if (f.startsWith(prefix) && f.endsWith('.tmp')) {
      rmSync(join(dir, f), { force: true });
      n++;
    }
  }
  return n;
}

export function loadRowsFile(path: string): LoadResult {
  if (!existsSync(path)) return { rows: [], droppedPartial: 0 };
  return parseRows(readTextFile(path), path);
}

export class RowStore {
  private readonly list: Row[];
  private readonly ids: Set<string>;
  /** Lines dropped on open because a write was cut short. */
  readonly droppedPartial: number;
  /** Temp files of a killed writer removed on open. */
  readonly removedTemps: number;

  private constructor(readonly path: string, rows: Row[], droppedPartial: number, removedTemps: number) {
    this.list = rows;
    this.ids = new Set(rows.map((r) => r.id));
    this.droppedPartial = droppedPartial;
    this.removedTemps = removedTemps;
  }

  /**
   * Open the store at `path`. With `resume`, keep the recorded rows; without, start empty
   * (the file is replaced at once, so a stale run's rows never mix with a new run's).
   */
  static open(path: string, resume: boolean): RowStore {
    mkdirSync(dirname(path), { recursive: true });
    const removed = removeStaleTemps(path);
    if (resume) {
      const { rows, droppedPartial } = loadRowsFile(path);
      const store = new RowStore(path, rows, droppedPartial, removed);
      if (droppedPartial > 0) store.flush();
      return store;
    }
    const store = new RowStore(path, [], 0, removed);
    store.flush();
    return store;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
  get size(): number {
    return this.list.length;
  }
  rows(): Row[] {
    return this.list.slice();
  }

  /** Record one row durably. Pre: its id is new (a duplicate is a bug in the caller). */
  append(row: Row): void {
    if (this.ids.has(row.id)) throw new Error(`row store ${this.path}: duplicate id "${row.id}"`);
    this.list.push(row);
    this.ids.add(row.id);
    this.flush();
  }

  private flush(): void {
    writeFileAtomic(this.path, serializeRows(this.list));
  }
}
