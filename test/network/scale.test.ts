/**
 * The issue-10 scale goals through the real CLI (heavy: NSAD_HEAVY, which CI sets). Sizes and
 * memory are checked, not wall time (timings are `npm run bench:scale`'s job: they depend on the
 * machine's load, memory and file sizes do not).
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/exact/rng';
import { randomKSat } from '../../src/cnf/generators/random-ksat';
import { writeDimacs } from '../../src/cnf/dimacs';
import { writeFileAtomic } from '../../src/io/atomic';
import { readNetworkFile } from '../../src/network/format';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'bin', 'nsad.js');
const probe = join(root, 'bench', 'rss-probe.cjs');

function run(dir: string, argv: string[]): { status: number | null; stdout: string; stderr: string; maxRssMB: number } {
  const rss = join(dir, `rss-${argv[0]}.json`);
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${probe}`.trim(), NSAD_RSS_OUT: rss };
  const r = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  const maxRssMB = existsSync(rss) ? (JSON.parse(readFileSync(rss, 'utf8')) as { maxRssKb: number }).maxRssKb / 1024 : NaN;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, maxRssMB };
}

function cnfFile(dir: string, n: number, m: number): string {
  const f = join(dir, `rand3-n${n}-m${m}.cnf`);
  writeFileAtomic(f, writeDimacs(randomKSat({ n, m, k: 3 }, new Rng(1))));
  return f;
}

describe.skipIf(!process.env.NSAD_HEAVY)('network scale through the CLI (issue 10, "Memory")', () => {
  it('reduce n = 400, m = 1704: a sparse file ≤ 5 MB, peak RSS ≤ 200 MB, read back with the same size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsad-scale-'));
    const out = join(dir, 'n400.json');
    const r = run(dir, ['reduce', cnfFile(dir, 400, 1704), '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout) as { nonzeros: number; neurons: number };
    expect(statSync(out).size).toBeLessThanOrEqual(5_000_000);
    expect(r.maxRssMB).toBeLessThanOrEqual(200);
    const net = readNetworkFile(out);
    expect(net.nonzeros).toBe(info.nonzeros);
    expect(net.neurons).toBe(info.neurons);
    expect(net.isTernary() && net.isBiasFree()).toBe(true);
  }, 120_000);

  it('10^4 clauses: reduced and answered by `nsad conservative` (two, by reachability)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsad-scale-'));
    const out = join(dir, 'n10k.json');
    const r = run(dir, ['reduce', cnfFile(dir, 2347, 10_000), '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const c = run(dir, ['conservative', out, '--json']);
    expect(c.status, c.stderr).toBe(0);
    const a = JSON.parse(c.stdout) as { answer: string; method: string };
    expect(a).toMatchObject({ answer: 'two', method: 'reachability' });
    expect(Math.max(r.maxRssMB, c.maxRssMB)).toBeLessThanOrEqual(400);
  }, 180_000);
});
