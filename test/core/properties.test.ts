/**
 * Property tests (fast-check, fixed seeds) of the exact AD engine against first principles:
 * difference quotients, adjacent linear pieces, and the float64 exactness rule.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Rational, ZERO, ONE, dot, vecEq } from '../../src/exact/rational';
import { Network, networkOf, layerOf } from '../../src/network/network';
import { networkForwardOps, networkBackpropOps, networkReverseOps } from '../../src/ad/ops';
import { evaluateExact } from '../../src/network/evaluate';
import { backward } from '../../src/ad/backward';
import { constantPolicy, PYTORCH } from '../../src/ad/relu-prime';
import { directionalDerivative, directionalDerivatives } from '../../src/ad/forward';
import { lexicographicSubgradient } from '../../src/ad/lexicographic';
import { floatExactness } from '../../src/network/float-bound';
import { compileFloat, FloatEngine, evaluateFloatChecked, activationPattern, type KernelOptions } from '../../src/network/float';
import { arbNetPoint, arbNetSpec, arbVector, arbRational, arbRationalOrZero, toNetwork } from './arbitraries';

const RUNS = { numRuns: 150, seed: 20230501 };

function hasZeroPreactivation(net: Network, x: readonly Rational[]): boolean {
  return evaluateExact(net, x).pre.some((z) => z.some((v) => v.isZero()));
}
function axpy(x: readonly Rational[], t: Rational, v: readonly Rational[]): Rational[] {
  return x.map((xi, i) => xi.add(t.mul(v[i]!)));
}
function lcmDen(xs: readonly Rational[]): bigint {
  const g = (a: bigint, b: bigint): bigint => (b === 0n ? a : g(b, a % b));
  return xs.reduce((D, v) => (D / g(D, v.d)) * v.d, 1n);
}
/**
 * A step t > 0 below the first breakpoint of s ↦ F(x + s v) (integer weights and biases): every
 * pre-activation along the ray is z0 + s z1 piecewise, a nonzero z0 has |z0| ≥ 1/D (D = lcm of the
 * denominators of x) and |z1| ≤ Π_l max-row-‖W_l‖₁ · max|v|, so no sign changes for s < 1/(D·Π·max|v|).
 * Hence (F(x + t v) − F(x)) / t = F'(x; v) exactly.
 */
function safeStep(net: Network, x: readonly Rational[], v: readonly Rational[]): Rational {
  let P = 1n;
  for (const l of net.layers) {
    let m = 1n;
    for (const row of l.weights) {
      const s = row.reduce((a, w) => a + (w.n < 0n ? -w.n : w.n), 0n);
      if (s > m) m = s;
    }
    P *= m;
  }
  const vmax = v.reduce((a, u) => a.max(u.abs()), ONE);
  return Rational.of(1n, 2n * lcmDen(x) * P).div(vmax);
}
function quotient(net: Network, x: Rational[], v: Rational[]): Rational {
  const t = safeStep(net, x, v);
  return evaluateExact(net, axpy(x, t, v)).value.sub(evaluateExact(net, x).value).div(t);
}
function unit(p: number, i: number): Rational[] {
  return Array.from({ length: p }, (_, j) => (j === i ? ONE : ZERO));
}

describe('backprop (exact) vs difference quotients', () => {
  it('equals the exact difference quotients at points with no zero pre-activation (any policy)', () => {
    fc.assert(
      fc.property(arbNetPoint({ bias: true }, 0, arbRational), ({ spec, x }) => {
        const net = toNetwork(spec);
        fc.pre(!hasZeroPreactivation(net, x));
        const g0 = backward(net, x, PYTORCH).gradient;
        const g1 = backward(net, x, constantPolicy(ONE)).gradient;
        expect(vecEq(g0, g1)).toBe(true);
        for (let i = 0; i < net.inputDim; i++) expect(g0[i]!.eq(quotient(net, x, unit(net.inputDim, i)))).toBe(true);
      }),
      RUNS,
    );
  });
  it('the op count of backprop is at most 3 × cost(F) in the model of src/ad/ops.ts (the paper’s ω_b ≤ 5)', () => {
    // reverse ≤ 2 per nonzero weight + 2 per hidden neuron, forward ≥ 1 per nonzero weight + 1 per
    // hidden neuron, so (forward + reverse) / forward ≤ 3 for every network with a nonempty program.
    fc.assert(
      fc.property(arbNetPoint({ bias: true }, 0), ({ spec, x }) => {
        const net = toNetwork(spec);
        const b = backward(net, x);
        const f = networkForwardOps(net);
        expect(b.ops).toEqual(networkBackpropOps(net));
        expect(b.ops.total).toBe(f.total + networkReverseOps(net).total);
        fc.pre(f.total > 0);
        expect(b.ops.total).toBeLessThanOrEqual(3 * f.total);
      }),
      RUNS,
    );
  });
});

describe('forward mode: one-sided directional derivatives', () => {
  it("F'(x; v) equals the exact one-sided difference quotient, also at zero pre-activations", () => {
    fc.assert(
      fc.property(arbNetPoint({ bias: true }, 1), ({ spec, x, V }) => {
        const net = toNetwork(spec);
        const r = directionalDerivative(net, x, V[0]!);
        expect(r.value.eq(evaluateExact(net, x).value)).toBe(true);
        expect(r.derivative.eq(quotient(net, x, V[0]!))).toBe(true);
      }),
      RUNS,
    );
  });
  it('vector mode equals one direction at a time', () => {
    fc.assert(
      fc.property(arbNetPoint({}, 3), ({ spec, x, V }) => {
        const net = toNetwork(spec);
        const all = directionalDerivatives(net, x, V).derivatives;
        V.forEach((v, j) => expect(all[j]!.eq(directionalDerivative(net, x, v).derivative)).toBe(true));
      }),
      RUNS,
    );
  });
  it('is linear in v (= gradient · v) where no pre-activation is zero', () => {
    fc.assert(
      fc.property(arbNetPoint({ bias: true }, 2, arbRational), ({ spec, x, V }) => {
        const net = toNetwork(spec);
        fc.pre(!hasZeroPreactivation(net, x));
        const g = backward(net, x).gradient;
        const d = directionalDerivatives(net, x, V).derivatives;
        V.forEach((v, j) => expect(d[j]!.eq(dot(g, v))).toBe(true));
      }),
      RUNS,
    );
  });
  it('at 0, F(x) = |x1 − x2| gives F\'(0; v) = |v1 − v2| (not linear in v)', () => {
    const net = networkOf(2, [[[1, -1], [-1, 1]], [[1, 1]]]);
    const V = [[ONE, ZERO], [ZERO, ONE], [ONE, ONE]];
    expect(directionalDerivatives(net, [ZERO, ZERO], V).derivatives.map(String)).toEqual(['1', '1', '0']);
  });
});

describe('lexicographic subgradient (docs/theory.md §7)', () => {
  /**
   * The piece adjacent to x along the directions: y = x + ε m_1 + ε² m_2 + … + ε^p m_p lies, for ε
   * small, in the interior of the linear piece the lexicographic rule selects. We take ε = 2^-24
   * (weights ≤ 2, widths ≤ 4, depth ≤ 4: far below every breakpoint), require y generic (no zero
   * pre-activation), and compare with the true gradient there.
   */
  function adjacent(x: Rational[], M: Rational[][]): Rational[] {
    const eps = Rational.of(1n, 2n ** 24n);
    let y = x;
    let e = ONE;
    for (const m of M) {
      e = e.mul(eps);
      y = axpy(y, e, m);
    }
    return y;
  }
  it('with M = I, equals the gradient of the adjacent full-dimensional piece', () => {
    let tested = 0;
    fc.assert(
      fc.property(arbNetPoint({ bias: true }, 0), ({ spec, x }) => {
        const net = toNetwork(spec);
        const M = Array.from({ length: net.inputDim }, (_, i) => unit(net.inputDim, i));
        const y = adjacent(x, M);
        fc.pre(!hasZeroPreactivation(net, y));
        tested++;
        const lex = lexicographicSubgradient(net, x);
        expect(lex.value.eq(evaluateExact(net, x).value)).toBe(true);
        expect(vecEq(lex.subgradient, backward(net, y).gradient)).toBe(true);
      }),
      RUNS,
    );
    expect(tested).toBeGreaterThan(50);
  });
  it('at x = 0 on bias-free nets (every pre-activation zero) it is the gradient of a piece', () => {
    fc.assert(
      fc.property(arbNetSpec({ maxIn: 3 }), (spec) => {
        const net = toNetwork(spec);
        const x = new Array<Rational>(net.inputDim).fill(ZERO);
        const M = Array.from({ length: net.inputDim }, (_, i) => unit(net.inputDim, i));
        const y = adjacent(x, M);
        fc.pre(!hasZeroPreactivation(net, y));
        expect(vecEq(lexicographicSubgradient(net, x).subgradient, backward(net, y).gradient)).toBe(true);
      }),
      RUNS,
    );
  });
  it('with a random nonsingular basis M, equals the gradient of the piece adjacent along M', () => {
    fc.assert(
      fc.property(
        arbNetSpec({ maxIn: 3, bias: true }).chain((spec) =>
          fc.record({
            spec: fc.constant(spec),
            x: arbVector(spec.inputDim, arbRationalOrZero),
            M: fc.array(arbVector(spec.inputDim, arbRational), { minLength: spec.inputDim, maxLength: spec.inputDim }),
          }),
        ),
        ({ spec, x, M }) => {
          const net = toNetwork(spec);
          let lex;
          try {
            lex = lexicographicSubgradient(net, x, M);
          } catch (e) {
            fc.pre(!/singular/.test((e as Error).message));
            throw e;
          }
          const y = adjacent(x, M);
          fc.pre(!hasZeroPreactivation(net, y));
          expect(vecEq(lex.subgradient, backward(net, y).gradient)).toBe(true);
        },
      ),
      RUNS,
    );
  });
  it('costs p + 1 sweeps: ops = cost(F) + p · cost(tangent)', () => {
    const net = networkOf(3, [[[1, -1, 0], [0, 1, 1]], [[1, -1]]]);
    const x = [ZERO, ZERO, ZERO];
    // cost(F): 6 multiplications (nonzero weights) + 3 additions + 2 relu = 11;
    // one tangent sweep: the same 6 + 3, and 2 relu sign decisions = 11.
    expect(networkForwardOps(net)).toEqual({ add: 3, mul: 6, relu: 2, total: 11 });
    expect(directionalDerivative(net, x, [ONE, ZERO, ZERO]).ops.total).toBe(11 + 11);
    expect(lexicographicSubgradient(net, x).ops.total).toBe(11 + 3 * 11);
  });
});

describe('float64 where the exactness rule holds', () => {
  it('float evaluation equals exact evaluation and gives the exact activation pattern', () => {
    let exactCases = 0;
    fc.assert(
      fc.property(
        fc.oneof(arbNetPoint({ bias: true, lo: -3, hi: 3 }, 0, fc.integer({ min: -9, max: 9 }).map((k) => Rational.int(k))), arbNetPoint({ bias: true, lo: -3, hi: 3 }, 0)),
        ({ spec, x }) => {
          const net = toNetwork(spec);
          const chk = evaluateFloatChecked(net, x);
          const ex = evaluateExact(net, x);
          expect(chk.exact).toBe(floatExactness(net, x).exact);
          if (!chk.exact) return;
          exactCases++;
          expect(chk.exactValue!.eq(ex.value)).toBe(true);
          expect(chk.pattern!.map((p) => Array.from(p))).toEqual(ex.pre.map((z) => z.map((v) => v.sign())));
        },
      ),
      RUNS,
    );
    expect(exactCases).toBeGreaterThan(100);
  });
  it('activationPattern (float64 when provably exact, else exact) equals the exact pattern', () => {
    fc.assert(
      fc.property(arbNetPoint({ bias: true, lo: -3, hi: 3 }, 0), fc.boolean(), ({ spec, x }, fractional) => {
        // a fractional weight sends the rule to the exact branch
        const net0 = toNetwork(spec);
        const net = fractional
          ? new Network(net0.inputDim, net0.layers.map((l, k) => (k === 0 ? layerOf(l.weights.map((r) => r.map((w) => w.div(Rational.int(3)))), l.bias) : l)))
          : net0;
        expect(activationPattern(net, x).map((p) => Array.from(p))).toEqual(evaluateExact(net, x).pre.map((z) => z.map((v) => v.sign())));
      }),
      RUNS,
    );
  });
  it('the rule refuses when the magnitude bound exceeds 2^53 (and float64 is then really wrong)', () => {
    // F(x) = 2^53·x1 + x2 (output layer only): exactly 2^53 + 1 at (1, 1), which float64 rounds.
    const big = 2n ** 53n;
    const net = networkOf(2, [[[big, 1n]]]);
    const x = [ONE, ONE];
    const chk = evaluateFloatChecked(net, x);
    expect(chk.exact).toBe(false);
    expect(floatExactness(net, x).reason).toMatch(/exceeds 2\^53/);
    expect(evaluateExact(net, x).value.toString()).toBe((big + 1n).toString());
    expect(Rational.fromNumber(chk.value).eq(evaluateExact(net, x).value)).toBe(false);
    // smaller weights: exact again; non-integral weights: refused
    expect(floatExactness(networkOf(2, [[[2n ** 40n, 1n]]]), x).exact).toBe(true);
    expect(floatExactness(networkOf(2, [[[Rational.of(1, 3), 1]]]), x).exact).toBe(false);
    // a rational point on a bias-free integer net is scaled by the lcm of its denominators
    const half = floatExactness(networkOf(2, [[[1, 1]]]), [Rational.of(1, 2), Rational.of(1, 3)]);
    expect(half.exact).toBe(true);
    expect(half.scale).toBe(6n);
    expect(half.scaled).toEqual([3n, 2n]);
    // rational biases: point and biases scaled jointly (F is positively homogeneous in (x, b))
    const biased = new Network(2, [layerOf([[1, -1], [2, 1]], [Rational.of(1, 4), Rational.of(-1, 2)]), layerOf([[1, -3]], [Rational.of(5, 6)])]);
    const xb = [Rational.of(1, 3), Rational.of(-1, 2)];
    const fe = floatExactness(biased, xb);
    expect(fe.exact).toBe(true);
    expect(fe.scale).toBe(12n);
    expect(fe.scaledBias).toEqual([[3n, -6n], [10n]]);
    const chkB = evaluateFloatChecked(biased, xb);
    expect(chkB.exactValue!.eq(evaluateExact(biased, xb).value)).toBe(true);
    expect(chkB.pattern!.map((p) => Array.from(p))).toEqual(evaluateExact(biased, xb).pre.map((z) => z.map((v) => v.sign())));
  });
  it('the fast float backprop kernel (all option combinations, batched) equals exact backprop', () => {
    const variants: KernelOptions[] = [
      {},
      { rowsPerIter: 1, pairSamples: false, blockRows: 0, compact: false },
      { rowsPerIter: 4, pairSamples: true, blockRows: 3, compact: true },
      { rowsPerIter: 1, pairSamples: true, blockRows: 1, compact: true },
    ];
    fc.assert(
      fc.property(
        arbNetSpec({ maxIn: 6, maxWidth: 9, maxHidden: 3, bias: true }).chain((spec) =>
          fc.record({
            spec: fc.constant(spec),
            X: fc.array(arbVector(spec.inputDim, fc.integer({ min: -2, max: 2 }).map((k) => Rational.int(k))), { minLength: 1, maxLength: 5 }),
            s: fc.constantFrom(0, 1, 0.5),
            precision: fc.constantFrom('f32' as const, 'f64' as const),
          }),
        ),
        ({ spec, X, s, precision }) => {
          const net = toNetwork(spec);
          const fn = compileFloat(net, precision);
          const flat = X.flatMap((x) => x.map((v) => v.toNumber()));
          for (const opt of variants) {
            const eng = new FloatEngine(fn, X.length, { ...opt, reluPrime: s });
            const { values, gradients } = eng.gradient(flat);
            X.forEach((x, b) => {
              const ex = backward(net, x, constantPolicy(Rational.fromNumber(s)));
              expect(Rational.fromNumber(values[b]!).eq(ex.value)).toBe(true);
              const g = Array.from(gradients.subarray(b * net.inputDim, (b + 1) * net.inputDim), (u) => Rational.fromNumber(u));
              expect(vecEq(g, ex.gradient)).toBe(true);
            });
          }
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });
});
