import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Tape, evaluateTape, backpropTape, lexicographicTape, directionalTape, directionalsTape, networkToTape } from '../../src/ad/tape';
import { Rational, ZERO, ONE, vecEq } from '../../src/exact/rational';
import { evaluateExact } from '../../src/network/evaluate';
import { backward } from '../../src/ad/backward';
import { directionalDerivatives } from '../../src/ad/forward';
import { lexicographicSubgradient } from '../../src/ad/lexicographic';
import { arbNetPoint, toNetwork } from './arbitraries';
import { PYTORCH, constantPolicy } from '../../src/ad/relu-prime';

const q = (s: string) => Rational.parse(s)!;

/** docs/theory.md §3: relu2(t) = relu(−t) + t, zero = relu2 − relu. */
function zeroTape(): Tape {
  const t = new Tape(1);
  const x = t.input(0);
  const relu2 = t.add(t.relu(t.neg(x)), x);
  t.setOutput(t.sub(relu2, t.relu(x)));
  return t;
}
function relu2Tape(): Tape {
  const t = new Tape(1);
  const x = t.input(0);
  t.setOutput(t.add(t.relu(t.neg(x)), x));
  return t;
}

describe('tape (docs/theory.md §3 artifacts)', () => {
  it('zero is the zero function', () => {
    for (const v of ['-3', '-1/2', '0', '2/7', '5']) expect(evaluateTape(zeroTape(), [q(v)]).value.isZero()).toBe(true);
  });
  it("backprop of zero at 0 with relu'(0)=0 gives 1, the lexicographic subgradient gives 0", () => {
    const b = backpropTape(zeroTape(), [ZERO], PYTORCH);
    expect(b.gradient[0]!.eq(ONE)).toBe(true);
    expect(b.zeros).toEqual([0, 1]);
    const l = lexicographicTape(zeroTape(), [ZERO]);
    expect(l.subgradient[0]!.isZero()).toBe(true);
  });
  it("backprop of zero at 0 with relu'(0)=s gives (1−s) − s", () => {
    const s = q('1/3');
    const b = backpropTape(zeroTape(), [ZERO], constantPolicy(s));
    expect(b.gradient[0]!.eq(ONE.sub(s).sub(s))).toBe(true);
  });
  it("relu2 at 0: backprop with relu'(0)=0 gives 1 (relu'(0) would be 0)", () => {
    expect(backpropTape(relu2Tape(), [ZERO], PYTORCH).gradient[0]!.eq(ONE)).toBe(true);
    expect(directionalTape(relu2Tape(), [ZERO], [ONE]).derivative.eq(ONE)).toBe(true);
    expect(directionalTape(relu2Tape(), [ZERO], [q('-1')]).derivative.isZero()).toBe(true);
  });
  it('directional derivatives of |x| = relu(x) + relu(−x) at 0 are |v| (not linear in v)', () => {
    const t = new Tape(2);
    const a = t.sub(t.input(0), t.input(1));
    t.setOutput(t.add(t.relu(a), t.relu(t.neg(a))));
    const r = directionalsTape(t, [ONE, ONE], [[ONE, ZERO], [q('-2'), ZERO], [ZERO, q('3')]]);
    expect(r.derivatives.map(String)).toEqual(['1', '2', '3']);
  });
  it('products: d(x·y) and ops counts', () => {
    const t = new Tape(2);
    t.setOutput(t.mul(t.input(0), t.mul(t.input(1), t.constant(3))));
    const b = backpropTape(t, [q('2'), q('5')]);
    expect(b.value.toString()).toBe('30');
    expect(b.gradient.map(String)).toEqual(['15', '6']);
    expect(evaluateTape(t, [ONE, ONE]).ops).toEqual({ add: 0, mul: 2, relu: 0, total: 2 });
    expect(b.ops).toEqual({ add: 4, mul: 6, relu: 0, total: 10 });
  });
  it('lexicographic subgradient with a non-identity basis', () => {
    // F(x, y) = relu(x) + relu(y) at 0; directions m1 = (1, −1), m2 = (0, 1):
    // along m1: relu(x) passes (first entry +1), relu(y) row (−1, 1) is zeroed → g = (1, 0).
    const t = new Tape(2);
    t.setOutput(t.add(t.relu(t.input(0)), t.relu(t.input(1))));
    const l = lexicographicTape(t, [ZERO, ZERO], [[ONE, q('-1')], [ZERO, ONE]]);
    expect(l.subgradient.map(String)).toEqual(['1', '0']);
    expect(() => lexicographicTape(t, [ZERO, ZERO], [[ONE, ONE], [ONE, ONE]])).toThrow(/singular/);
  });
});

describe('tape engines agree with the layered-network engines (networkToTape)', () => {
  it('value, backprop (constant, per-neuron, random policies), directional and lexicographic', () => {
    fc.assert(
      fc.property(arbNetPoint({ bias: true, lo: -3, hi: 3 }, 2), fc.integer({ min: 0, max: 1000 }), ({ spec, x, V }, seed) => {
        const net = toNetwork(spec);
        const t = networkToTape(net);
        expect(t.reluCount).toBe(net.neurons);
        expect(evaluateTape(t, x).value.eq(evaluateExact(net, x).value)).toBe(true);
        const s = Rational.of(seed % 7, 6).min(ONE);
        const perNeuron = net.widths.map((w, l) => Array.from({ length: w }, (_, i) => Rational.of((l + i + seed) % 3, 2)));
        const policies = [
          [PYTORCH, PYTORCH],
          [constantPolicy(s), constantPolicy(s)],
          [{ kind: 'per-neuron', s: perNeuron }, { kind: 'per-neuron', s: [perNeuron.flat()] }],
          [{ kind: 'random', seed }, { kind: 'random', seed }],
        ] as const;
        for (const [pn, pt] of policies) {
          const bn = backward(net, x, pn);
          const bt = backpropTape(t, x, pt);
          expect(vecEq(bt.gradient, bn.gradient)).toBe(true);
          expect(bt.zeros.length).toBe(bn.zeros.length);
        }
        const dn = directionalDerivatives(net, x, V).derivatives;
        const dt = directionalsTape(t, x, V).derivatives;
        expect(vecEq(dt, dn)).toBe(true);
        expect(vecEq(lexicographicTape(t, x).subgradient, lexicographicSubgradient(net, x).subgradient)).toBe(true);
      }),
      { numRuns: 150, seed: 4242 },
    );
  });
});
