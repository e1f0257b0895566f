/**
 * The bad-input corpus of issue 20 (test/helpers/bad-inputs.ts), every command, run in process:
 * each case must be clean — its exit code, exactly one line `nsad: …` equal to the message recorded
 * in test/fixtures/bad-inputs/messages.json, no stack trace, no temp file, no input changed,
 * nothing written on exit 2. The normal suite runs the first cases of every command; with
 * NSAD_HEAVY=1 (CI) every case that can run in process (the stdin and signal cases need a child
 * process: scripts/bad-input-sweep.ts runs those, and test/soundness/signals.test.ts the signals).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, root } from '../helpers/cli';
import { buildShared, cases, judge, type Case, type Runner, type Shared } from '../helpers/bad-inputs';

const HEAVY = process.env.NSAD_HEAVY === '1';
/** NSAD_RECORD_MESSAGES=1: run every case and record the messages of the clean exit-2 ones (review the diff). */
const RECORD = process.env.NSAD_RECORD_MESSAGES === '1';
const MESSAGES = join(root, 'test/fixtures/bad-inputs/messages.json');
const messages = existsSync(MESSAGES) ? (JSON.parse(readFileSync(MESSAGES, 'utf8')) as Record<string, string>) : {};

/** `nsad ...args` in process, in `cwd` (the forks pool runs each test file in its own process). */
const run: Runner = async (args, cwd, opts) => {
  if (opts.stdin !== undefined || opts.signal !== undefined) throw new Error('in process: no stdin, no signals');
  const back = process.cwd();
  process.chdir(cwd);
  const t0 = Date.now();
  try {
    const r = await cli(...args);
    return { code: r.code, signal: null, out: r.out, err: r.err, ms: Date.now() - t0, timedOut: false };
  } finally {
    process.chdir(back);
  }
};

/** In process: no stdin or signal; the instance-generation limits are another part of issue 20. */
const inProcess = (c: Case): boolean => c.stdin === undefined && c.signal === undefined && c.owner === undefined;

/** The normal suite: the first few cases of each command, and every output-path and hostile-model case. */
function sample(list: Case[]): Case[] {
  const seen = new Map<string, number>();
  return list.filter((c) => {
    const cmd = c.id.split('/')[0]!;
    const k = (seen.get(cmd) ?? 0) + 1;
    seen.set(cmd, k);
    return k <= 4 || /\/out\/|safetensors\/|onnx\/(matmul|dup|relu|add)|csv\/|shard\/|merge\/out/.test(c.id);
  });
}

const work = mkdtempSync(join(tmpdir(), 'nsad-bad-inputs-'));
let shared: Shared | null = null;
const sharedOnce = async (): Promise<Shared> => (shared ??= await buildShared(join(work, 'shared'), run, join(root, 'test/fixtures')));

describe('bad-input corpus, every command (in process)', () => {
  it(
    HEAVY ? 'every case is clean' : 'a sample of every command is clean (NSAD_HEAVY=1: every case)',
    async () => {
      const list = cases(await sharedOnce()).filter(inProcess);
      const todo = HEAVY || RECORD ? list : sample(list);
      expect(new Set(todo.map((c) => c.id.split('/')[0])).size).toBeGreaterThanOrEqual(18);
      const unclean: string[] = [];
      const recorded = { ...messages };
      for (const c of todo) {
        const v = await judge(c, join(work, 'cases'), run, RECORD ? null : messages);
        if (!v.clean) unclean.push(`${c.id}: ${v.problems.join('; ')}${v.line ? ` — got ${JSON.stringify(v.line)}` : ''}`);
        else if (v.line !== undefined) recorded[c.id] = v.line;
      }
      if (RECORD) writeFileSync(MESSAGES, JSON.stringify(recorded, null, 1) + '\n');
      expect(unclean).toEqual([]);
      rmSync(work, { recursive: true, force: true });
    },
    HEAVY ? 1_800_000 : 600_000,
  );

  it('every exit-2 case has a recorded message, and every recorded message a case', async () => {
    const list = cases(await sharedOnce());
    const ids = new Set(list.map((c) => c.id));
    for (const id of Object.keys(messages)) expect(ids.has(id), `recorded message of an unknown case ${id}`).toBe(true);
    for (const c of list) if ((c.code ?? 2) === 2 && !c.codes && !c.signal && c.owner === undefined) expect(messages[c.id], c.id).toBeDefined();
  }, 600_000);
});
