import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../src/cnf/satlib';
import { readNetworkFile } from '../../src/network/format';
import { backward } from '../../src/ad/backward';
import { Rational, vecEq } from '../../src/exact/rational';

const root = repoRoot();
const fixture = join(root, 'test', 'fixtures', 'conservative', 'redundant-linear.json');
function nsad(...args: string[]) {
  return spawnSync(process.execPath, [join(root, 'bin', 'nsad.js'), ...args], { encoding: 'utf8', cwd: root });
}
const toR = (v: number | string) => Rational.fromJson(v)!;

describe('nsad conservative / clarke-one (CLI)', () => {
  it('conservative --json prints one object with the documented fields; choices reproduce elements', () => {
    const r = nsad('conservative', fixture, '--count', '3', '--json');
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(Object.keys(o)).toEqual(expect.arrayContaining(['answer', 'elements', 'choices', 'method', 'randomized', 'timeMs']));
    expect(o.answer).toBe('two');
    expect(o.method).toBe('reachability');
    expect(o.randomized).toBe(false);
    expect(o.elements.length).toBe(3);
    const net = readNetworkFile(fixture);
    const x = [Rational.int(0), Rational.int(0)];
    o.elements.forEach((el: (number | string)[], k: number) => {
      const s = (o.choices[k] as (number | string)[][]).map((row) => row.map(toR));
      expect(vecEq(backward(net, x, { kind: 'per-neuron', s }).gradient, el.map(toR))).toBe(true);
    });
  }, 60_000);

  it('conservative --at with --randomized is labelled; clarke-one --lexicographic agrees on a linear F', () => {
    const r = nsad('conservative', fixture, '--at', '1,-1', '--randomized', '--json');
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(o.method).toBe('schwartz-zippel');
    expect(o.randomized).toBe(true);
    expect(o.answer).toBe('two'); // x1 + x2 = 0 at (1,-1): that pair of neurons is free
    const c = nsad('clarke-one', fixture, '--lexicographic', '--json');
    expect(c.status).toBe(0);
    const co = JSON.parse(c.stdout);
    expect(co.subgradient).toEqual([2, 1]);
    expect(co.lexicographic).toEqual([2, 1]);
  }, 60_000);

  it('bad input exits 2 with one line naming the file or option', () => {
    const a = nsad('conservative', fixture, '--count', '1');
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/--count/);
    const b = nsad('conservative', fixture, '--at', '1,2,3');
    expect(b.status).toBe(2);
    expect(b.stderr.trim().split('\n').length).toBe(1);
    expect(b.stderr).toMatch(/expected 2 coordinates/);
    const c = nsad('clarke-one', join(root, 'no-such-file.json'));
    expect(c.status).toBe(2);
    expect(c.stderr).toMatch(/no-such-file\.json/);
  }, 60_000);
});
