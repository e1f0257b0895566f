/**
 * Ground truth for the bab tests, built without src/clarke/bab or src/verify: the tangent network
 * of F at x̄ minus g·h, written as a bias-free layered network, so that reductions/zero-test.ts
 * (exact region enumeration) decides whether D = G − g·h vanishes identically.
 */
import { Rational, ZERO, ONE } from '../../src/exact/rational';
import { Network, layerOf } from '../../src/network/network';
import { evaluateExact } from '../../src/network/evaluate';

/**
 * A bias-free network computing D(h) = F'(x̄; h) − g·h. Every hidden neuron of F becomes, by the
 * sign of its pre-activation z at x̄: two neurons relu(e), relu(−e) read as e (z > 0), none (z < 0),
 * or relu(e) (z = 0); the inputs are carried alongside (relu(h_i), relu(−h_i)) for the −g·h term.
 */
export function tangentMinusLinear(net: Network, at: readonly Rational[], g: readonly Rational[]): Network {
  const p = net.inputDim;
  const pre = evaluateExact(net, at).pre;
  // A form: coefficients over the units of the current level (inputs, then neurons of a layer).
  type Form = Map<number, Rational>;
  let forms: Form[] = [];
  // Level 0: F's "previous outputs" are the inputs themselves.
  let prevForms: Form[] = Array.from({ length: p }, (_, i) => new Map([[i, ONE]]));
  let carry: Array<[number, number]> = []; // units carrying h_i as relu(h_i) − relu(−h_i)
  let width = p;
  const layers: Rational[][][] = [];
  for (let l = 0; l < net.layers.length - 1; l++) {
    const W = net.layers[l]!.weights;
    const rows: Rational[][] = [];
    const newUnit = (f: Form): number => {
      const r = new Array<Rational>(width).fill(ZERO);
      for (const [u, c] of f) r[u] = r[u]!.add(c);
      rows.push(r);
      return rows.length - 1;
    };
    forms = [];
    for (let i = 0; i < W.length; i++) {
      const e: Form = new Map();
      W[i]!.forEach((w, j) => {
        if (w.isZero()) return;
        for (const [u, c] of prevForms[j]!) e.set(u, (e.get(u) ?? ZERO).add(w.mul(c)));
      });
      const s = pre[l]![i]!.sign();
      if (s < 0) forms.push(new Map());
      else if (s > 0) {
        const neg: Form = new Map([...e].map(([u, c]) => [u, c.neg()]));
        const a = newUnit(e);
        const b = newUnit(neg);
        forms.push(new Map([[a, ONE], [b, Rational.int(-1)]]));
      } else forms.push(new Map([[newUnit(e), ONE]]));
    }
    const newCarry: Array<[number, number]> = [];
    for (let i = 0; i < p; i++) {
      const f: Form = l === 0 ? new Map([[i, ONE]]) : new Map([[carry[i]![0], ONE], [carry[i]![1], Rational.int(-1)]]);
      const a = newUnit(f);
      const b = newUnit(new Map([...f].map(([u, c]) => [u, c.neg()])));
      newCarry.push([a, b]);
    }
    carry = newCarry;
    layers.push(rows);
    prevForms = forms;
    width = rows.length;
  }
  const out = new Array<Rational>(width).fill(ZERO);
  net.layers[net.layers.length - 1]!.weights[0]!.forEach((w, j) => {
    if (w.isZero()) return;
    for (const [u, c] of prevForms[j]!) out[u] = out[u]!.add(w.mul(c));
  });
  if (net.layers.length === 1) throw new Error('tangentMinusLinear: a network without hidden layers');
  g.forEach((gi, i) => {
    out[carry[i]![0]] = out[carry[i]![0]]!.sub(gi);
    out[carry[i]![1]] = out[carry[i]![1]]!.add(gi);
  });
  layers.push([out]);
  return new Network(p, layers.map((w) => layerOf(w)));
}

/**
 * The doubling network relu(min(x2, x1 − 2^m·x2)) with ternary weights: m layers double a carried
 * copy of x2 (four neurons relu(z), relu(z), relu(−z), relu(−z) read as z + z), x1 and x2 are
 * carried, then min(a, b) = relu(a) − relu(−a) − relu(a − b) and a final relu. Its maximum on the
 * unit box is 1/(2^m + 1), on a wedge of width ~2^−m.
 */
export function doublingNetwork(m: number): Network {
  const layers: number[][][] = [];
  // Units after layer t: [x1+, x1−, x2+, x2−, z+, z+, z−, z−] with z = 2^t·x2.
  layers.push([
    [1, 0],
    [-1, 0],
    [0, 1],
    [0, -1],
    [0, 1],
    [0, 1],
    [0, -1],
    [0, -1],
  ]);
  const carry = (a: number, b: number): number[] => {
    const r = new Array(8).fill(0);
    r[a] = 1;
    r[b] = -1;
    return r;
  };
  const neg = (r: number[]) => r.map((v) => -v);
  for (let t = 1; t <= m; t++) {
    const z2 = [0, 0, 0, 0, 1, 1, -1, -1]; // 2z (the next z)
    layers.push([carry(0, 1), neg(carry(0, 1)), carry(2, 3), neg(carry(2, 3)), z2, z2, neg(z2), neg(z2)]);
  }
  // After the first layer and m doublings, z = 2^m·x2 is read as units 4 − 6 (one copy each).
  // min layer: a = x2 = u2 − u3, b = x1 − z = u0 − u1 − u4 + u6; neurons relu(a), relu(−a), relu(a − b).
  const a = carry(2, 3);
  const bT = [1, -1, 0, 0, -1, 0, 1, 0];
  layers.push([a, neg(a), a.map((v, i) => v - bT[i]!)]);
  layers.push([[1, -1, -1]]); // min(a, b)
  layers.push([[1]]); // relu(min)
  return new Network(
    2,
    layers.map((w) => layerOf(w)),
  );
}
