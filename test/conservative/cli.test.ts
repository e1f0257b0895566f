import { describe, it, expect, vi, afterEach } from 'vitest';
import { join } from 'node:path';
import { readNetworkFile } from '../../src/network/format';
import { backward } from '../../src/ad/backward';
import { Rational, vecEq } from '../../src/exact/rational';
import { root, ok, lines, userError, bin } from '../helpers/cli';

const fixture = join(root, 'test', 'fixtures', 'conservative', 'redundant-linear.json');
const toR = (v: number | string) => Rational.fromJson(v)!;

/** stdout lines of a run that must succeed (in-process: one CLI start-up costs seconds on a loaded machine). */
const run = async (...args: string[]): Promise<string[]> => lines(await ok(...args));

afterEach(() => vi.restoreAllMocks());

describe('nsad conservative / clarke-one (CLI)', () => {
  it('conservative --json prints one object with the documented fields; choices reproduce elements', async () => {
    const out = await run('conservative', fixture, '--count', '3', '--json');
    expect(out.length).toBe(1);
    const o = JSON.parse(out[0]!);
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
    const text = await run('conservative', fixture, '--all');
    expect(text[0]).toMatch(/^answer\s+two$/);
    expect(text.filter((l) => l.startsWith('element')).length).toBe(9);
  }, 60_000);

  it('conservative --at with --randomized is labelled; clarke-one --lexicographic agrees on a linear F', async () => {
    const o = JSON.parse((await run('conservative', fixture, '--at', '1,-1', '--randomized', '--json'))[0]!);
    expect(o.method).toBe('schwartz-zippel');
    expect(o.randomized).toBe(true);
    expect(o.answer).toBe('two'); // x1 + x2 = 0 at (1,-1): that pair of neurons is free
    const co = JSON.parse((await run('clarke-one', fixture, '--lexicographic', '--json'))[0]!);
    expect(co.subgradient).toEqual([2, 1]);
    expect(co.lexicographic).toEqual([2, 1]);
  }, 60_000);

  it('bad input is a UserError naming the option or file; the process exits 2 with one line', async () => {
    expect(await userError('conservative', fixture, '--count', '1')).toMatch(/--count/);
    expect(await userError('clarke-one', join(root, 'no-such-file.json'))).toMatch(/no-such-file\.json/);
    const b = bin(['conservative', fixture, '--at', '1,2,3']);
    expect(b.code).toBe(2);
    expect(b.out).toBe('');
    expect(b.err.trim().split('\n').length).toBe(1);
    expect(b.err).toMatch(/expected 2 coordinates/);
  }, 60_000);
});
