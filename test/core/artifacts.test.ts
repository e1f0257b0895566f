/** docs/theory.md §3 on the layered network relu(relu(x) − relu(−x)) (= relu(x); Clarke ∂F(0) = [0, 1]). */
import { describe, it, expect } from 'vitest';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rational, ZERO, ONE } from '../../src/exact/rational';
import { readNetworkFile } from '../../src/network/format';
import { evaluateExact } from '../../src/network/evaluate';
import { backward } from '../../src/ad/backward';
import { constantPolicy, PYTORCH } from '../../src/ad/relu-prime';
import { lexicographicSubgradient } from '../../src/ad/lexicographic';
import { directionalDerivatives } from '../../src/ad/forward';

const net = readNetworkFile(join(dirname(fileURLToPath(import.meta.url)), '../fixtures/core/relu-carry.json'));
const q = (s: string) => Rational.parse(s)!;

describe('relu(relu(x) − relu(−x)) at 0', () => {
  it('is relu(x)', () => {
    for (const v of ['-2', '-1/3', '0', '1/5', '4']) expect(evaluateExact(net, [q(v)]).value.eq(q(v).max(ZERO))).toBe(true);
  });
  it("backprop with relu'(0)=0 (PyTorch, JAX) gives 0 and with relu'(0)=1 gives 2 (not in ∂F(0) = [0,1])", () => {
    expect(backward(net, [ZERO], PYTORCH).gradient[0]!.isZero()).toBe(true);
    expect(backward(net, [ZERO], constantPolicy(ONE)).gradient[0]!.eq(q('2'))).toBe(true);
  });
  it("backprop with relu'(0)=s at all three zero neurons gives s·(s + s) = 2s² (= 2s at s ∈ {0, 1})", () => {
    for (const s of ['0', '1/4', '1/2', '2/3', '1']) {
      const r = backward(net, [ZERO], constantPolicy(q(s)));
      expect(r.gradient[0]!.eq(q('2').mul(q(s)).mul(q(s)))).toBe(true);
      expect(r.zeros).toEqual([[0, 0], [0, 1], [1, 0]]);
    }
  });
  it("per-neuron choices: s_out·(s_1 + s_2), so 2s exactly when the outer relu'(0) is 1", () => {
    const r = backward(net, [ZERO], { kind: 'per-neuron', s: [[q('1/3'), q('1/4')], [q('1/2')]] });
    expect(r.gradient[0]!.eq(q('1/2').mul(q('1/3').add(q('1/4'))))).toBe(true);
    const s = q('3/7');
    expect(backward(net, [ZERO], { kind: 'per-neuron', s: [[s, s], [ONE]] }).gradient[0]!.eq(s.add(s))).toBe(true);
  });
  it('seeded random choices are reproducible: s_out·(s_1 + s_2) with each s ∈ {0, 1}', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 16; seed++) {
      const a = backward(net, [ZERO], { kind: 'random', seed });
      const b = backward(net, [ZERO], { kind: 'random', seed });
      expect(a.gradient[0]!.eq(b.gradient[0]!)).toBe(true);
      expect(a.choices).toEqual(b.choices);
      seen.add(a.gradient[0]!.toString());
    }
    for (const g of seen) expect(['0', '1', '2']).toContain(g);
    expect(seen.size).toBeGreaterThan(1);
  });
  it('the lexicographic subgradient is 1 (Clarke-correct), and the directional derivatives are relu(v)', () => {
    expect(lexicographicSubgradient(net, [ZERO]).subgradient[0]!.eq(ONE)).toBe(true);
    expect(lexicographicSubgradient(net, [ZERO], [[q('-1')]]).subgradient[0]!.isZero()).toBe(true);
    expect(directionalDerivatives(net, [ZERO], [[ONE], [q('-1')], [q('5/2')]]).derivatives.map(String)).toEqual(['1', '0', '5/2']);
  });
});
