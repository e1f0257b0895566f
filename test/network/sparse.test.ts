/**
 * Sparse network storage (src/network/network.ts, NetLayer): the CSR layers agree with the dense
 * matrices they came from, every engine gives the same answers as a dense reference written here,
 * and a reduced formula whose dense matrices exceed the dense limit is built, evaluated,
 * differentiated, decided, localized, written and read back without ever densifying.
 */
import { describe, it, expect } from 'vitest';
import { Rational, ZERO, ONE } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { UserError } from '../../src/errors';
import { Network, NetLayer, LIMITS, layerOf } from '../../src/network/network';
import { evaluateExact } from '../../src/network/evaluate';
import { evaluateFloatChecked, forwardCsrFloat, compileFloat, FloatEngine } from '../../src/network/float';
import { backward, backwardWithDiagonals } from '../../src/ad/backward';
import { networkToJson, parseNetwork, serializeNetwork, writesSparse } from '../../src/network/format';
import { reachability } from '../../src/conservative/reachability';
import { decideConservative } from '../../src/conservative';
import { localize } from '../../src/clarke/localize';
import { makeCnf } from '../../src/cnf/cnf';
import { randomKSat } from '../../src/cnf/generators/random-ksat';
import { reduceCnf, encodeAssignment } from '../../reductions/sat-to-relu';

const R = (n: number, d = 1) => Rational.of(n, d);

/** A random dense matrix with rational entries and a given zero rate. */
function randomMatrix(rng: Rng, rows: number, cols: number, zeroRate: number): Rational[][] {
  return Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => (rng.float() < zeroRate ? ZERO : rng.bool() ? R(rng.int(-3, 3)) : R(rng.int(-5, 5), rng.int(1, 4)))),
  );
}

function randomDenseNet(rng: Rng): { p: number; mats: Rational[][][]; biases: Rational[][] } {
  const p = rng.int(1, 5);
  const H = rng.int(1, 4);
  const mats: Rational[][][] = [];
  const biases: Rational[][] = [];
  let cols = p;
  for (let l = 0; l <= H; l++) {
    const rows = l === H ? 1 : rng.int(1, 6);
    mats.push(randomMatrix(rng, rows, cols, 0.5));
    biases.push(Array.from({ length: rows }, () => (rng.float() < 0.3 ? R(rng.int(-2, 2), rng.int(1, 3)) : ZERO)));
    cols = rows;
  }
  return { p, mats, biases };
}

/** Dense reference evaluation, written independently of the engines. */
function denseEval(mats: Rational[][][], biases: Rational[][], x: Rational[]): { value: Rational; pre: Rational[][] } {
  let v = x;
  const pre: Rational[][] = [];
  for (let l = 0; l < mats.length; l++) {
    const z = mats[l]!.map((row, i) => row.reduce((s, w, j) => s.add(w.mul(v[j]!)), biases[l]![i]!));
    if (l === mats.length - 1) return { value: z[0]!, pre };
    pre.push(z);
    v = z.map((t) => (t.sign() > 0 ? t : ZERO));
  }
  throw new Error('unreachable');
}

/** Dense reference backprop with given diagonals. */
function denseBackward(mats: Rational[][][], diag: Rational[][]): Rational[] {
  let adj: Rational[] = [ONE];
  for (let l = mats.length - 1; l >= 0; l--) {
    if (l < mats.length - 1) adj = adj.map((a, i) => a.mul(diag[l]![i]!));
    const W = mats[l]!;
    adj = W[0]!.map((_, j) => W.reduce((s, row, i) => s.add(row[j]!.mul(adj[i]!)), ZERO));
  }
  return adj;
}

describe('NetLayer (CSR)', () => {
  it('fromDense, fromRows and fromCsr agree with the dense matrix: weight, denseRow, weights, nonzeros', () => {
    const rng = new Rng(1001);
    for (let t = 0; t < 200; t++) {
      const rows = rng.int(1, 7);
      const cols = rng.int(1, 7);
      const M = randomMatrix(rng, rows, cols, 0.6);
      const a = NetLayer.fromDense(M, undefined, cols);
      // rows in a shuffled order, with explicit zeros mixed in
      const rc: number[][] = [];
      const rv: Rational[][] = [];
      for (let i = 0; i < rows; i++) {
        const js = rng.shuffle(Array.from({ length: cols }, (_, j) => j));
        rc.push(js);
        rv.push(js.map((j) => M[i]![j]!));
      }
      const b = NetLayer.fromRows(cols, rc, rv, undefined);
      const start = new Int32Array(rows + 1);
      const col: number[] = [];
      const w: Rational[] = [];
      for (let i = 0; i < rows; i++) {
        start[i] = col.length;
        for (let j = 0; j < cols; j++) {
          col.push(j);
          w.push(M[i]![j]!); // zeros included: fromCsr drops them
        }
      }
      start[rows] = col.length;
      const c = NetLayer.fromCsr(rows, cols, start, Int32Array.from(col), w, undefined);
      const nnz = M.flat().filter((v) => !v.isZero()).length;
      for (const L of [a, b, c]) {
        expect(L.rows).toBe(rows);
        expect(L.cols).toBe(cols);
        expect(L.nonzeros).toBe(nnz);
        expect(L.biasFree).toBe(true);
        for (let i = 0; i < rows; i++) {
          expect(L.denseRow(i).map(String)).toEqual(M[i]!.map(String));
          for (let j = 0; j < cols; j++) expect(L.weight(i, j).eq(M[i]![j]!)).toBe(true);
          for (let k = L.start[i]! + 1; k < L.start[i + 1]!; k++) expect(L.col[k]!).toBeGreaterThan(L.col[k - 1]!);
        }
        expect(L.weights.map((r) => r.map(String))).toEqual(M.map((r) => r.map(String)));
        for (let k = 0; k < L.nonzeros; k++) expect(L.unit[k]).toBe(L.w[k]!.eq(ONE) ? 1 : L.w[k]!.eq(R(-1)) ? -1 : 0);
      }
    }
  });

  it('refuses repeated entries, out-of-range columns and a bias of the wrong length, naming the layer', () => {
    expect(() => NetLayer.fromRows(3, [[0, 2, 0]], [[ONE, ONE, ZERO]], undefined, 'layers[1]')).toThrow(/^layers\[1\]: entry \(0, 0\) is repeated/);
    expect(() => NetLayer.fromRows(3, [[3]], [[ONE]], undefined, 'layers[0]')).toThrow(/column 3 is out of range 0\.\.2/);
    expect(() => NetLayer.fromDense([[ONE, ONE]], [ZERO, ZERO], 2, 'layers[0]')).toThrow(/^layers\[0\]\.bias: expected 1 entries/);
    expect(() => NetLayer.fromCsr(1, 2, Int32Array.from([0, 2]), Int32Array.from([1, 1]), [ONE, ONE], undefined, 'layers[2]')).toThrow(UserError);
  });

  it('Network accepts dense layers and NetLayers alike and checks the shapes of both', () => {
    const l0 = NetLayer.fromDense([[ONE, R(-1)], [ZERO, ONE]], undefined, 2);
    const net = new Network(2, [l0, layerOf([[1, 1]])]);
    expect(net.layers[0]).toBe(l0);
    expect(net.nonzeros).toBe(5);
    expect(net.weightCount).toBe(6);
    expect(() => new Network(3, [l0, layerOf([[1, 1]])])).toThrow(/^layers\[0\]: expected 3 columns \(inputDim\), got 2/);
    expect(() => new Network(2, [l0, layerOf([[1, 1], [1, 0]])])).toThrow(/the output layer must have exactly 1 row, got 2/);
    expect(() => new Network(2, [l0, layerOf([[1]])])).toThrow(/^layers\[1\]\.weights\[0\]: expected 2 entries/);
  });

  it('evaluation and backprop on CSR equal a dense reference (300 seeded random rational networks)', () => {
    const rng = new Rng(1002);
    for (let t = 0; t < 300; t++) {
      const { p, mats, biases } = randomDenseNet(rng);
      const net = new Network(p, mats.map((W, l) => ({ weights: W, bias: biases[l]! })));
      const x = Array.from({ length: p }, () => (rng.float() < 0.3 ? ZERO : R(rng.int(-4, 4), rng.int(1, 3))));
      const ref = denseEval(mats, biases, x);
      const ev = evaluateExact(net, x);
      expect(ev.value.eq(ref.value)).toBe(true);
      expect(ev.pre.map((r) => r.map(String))).toEqual(ref.pre.map((r) => r.map(String)));
      const diag = ref.pre.map((z) => z.map((v) => (v.sign() > 0 ? ONE : v.sign() < 0 ? ZERO : R(rng.int(0, 2), 2))));
      expect(backwardWithDiagonals(net, diag).map(String)).toEqual(denseBackward(mats, diag).map(String));
    }
  });

  it('reachability on CSR: a neuron is live iff a path of nonzero weights leads to the output (dense reference)', () => {
    const rng = new Rng(1003);
    for (let t = 0; t < 200; t++) {
      const { p, mats } = randomDenseNet(rng);
      if (mats.length < 2) continue;
      const net = new Network(p, mats.map((W) => ({ weights: W, bias: W.map(() => ZERO) })));
      const r = reachability(net);
      const H = mats.length - 1;
      // dense reference, output to input
      const live: boolean[][] = [];
      live[H - 1] = mats[H]![0]!.map((w) => !w.isZero());
      for (let h = H - 2; h >= 0; h--) live[h] = mats[h + 1]![0]!.map((_, j) => mats[h + 1]!.some((row, k) => live[h + 1]![k]! && !row[j]!.isZero()));
      for (let h = 0; h < H; h++) expect(Array.from(r.live[h]!, (v) => v === 1)).toEqual(live[h]);
      const starts = live[0]!.flatMap((lv, j) => (lv && mats[0]![j]!.some((w) => !w.isZero()) ? [j] : []));
      expect(r.starts).toEqual(starts);
    }
  });
});

describe('a reduction beyond the dense limit never densifies', () => {
  // 3-clauses: hidden layer 2 is 3m × 5m = 8100 × 13500 > 10^8 dense entries for m = 2700.
  const m = 2700;
  const cnf = makeCnf(100, Array.from({ length: m }, (_, j) => [(j % 98) + 1, -((j % 98) + 2), (j % 98) + 3]));
  const net = reduceCnf(cnf);
  const big = net.layers.findIndex((l) => l.rows * l.cols > LIMITS.maxDenseWeights);

  it('has a layer whose dense view is refused with a UserError', () => {
    expect(big).toBeGreaterThanOrEqual(0);
    expect(() => net.layers[big]!.weights).toThrow(UserError);
    expect(() => net.layers[big]!.weights).toThrow(/too large for an operation that reads dense weights/);
  });

  it('evaluates, backpropagates, decides the conservative question and localizes at 0', () => {
    // x_i = 1 for all i satisfies every clause (each has two positive literals).
    const x = encodeAssignment(cnf, Array.from({ length: 100 }, (_, i) => i + 1));
    expect(evaluateExact(net, x).value.eq(ONE)).toBe(true);
    expect(backward(net, x).gradient).toHaveLength(100);
    const a = decideConservative(net);
    expect(a.method).toBe('reachability');
    expect(a.answer).toBe('two');
    expect(Number(a.stats.weightsScanned)).toBeLessThanOrEqual(net.nonzeros);
    const loc = localize(net, new Array<Rational>(100).fill(ZERO));
    expect(loc.dag.neurons.length).toBe(net.neurons);
  });

  it('float64 evaluation under the exactness rule runs on the CSR layers and matches the exact pattern', () => {
    const rng = new Rng(1005);
    const x = Array.from({ length: 100 }, () => Rational.int(rng.int(-3, 3)));
    const fl = evaluateFloatChecked(net, x);
    const ex = evaluateExact(net, x);
    expect(fl.exact).toBe(true);
    expect(fl.exactValue!.eq(ex.value)).toBe(true);
    expect(fl.pattern!.map((p) => Array.from(p))).toEqual(ex.pre.map((z) => z.map((v) => v.sign())));
  });

  it('is written sparse by default and read back exactly; the dense form is refused', () => {
    expect(net.layers.every((l) => writesSparse(l) || l.rows * l.cols <= 4096)).toBe(true);
    const text = serializeNetwork(net);
    expect(text.length).toBeLessThan(3_000_000);
    const back = parseNetwork(text, 'big.json');
    expect(back.nonzeros).toBe(net.nonzeros);
    expect(back.widths).toEqual(net.widths);
    for (let l = 0; l < net.layers.length; l++) {
      expect(Array.from(back.layers[l]!.start)).toEqual(Array.from(net.layers[l]!.start));
      expect(Array.from(back.layers[l]!.col)).toEqual(Array.from(net.layers[l]!.col));
      expect(back.layers[l]!.w.every((w, k) => w.eq(net.layers[l]!.w[k]!))).toBe(true);
    }
    expect(() => serializeNetwork(net, { sparse: false })).toThrow(new RegExp(`^layers\\[${big}\\]: a \\d+×\\d+ layer is too large for the dense form`));
  });
});

describe('float64 passes', () => {
  it('the CSR pass and the dense float kernel agree exactly on integer networks at integer points', () => {
    const rng = new Rng(1006);
    for (let t = 0; t < 200; t++) {
      const { p, mats } = randomDenseNet(rng);
      const ints = mats.map((W) => W.map((row) => row.map((w) => R(Math.round(w.toNumber())))));
      const net = new Network(p, ints.map((W) => ({ weights: W, bias: W.map(() => R(rng.int(-2, 2))) })));
      const x = Array.from({ length: p }, () => rng.int(-5, 5));
      const a = forwardCsrFloat(net, x);
      const eng = new FloatEngine(compileFloat(net, 'f64'), 1);
      expect(a.value).toBe(eng.forward(x)[0]!);
      expect(a.pattern.map((q) => Array.from(q))).toEqual(eng.patterns().map((q) => Array.from(q)));
      const ex = evaluateExact(net, x.map((v) => R(v)));
      expect(ex.value.eq(R(a.value))).toBe(true);
    }
  });
});

describe('layout of written files', () => {
  it("'auto' writes large sparse layers sparse and small or dense ones dense, in one file", () => {
    const rng = new Rng(1004);
    const cnf = randomKSat({ n: 60, m: 256, k: 3 }, rng);
    const net = reduceCnf(cnf);
    const j = networkToJson(net) as { layers: Record<string, unknown>[] };
    net.layers.forEach((l, k) => {
      const sparse = l.rows * l.cols > 4096 && 8 * l.nonzeros <= l.rows * l.cols;
      expect('entries' in j.layers[k]!).toBe(sparse);
      expect('weights' in j.layers[k]!).toBe(!sparse);
    });
    expect(j.layers.some((l) => 'entries' in l) && j.layers.some((l) => 'weights' in l)).toBe(true);
    const back = parseNetwork(serializeNetwork(net), 'mixed.json');
    expect(networkToJson(back, { sparse: true })).toEqual(networkToJson(net, { sparse: true }));
  });
});
