/**
 * The time limit covers the exact reduction of the tied forms (src/exact/matrix.ts rref), the one
 * step of the Clarke set that had no clock: on a bias-free dense float network at 0 (every neuron
 * tied, hundreds of dense rows) it alone took minutes. Past the limit: TimeLimitReached from the
 * library, `undecided` with the reason in the audit, one explicit line from `clarke --set` and
 * from `explore` (which writes no page).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rational } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { rref } from '../../src/exact/matrix';
import { TimeLimitReached } from '../../src/errors';
import { Network, layerOf } from '../../src/network/network';
import { writeNetworkFile } from '../../src/network/format';
import { clarkeSet } from '../../src/clarke/set';
import { auditNetwork } from '../../src/audit/audit';
import { cli } from '../helpers/cli';

/** A bias-free network with float32-like dyadic weights k/2^20: every neuron is tied at 0. */
function denseBiasFree(dims: number[], seed: number): Network {
  const rng = new Rng(seed);
  return new Network(dims[0]!, dims.slice(1).map((rows, l) =>
    layerOf(
      Array.from({ length: rows }, () => Array.from({ length: dims[l]! }, () => Rational.of(BigInt(rng.int(-(1 << 20), 1 << 20)), 1n << 20n))),
      new Array(rows).fill(Rational.int(0)),
    )));
}

describe('time limit of the tied forms reduction', () => {
  it('rref past its deadline throws TimeLimitReached; without one it completes', () => {
    const rng = new Rng(3);
    const rows = Array.from({ length: 30 }, () => Array.from({ length: 30 }, () => Rational.of(BigInt(rng.int(-1000, 1000)), 1024n)));
    expect(() => rref(rows, 30, performance.now() - 1)).toThrow(TimeLimitReached);
    expect(rref(rows, 30).rank).toBe(30);
  });

  it('clarkeSet throws TimeLimitReached; the audit answers undecided with the reason; the CLI prints one explicit line', async () => {
    const net = denseBiasFree([60, 60, 40, 1], 5);
    const zero = new Array(60).fill(Rational.int(0));
    expect(() => clarkeSet(net, { timeLimitSec: 0.001 })).toThrow(TimeLimitReached);
    const r = await auditNetwork(net, [zero], { floats: [], timeLimitSec: 0.001 });
    const a = r.inputs[0]!;
    expect(a.clarkeSet!.complete).toBe(false);
    expect(a.clarkeSet!.restsOn).toMatch(/time limit .* reached during the row reduction/);
    expect(a.membership!.map((m) => m.answer)).toEqual(['undecided', 'undecided', 'undecided']);
    expect(r.summary.membership['0'].undecided).toBe(1);
    const dir = mkdtempSync(join(tmpdir(), 'nsad-set-limit-'));
    try {
      writeNetworkFile(join(dir, 'n.json'), net);
      const c = await cli('clarke', join(dir, 'n.json'), '--set', '--time-limit', '0.1', '--certificate', join(dir, 'c.json'));
      expect(c.code).toBe(0);
      expect(c.out).toMatch(/^undecided: time limit \(0\.1 s\) reached during the row reduction/);
      expect(existsSync(join(dir, 'c.json'))).toBe(false);
      // explore on the same network: one line, exit 1, no page.
      const e = await cli('explore', join(dir, 'n.json'), '--at', zero.join(','), '--time-limit', '0.1', '--out', join(dir, 'p.html'));
      expect(e.code).toBe(1);
      expect(e.err).toMatch(/nsad: explore: time limit \(0\.1 s\) reached during the row reduction/);
      expect(existsSync(join(dir, 'p.html'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
