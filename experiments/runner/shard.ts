/**
 * Deterministic work splitting (`--shard i/n`) and per-task seeds.
 *
 * Task k of the experiment's deterministic list (0-based) belongs to shard `(k mod n) + 1`.
 * Round-robin rather than contiguous blocks because the lists grow in difficulty (n, p, width),
 * so each shard gets a similar mix. Shards are 1-based to match GNU parallel's `{#}` and the
 * usual `#SBATCH --array=1-N`. The union of shards 1..n is exactly the task list, and shards
 * are pairwise disjoint, which `merge` re-checks on the rows themselves.
 */
import { UserError, quoted } from '../../src/errors';

export interface Shard {
  index: number; // 1..count
  count: number;
}

export const WHOLE: Shard = { index: 1, count: 1 };

/** Most shards a task list may be split into (docs/cli.md): far more than any list has tasks. */
export const MAX_SHARDS = 1_000_000;

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UserError(`--shard: expected i/n with 1 ≤ i ≤ n (e.g. 2/8), got ${quoted(text)}`);
  // Compared as digit strings first: Number('99999999999999999999') would round to 1e20.
  const tooBig = (d: string): boolean => d.replace(/^0+/, '').length > String(MAX_SHARDS).length || Number(d) > MAX_SHARDS;
  if (tooBig(m[1]!) || tooBig(m[2]!)) throw new UserError(`--shard: expected i/n with 1 ≤ i ≤ n ≤ ${MAX_SHARDS}, got ${quoted(text)}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && index >= 1 && index <= count)) throw new UserError(`--shard: expected i/n with 1 ≤ i ≤ n, got ${quoted(text)}`);
  return { index, count };
}

export function shardOf<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, k) => k % shard.count === shard.index - 1);
}

export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * A task's seed from the master seed and the task id (FNV-1a, 32 bit). Independent of execution
 * order, worker and shard, so a resumed or sharded run draws the same instances.
 */
export function taskSeed(master: number, id: string): number {
  let h = 0x811c9dc5;
  const s = `${master}:${id}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
