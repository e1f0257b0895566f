import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { runExperiment, mergeDirs, claimsMarkdown, type RunOptions } from '../../experiments/runner/run';
import { loadExperiment } from '../../experiments/runner/registry';
import { parseShard, shardOf, taskSeed, WHOLE } from '../../experiments/runner/shard';
import { parseRows, RowStore, serializeRows, loadRowsFile } from '../../experiments/runner/store';
import { rowsToCsv, markdownTable } from '../../experiments/runner/table';
import { fitLine, logLogSlope, growthFit, median, exponentialGrowthHolds } from '../../experiments/runner/fit';
import { availableMethods, defaultMethods, fastestMethod, parseMethods } from '../../experiments/methods';
import { renderSvg } from '../../experiments/runner/plot';
import { UserError } from '../../src/errors';
import type { Row } from '../../experiments/runner/types';

const N = 10;
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nsad-exp-'));
  process.env.NSAD_SELFTEST_TASKS = String(N);
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  delete process.env.NSAD_SELFTEST_TASKS;
});

function ro(out: string, extra: Partial<RunOptions> = {}): RunOptions {
  return { out, quick: true, seed: 7, resume: false, shard: WHOLE, jobs: 1, progress: false, command: 'test', ...extra };
}
// rows.jsonl is the one canonical copy of the rows, rewritten in task order at the end of a run.
const rowsOf = (out: string): Row[] => loadRowsFile(join(out, 'selftest', 'rows.jsonl')).rows;
const jsonl = (out: string): string => join(out, 'selftest', 'rows.jsonl');

describe('row store', () => {
  it('reads rows with the toolkit\'s JSON reader: a repeated key or a line nested 10,000 deep is one line naming file and line', () => {
    expect(() => parseRows('{"id":"a","id":"b"}\n', 'r.jsonl')).toThrow(/^r\.jsonl:1: not valid JSON \(duplicate key "id"/);
    expect(() => parseRows(`${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, 'r.jsonl')).toThrow(/^r\.jsonl:1: not valid JSON \(arrays and objects nested deeper than 1000 levels/);
  });

  it('drops a cut last line, refuses damage in the middle and duplicate ids', () => {
    const rows = [{ id: 'a', v: 1 }, { id: 'b', v: 2 }];
    const text = serializeRows(rows);
    expect(parseRows(text, 'f').rows).toEqual(rows);
    const cut = text + '{"id":"c","v"';
    const r = parseRows(cut, 'f');
    expect(r.rows).toEqual(rows);
    expect(r.droppedPartial).toBe(1);
    // Even a parseable last line without its newline is an unfinished write.
    expect(parseRows(text + '{"id":"c","v":3}', 'f').droppedPartial).toBe(1);
    expect(() => parseRows('{"id":"a"}\nnot json\n{"id":"b"}\n', 'f')).toThrow(/f:2/);
    expect(() => parseRows('{"id":"a"}\n{"id":"a"}\n', 'f')).toThrow(UserError);
  });

  it('appends durably and refuses a duplicate append', () => {
    const p = join(root, 'store', 'rows.jsonl');
    const s = RowStore.open(p, false);
    s.append({ id: 'x', v: 1 });
    expect(() => s.append({ id: 'x', v: 2 })).toThrow(/duplicate/);
    writeFileSync(join(root, 'store', '.rows.jsonl.123.456.tmp'), '{"id":"junk"');
    const t = RowStore.open(p, true);
    expect(t.rows()).toEqual([{ id: 'x', v: 1 }]);
    expect(t.removedTemps).toBe(1);
    expect(readdirSync(join(root, 'store'))).toEqual(['rows.jsonl']);
  });
});

describe('runner', () => {
  it('runs, and the worker pool gives the same rows as one thread', async () => {
    const a = join(root, 'serial');
    const b = join(root, 'pool');
    const exp = await loadExperiment('selftest');
    const o = await runExperiment(exp, ro(a));
    expect(o.rows).toBe(N);
    await runExperiment(exp, ro(b, { jobs: 2 }));
    expect(rowsOf(b)).toEqual(rowsOf(a));
    const csv = readFileSync(join(a, 'selftest', 'rows.csv'), 'utf8').split('\n');
    expect(csv[0]!.split(',')[0]).toBe('id');
    expect(new Set(csv.slice(1, -1).map((l) => l.split(',')[0])).size).toBe(N);
    expect(existsSync(join(a, 'selftest', 'rows.json'))).toBe(false);
    for (const f of ['rows.csv', 'rows.jsonl', 'table.md', 'summary.json', 'manifest.json', 'draws.svg'])
      expect(existsSync(join(a, 'selftest', f))).toBe(true);
    expect(readFileSync(join(a, 'selftest', 'draws.svg'), 'utf8')).toMatch(/^<svg/);
    const man = JSON.parse(readFileSync(join(a, 'selftest', 'manifest.json'), 'utf8'));
    expect(man.options.seed).toBe(7);
    expect(man.command).toBe('test');
  });

  it('resumes after a simulated crash (cut store + stale temp file) without losing or duplicating rows', async () => {
    const full = join(root, 'serial');
    const out = join(root, 'crash');
    const exp = await loadExperiment('selftest');
    await runExperiment(exp, ro(out));
    // Crash: keep the first half, add a half-written row and a temp file of a killed writer.
    const lines = readFileSync(jsonl(out), 'utf8').split('\n').filter((l) => l);
    writeFileSync(jsonl(out), lines.slice(0, N / 2).join('\n') + '\n' + lines[N / 2]!.slice(0, 9));
    writeFileSync(join(out, 'selftest', '.rows.jsonl.99999.1.tmp'), lines.join('\n'));
    const o = await runExperiment(exp, ro(out, { resume: true }));
    expect(o.resumed).toBe(N / 2);
    expect(o.computed).toBe(N / 2);
    expect(rowsOf(out)).toEqual(rowsOf(full));
    const ids = readFileSync(jsonl(out), 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l).id);
    expect(new Set(ids).size).toBe(N);
    expect(ids.length).toBe(N);
  });

  it('refuses to resume with different options', async () => {
    const exp = await loadExperiment('selftest');
    await expect(runExperiment(exp, ro(join(root, 'serial'), { resume: true, seed: 8 }))).rejects.toThrow(UserError);
  });

  it('survives kill -9 of a running process', async () => {
    const out = join(root, 'killed');
    const script = join(root, 'run-selftest.mts');
    writeFileSync(
      script,
      `import { runExperiment } from ${JSON.stringify(join(process.cwd(), 'experiments/runner/run.ts'))};
       import { loadExperiment } from ${JSON.stringify(join(process.cwd(), 'experiments/runner/registry.ts'))};
       const exp = await loadExperiment('selftest');
       await runExperiment(exp, { out: ${JSON.stringify(out)}, quick: true, seed: 7, resume: process.argv.includes('--resume'), shard: { index: 1, count: 1 }, jobs: 1, progress: false, command: 'test' });`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, NSAD_SELFTEST_SLEEP_MS: '150', NSAD_SELFTEST_TASKS: String(N) }, stdio: 'ignore' });
    // Wait until some but not all rows are recorded, then kill -9.
    const deadline = Date.now() + 30_000;
    let have = 0;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      if (existsSync(jsonl(out))) {
        have = parseRows(readFileSync(jsonl(out), 'utf8'), 'x').rows.length;
        if (have >= 2) break;
      }
    }
    const exited = child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    const before = parseRows(readFileSync(jsonl(out), 'utf8'), 'x').rows.length;
    expect(before).toBeGreaterThanOrEqual(2);
    expect(before).toBeLessThan(N);
    const exp = await loadExperiment('selftest');
    const o = await runExperiment(exp, ro(out, { resume: true }));
    expect(o.resumed).toBe(before);
    expect(o.rows).toBe(N);
    expect(rowsOf(out)).toEqual(rowsOf(join(root, 'serial')));
  });

  it('shards are disjoint, cover the tasks, and merge to the unsharded result; overlap is refused', async () => {
    const exp = await loadExperiment('selftest');
    const dirs = [1, 2, 3].map((i) => join(root, `shard${i}`));
    for (let i = 0; i < 3; i++) await runExperiment(exp, ro(dirs[i]!, { shard: { index: i + 1, count: 3 } }));
    const counts = dirs.map((d) => rowsOf(d).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(N);
    const merged = join(root, 'merged');
    const m = await mergeDirs(dirs, merged);
    expect(m.experiments[0]!.missing).toBe(0);
    expect(rowsOf(merged)).toEqual(rowsOf(join(root, 'serial')));
    // Provenance survives the merge: each shard's command and dates, in the manifest and the table.
    const man = JSON.parse(readFileSync(join(merged, 'selftest', 'manifest.json'), 'utf8'));
    expect(man.runs.map((r: { shard: string }) => r.shard)).toEqual(['1/3', '2/3', '3/3']);
    for (const r of man.runs) expect(Date.parse(r.finishedAt)).toBeGreaterThanOrEqual(Date.parse(r.startedAt));
    expect(readFileSync(join(merged, 'selftest', 'table.md'), 'utf8')).toMatch(/Run .*shard3 \(shard 3\/3\): `test`, started .*, finished /);
    // Merging a merged output again keeps the original runs.
    await mergeDirs([merged], join(root, 'remerged'));
    expect(JSON.parse(readFileSync(join(root, 'remerged', 'selftest', 'manifest.json'), 'utf8')).runs).toEqual(man.runs);
    await expect(mergeDirs([dirs[0]!, dirs[0]!], join(root, 'bad'))).rejects.toThrow(/overlap/);
    // The output is never one of the shards (issue 20: merge A B --out A rewrote A's rows).
    const before = readFileSync(jsonl(dirs[0]!), 'utf8');
    await expect(mergeDirs(dirs, join(dirs[0]!, '.'))).rejects.toThrow(/^--out .*: is the input folder .*refusing to overwrite an input/);
    expect(readFileSync(jsonl(dirs[0]!), 'utf8')).toBe(before);
    const partial = await mergeDirs([dirs[0]!, dirs[1]!], join(root, 'partial'));
    expect(partial.experiments[0]!.missing).toBe(counts[2]);
  });
});

describe('helpers', () => {
  it('parses shards and splits deterministically', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(() => parseShard('0/5')).toThrow(UserError);
    expect(() => parseShard('6/5')).toThrow(UserError);
    expect(() => parseShard('x')).toThrow(UserError);
    // Beyond the documented limit, refused (Number('99999999999999999999') would be 1e20).
    expect(parseShard('7/1000000')).toEqual({ index: 7, count: 1_000_000 });
    expect(() => parseShard('1/1000001')).toThrow(/1 ≤ i ≤ n ≤ 1000000/);
    expect(() => parseShard('1/99999999999999999999')).toThrow(/1 ≤ i ≤ n ≤ 1000000/);
    expect(() => parseShard('00000000000000000001/2')).not.toThrow();
    const xs = Array.from({ length: 11 }, (_, i) => i);
    const parts = [1, 2, 3].map((i) => shardOf(xs, { index: i, count: 3 }));
    expect(parts.flat().sort((a, b) => a - b)).toEqual(xs);
    expect(taskSeed(1, 'a')).toBe(taskSeed(1, 'a'));
    expect(taskSeed(1, 'a')).not.toBe(taskSeed(2, 'a'));
  });

  it('fits lines, slopes and growth', () => {
    const f = fitLine([1, 2, 3], [3, 5, 7]);
    expect(f.slope).toBeCloseTo(2);
    expect(f.intercept).toBeCloseTo(1);
    expect(logLogSlope([2, 4, 8, 16], [12, 48, 192, 768]).slope).toBeCloseTo(2);
    const ns = [10, 20, 30, 40, 50];
    expect(growthFit(ns, ns.map((n) => Math.exp(0.3 * n))).better).toBe('exponential');
    expect(growthFit(ns, ns.map((n) => n ** 3)).better).toBe('polynomial');
    expect(growthFit(ns, ns.map((n) => Math.exp(0.3 * n))).exponential.base).toBeCloseTo(Math.exp(0.3));
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });

  it("gives the slope's standard error and 95% CI (checked against scipy.stats.linregress + t.ppf)", () => {
    // scipy 1.17: slope 1.99, stderr 0.0597216, t.ppf(0.975, 3) = 3.18245 → [1.79994, 2.18006].
    const f = fitLine([1, 2, 3, 4, 5], [2.1, 3.9, 6.2, 7.8, 10.1]);
    expect(f.slope).toBeCloseTo(1.99, 10);
    expect(f.slopeSe).toBeCloseTo(0.0597215762, 8);
    expect(f.slopeCi[0]).toBeCloseTo(1.7999392904, 8);
    expect(f.slopeCi[1]).toBeCloseTo(2.1800607096, 8);
    expect(Number.isNaN(fitLine([1, 2], [1, 2]).slopeSe)).toBe(true);
  });

  it('decides exponential growth by the stated rule', () => {
    const ns = [10, 15, 20, 25, 30];
    // Exponential with multiplicative noise: yes.
    const noisy = ns.map((n, i) => Math.exp(0.2 * n) * [1.1, 0.9, 1.05, 0.95, 1.0][i]!);
    expect(exponentialGrowthHolds(growthFit(ns, noisy)).holds).toBe(true);
    // Flat noise: the CI of the slope contains 0.
    const flat = [1.0, 1.3, 0.8, 1.2, 0.9];
    const r = exponentialGrowthHolds(growthFit(ns, flat));
    expect(r.holds).toBe(false);
    expect(r.why).toMatch(/CI/);
    // Three sizes are not enough, however clean.
    expect(exponentialGrowthHolds(growthFit([10, 20, 30], [1, 10, 100])).why).toMatch(/need ≥ 4/);
    // Growing but badly explained by a line in ln t: r² < 0.9.
    const wobbly = [1, 8, 2, 30, 12, 200, 40].map((t) => t);
    const w = exponentialGrowthHolds(growthFit([10, 15, 20, 25, 30, 35, 40], wobbly));
    expect(w.holds).toBe(false);
  });

  it("prints each claim's rule as a footnote of the claims table", () => {
    const md = claimsMarkdown([
      { ref: '3', claim: 'c', statement: 's', measured: 'm', holds: 'yes', rule: 'rule A' },
      { ref: '4', claim: 'd', statement: 's', measured: 'm', holds: 'no' },
    ]);
    expect(md).toContain('| yes [1] |');
    expect(md).toContain('| no |');
    expect(md).toContain('[1] rule A');
  });

  it('parses --methods: available backends only, no repeats', () => {
    expect(availableMethods()).toEqual(expect.arrayContaining(['highs', 'glpk', 'lpsolver']));
    expect(defaultMethods()).not.toContain('lpsolver');
    expect(parseMethods('glpk, highs')).toEqual(['glpk', 'highs']);
    expect(() => parseMethods('highs,nope')).toThrow(/unknown or unavailable method "nope"/);
    expect(() => parseMethods('highs,highs')).toThrow(UserError);
    expect(() => parseMethods(',')).toThrow(UserError);
    expect(fastestMethod(['glpk', 'highs'])).toBe('highs');
    // The network branch and bound is decideClarke's own procedure: always there, fastest first.
    expect(availableMethods()[0]).toBe('bab');
    expect(fastestMethod(defaultMethods())).toBe('bab');
    expect(parseMethods('bab,highs')).toEqual(['bab', 'highs']);
  });

  it('writes CSV with quoting and Markdown tables', () => {
    const csv = rowsToCsv([{ id: 'a', s: 'x,"y"', v: [1, 2] }, { id: 'b', w: true }]);
    expect(csv).toBe('id,s,v,w\na,"x,""y""","[1,2]",\nb,,,true\n');
    expect(markdownTable({ columns: ['a', 'b'], rows: [[1, 'x|y']] })).toBe('| a | b |\n| --- | --- |\n| 1 | x\\|y |\n');
  });

  it('renders vega-lite to SVG headlessly', async () => {
    const svg = await renderSvg({ data: { values: [{ x: 1, y: 1 }, { x: 2, y: 4 }] }, mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('path');
  });
});
