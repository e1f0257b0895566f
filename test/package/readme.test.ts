/**
 * The README is a newcomer's first contact: short, self-contained, and its tour runs from a fresh
 * clone. Running the tour takes minutes (MILP solves), so CI-time checks here are structural: the
 * tour's commands name existing commands and files that are in the repository (or written by an
 * earlier tour command), and nothing in the repository points outside it.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildProgram } from '../../src/cli/program';

const ROOT = join(import.meta.dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The indented `npx nsad …` lines of the tour section, comments stripped. */
function tourCommands(): string[][] {
  const start = README.indexOf('## A five-minute tour');
  const end = README.indexOf('\n## ', start + 1);
  expect(start, 'README has a tour section').toBeGreaterThan(0);
  return README.slice(start, end)
    .split('\n')
    .filter((l) => /^ {4}npx nsad /.test(l))
    .map((l) => l.replace(/#.*$/, '').trim().split(/\s+/).slice(2));
}

describe('README', () => {
  it('is at most 250 lines', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(250);
  });

  it('names the two commands a newcomer needs', () => {
    expect(README).toMatch(/npm ci/);
    expect(README).toMatch(/npm start/);
    expect(README).toMatch(/npm test/);
  });

  it("tour: every command exists, every file it reads is in the repository or written earlier in the tour", async () => {
    const cmds = tourCommands();
    expect(cmds.length).toBeGreaterThanOrEqual(8);
    const program = await buildProgram();
    const known = new Set(program.commands.map((c) => c.name()));
    const written = new Set<string>();
    for (const argv of cmds) {
      expect(known, argv.join(' ')).toContain(argv[0]);
      const cmd = program.commands.find((c) => c.name() === argv[0])!;
      const flags = new Set(cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f)));
      for (const a of argv.slice(1).filter((t) => t.startsWith('-'))) expect(flags, `${argv.join(' ')}: option ${a}`).toContain(a);
      for (let i = 1; i < argv.length; i++) {
        const a = argv[i]!;
        const prev = argv[i - 1]!;
        if (prev === '--out' || prev === '--certificate' || prev === '--network' || prev === '--proof') {
          written.add(a);
          continue;
        }
        if (!/\.(json|cnf|gz|proof)$/.test(a)) continue;
        expect(existsSync(join(ROOT, a)) || written.has(a), `${argv.join(' ')}: ${a} is neither in the repository nor written earlier`).toBe(true);
      }
    }
  });

  it('links only to documents that exist', () => {
    for (const m of README.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)) {
      const target = m[1]!;
      if (/^https?:/.test(target)) continue;
      expect(existsSync(join(ROOT, target)), target).toBe(true);
    }
  });
});

describe('the repository is self-contained', () => {
  it('no tracked file refers to ../shared', () => {
    let hits = '';
    try {
      hits = execFileSync('git', ['grep', '-l', '-I', '-F', '../shared', '--', '.', ':!test/package/readme.test.ts'], { cwd: ROOT, encoding: 'utf8' });
    } catch (e) {
      // git grep exits 1 when nothing matches
      if ((e as { status?: number }).status !== 1) throw e;
    }
    expect(hits.trim().split('\n').filter(Boolean)).toEqual([]);
  });

  it('every docs/theory.md §N cited in the code is a section of docs/theory.md', () => {
    const theory = readFileSync(join(ROOT, 'docs', 'theory.md'), 'utf8');
    const sections = new Set([...theory.matchAll(/^## §(\d+)/gm)].map((m) => m[1]));
    expect([...sections].sort()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const out = execFileSync('git', ['grep', '-h', '-o', '-I', '-E', 'docs/theory\\.md §[0-9]+', '--', 'src', 'reductions', 'experiments', 'bench', 'test', 'docs'], { cwd: ROOT, encoding: 'utf8' });
    const cited = new Set([...out.matchAll(/§(\d+)/g)].map((m) => m[1]));
    for (const n of cited) expect(sections, `docs/theory.md §${n}`).toContain(n);
  });
});
