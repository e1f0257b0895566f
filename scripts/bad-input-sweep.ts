/**
 * The adversarial bad-input sweep of issue 20: every case of the bad-input corpus
 * (test/helpers/bad-inputs.ts — several hundred hostile files and options for every command) run
 * through the real CLI, bin/nsad.js in a child process as a user runs it, and judged clean or not
 * by the corpus's rule (no hang, no crash, the expected exit code, one printable line equal to the
 * recorded message, no temp file, no input changed, nothing written on exit 2, signals obeyed).
 *
 *     npx tsx scripts/bad-input-sweep.ts [--root DIR] [--out DIR] [--jobs 2] [--only TEXT] [--timeout 60] [--record]
 *
 * `--root` is the tree whose bin/nsad.js is run (default: this repository; point it at an export of
 * another commit to measure "before"; messages are then not compared). `--record` writes the
 * messages of the clean exit-2 cases into test/fixtures/bad-inputs/messages.json (review the diff;
 * `NSAD_RECORD_MESSAGES=1 npx vitest run test/soundness/bad-inputs.test.ts` does the same in process).
 * Writes OUT/sweep.json (every case and verdict) and OUT/sweep.md (the unclean ones).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildShared, cases, judge, type Bytes, type Case, type RunResult, type Verdict } from '../test/helpers/bad-inputs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const { values: argv } = parseArgs({
  options: {
    root: { type: 'string', default: repo },
    out: { type: 'string', default: resolve(repo, 'results/sweep') },
    jobs: { type: 'string', default: '2' },
    only: { type: 'string' },
    timeout: { type: 'string', default: '60' },
    record: { type: 'boolean', default: false },
  },
  strict: true,
});
const ROOT = resolve(argv.root!);
const BIN = join(ROOT, 'bin/nsad.js');
const OUT = resolve(argv.out!);
const JOBS = Number(argv.jobs);
const TIMEOUT_MS = Number(argv.timeout) * 1000;
const MESSAGES = join(repo, 'test/fixtures/bad-inputs/messages.json');

/** `nsad ...args` as a child process of the tree under test. */
async function run(args: string[], cwd: string, opts: { stdin?: Bytes; signal?: Case['signal']; timeoutMs: number }): Promise<RunResult> {
  const t0 = Date.now();
  return new Promise((res) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdin.on('error', () => {});
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    const sigTimer = opts.signal ? setTimeout(() => child.kill(opts.signal!.sig), opts.signal.after) : null;
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (sigTimer) clearTimeout(sigTimer);
      res({ code, signal, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8'), ms: Date.now() - t0, timedOut });
    });
  });
}


async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const work = join(OUT, 'work');
  mkdirSync(work, { recursive: true });
  process.stderr.write(`sweep: building fixtures with ${BIN}\n`);
  const shared = await buildShared(work, run, join(ROOT, 'test/fixtures'));
  const messages = argv.record || ROOT !== repo || !existsSync(MESSAGES) ? null : (JSON.parse(readFileSync(MESSAGES, 'utf8')) as Record<string, string>);
  let list = cases(shared);
  if (argv.only) list = list.filter((c) => c.id.includes(argv.only!));
  const ids = new Set<string>();
  for (const c of list) {
    if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
    ids.add(c.id);
  }
  process.stderr.write(`sweep: ${list.length} cases, ${JOBS} at a time\n`);
  const verdicts: Verdict[] = new Array(list.length);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: JOBS }, async () => {
      for (;;) {
        const k = next++;
        if (k >= list.length) return;
        verdicts[k] = await judge(list[k]!, work, run, messages, TIMEOUT_MS);
        done++;
        if (!verdicts[k]!.clean || done % 25 === 0) process.stderr.write(`sweep: ${done}/${list.length}${verdicts[k]!.clean ? '' : ` UNCLEAN ${list[k]!.id}: ${verdicts[k]!.problems.join('; ')}`}\n`);
      }
    }),
  );
  rmSync(work, { recursive: true, force: true });
  const clean = verdicts.filter((v) => v.clean).length;
  const byCommand = new Map<string, { total: number; clean: number }>();
  for (const v of verdicts) {
    const k = v.id.split('/')[0]!;
    const e = byCommand.get(k) ?? { total: 0, clean: 0 };
    e.total++;
    if (v.clean) e.clean++;
    byCommand.set(k, e);
  }
  const summary = { root: ROOT, cases: verdicts.length, clean, byCommand: Object.fromEntries(byCommand), date: new Date().toISOString() };
  writeFileSync(join(OUT, 'sweep.json'), JSON.stringify({ summary, verdicts }, null, 1) + '\n');
  const md = [
    `# Bad-input sweep of ${ROOT}`,
    '',
    `${clean} of ${verdicts.length} cases clean.`,
    '',
    '| command | cases | clean |',
    '|---|---|---|',
    ...[...byCommand].map(([k, e]) => `| ${k} | ${e.total} | ${e.clean} |`),
    '',
    '## Unclean cases',
    '',
    ...verdicts.filter((v) => !v.clean).map((v) => `- \`${v.id}\`${v.owner ? ` (${v.owner})` : ''}: ${v.problems.join('; ')}${v.err ? ` — stderr: \`${v.err.split('\n')[0]!.slice(0, 160).replace(/`/g, "'")}\`` : ''}`),
    '',
  ].join('\n');
  writeFileSync(join(OUT, 'sweep.md'), md);
  if (argv.record) {
    // Merged into what is recorded (a run with --only records its cases only).
    const recorded: Record<string, string> = existsSync(MESSAGES) ? (JSON.parse(readFileSync(MESSAGES, 'utf8')) as Record<string, string>) : {};
    for (const v of verdicts) if (v.clean && v.line !== undefined) recorded[v.id] = v.line;
    mkdirSync(dirname(MESSAGES), { recursive: true });
    writeFileSync(MESSAGES, JSON.stringify(recorded, null, 1) + '\n');
    process.stderr.write(`sweep: ${Object.keys(recorded).length} messages recorded in ${MESSAGES}\n`);
  }
  process.stdout.write(`${clean} of ${verdicts.length} cases clean (${join(OUT, 'sweep.md')})\n`);
}

await main();
