/**
 * Seeded families of small networks for the Clarke set tests (p ≤ 3, so that the region oracle of
 * ./oracle.ts is exhaustive): random integer or rational weights and biases with the point placed
 * exactly on k chosen kinks (biases adjusted layer by layer), bias-free ternary networks at 0 (every
 * neuron tied), and "trap" networks where a tied neuron vanishes identically on some cones
 * (relu(a) − relu(a') with a' a copy of a), the case of docs/theory.md §9.
 */
import { Rational, ZERO } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { Network, type Layer } from '../../src/network/network';
import { evaluateExact } from '../../src/network/evaluate';

export interface Case {
  name: string;
  net: Network;
  at: Rational[];
  tied: number;
}

function draw(rng: Rng, rational: boolean): Rational {
  if (!rational) return Rational.int(rng.int(-3, 3));
  return Rational.of(BigInt(rng.int(-4, 4)), BigInt(rng.int(1, 4)));
}

/** Put x̄ on `k` kinks: zero the pre-activation of k random hidden neurons by moving their biases. */
function placeOnKinks(rng: Rng, p: number, layers: Layer[], at: Rational[], k: number): Layer[] {
  const hidden: Array<[number, number]> = [];
  layers.slice(0, -1).forEach((L, l) => L.weights.forEach((_, i) => hidden.push([l, i])));
  const chosen = new Set<string>();
  while (chosen.size < Math.min(k, hidden.length)) {
    const [l, i] = hidden[rng.int(0, hidden.length - 1)]!;
    chosen.add(`${l}:${i}`);
  }
  const out = layers.map((L) => ({ weights: L.weights, bias: L.bias.slice() }));
  for (let l = 0; l < out.length - 1; l++) {
    const pre = evaluateExact(new Network(p, out), at).pre[l]!;
    out[l]!.bias = out[l]!.bias.map((b, i) => (chosen.has(`${l}:${i}`) ? b.sub(pre[i]!) : b));
  }
  return out;
}

export function kinkCase(seed: number, rational: boolean): Case {
  const rng = new Rng(seed);
  const p = rng.int(1, 3);
  const depth = rng.int(1, 3);
  const widths = Array.from({ length: depth }, () => rng.int(2, p === 3 ? 4 : 5));
  const dims = [p, ...widths, 1];
  const layers: Layer[] = dims.slice(1).map((rows, l) => ({
    weights: Array.from({ length: rows }, () => Array.from({ length: dims[l]! }, () => draw(rng, rational))),
    bias: Array.from({ length: rows }, () => draw(rng, rational)),
  }));
  const at = Array.from({ length: p }, () => Rational.of(BigInt(rng.int(-4, 4)), BigInt(rng.int(1, 3))));
  const k = rng.int(1, 6);
  const net = new Network(p, placeOnKinks(rng, p, layers, at, k));
  const tied = evaluateExact(net, at).pre.flat().filter((z) => z.isZero()).length;
  return { name: `${rational ? 'rational' : 'integer'} ${dims.join('-')} seed ${seed}, ${tied} tied`, net, at, tied };
}

export function biasFreeCase(seed: number): Case {
  const rng = new Rng(seed);
  const p = rng.int(1, 3);
  const depth = rng.int(1, 3);
  const widths = Array.from({ length: depth }, () => rng.int(1, 3));
  const dims = [p, ...widths, 1];
  const layers: Layer[] = dims.slice(1).map((rows, l) => ({
    weights: Array.from({ length: rows }, () => Array.from({ length: dims[l]! }, () => Rational.int(rng.int(-1, 1)))),
    bias: new Array<Rational>(rows).fill(ZERO),
  }));
  const at = new Array<Rational>(p).fill(ZERO);
  const net = new Network(p, layers);
  return { name: `bias-free ternary ${dims.join('-')} at 0, seed ${seed}`, net, at, tied: evaluateExact(net, at).pre.flat().filter((z) => z.isZero()).length };
}

/**
 * A tied neuron that vanishes on some cones: layer 1 has a neuron a and its copy a', both tied at
 * x̄ (bias chosen so); layer 2 has n = relu(a) − relu(a') (+ 0 bias, tied, vanishing wherever a, a'
 * agree — always) and other neurons reading n and the rest; layer 3 as usual.
 */
export function trapCase(seed: number): Case {
  const rng = new Rng(seed);
  const p = rng.int(2, 3);
  const w1 = rng.int(2, 3);
  const row = Array.from({ length: p }, () => Rational.int(rng.int(-2, 2)));
  if (row.every((x) => x.isZero())) row[0] = Rational.int(1);
  const W1 = [row, row.slice(), ...Array.from({ length: w1 }, () => Array.from({ length: p }, () => Rational.int(rng.int(-2, 2))))];
  const at = Array.from({ length: p }, () => Rational.of(BigInt(rng.int(-3, 3)), BigInt(rng.int(1, 2))));
  const a = row.reduce((s, x, i) => s.add(x.mul(at[i]!)), ZERO);
  const b1 = [a.neg(), a.neg(), ...Array.from({ length: w1 }, () => Rational.int(rng.int(-2, 2)))];
  const w2 = rng.int(1, 3);
  const n1 = W1.length;
  const cancel = [Rational.int(1), Rational.int(-1), ...new Array<Rational>(w1).fill(ZERO)];
  const W2 = [cancel, ...Array.from({ length: w2 }, () => Array.from({ length: n1 }, () => Rational.int(rng.int(-2, 2))))];
  const b2 = [ZERO, ...Array.from({ length: w2 }, () => Rational.int(rng.int(-2, 2)))];
  const layers: Layer[] = [{ weights: W1, bias: b1 }, { weights: W2, bias: b2 }];
  // A third hidden layer reading the vanishing neuron, with some of its neurons tied too.
  const w3 = rng.int(1, 3);
  const W3h = Array.from({ length: w3 }, () => [Rational.int(rng.int(1, 2)), ...Array.from({ length: w2 }, () => Rational.int(rng.int(-2, 2)))]);
  const b3h = new Array<Rational>(w3).fill(ZERO);
  layers.push({ weights: W3h, bias: b3h });
  layers.push({ weights: [Array.from({ length: w3 }, () => Rational.int(rng.int(-2, 2)))], bias: [ZERO] });
  // placeOnKinks moves the biases of chosen neurons only by their pre-activation, which is 0 for
  // the tied pair and the vanishing neuron: those stay tied.
  const net = new Network(p, placeOnKinks(rng, p, layers, at, rng.int(0, 2)));
  return { name: `trap p=${p} seed ${seed}`, net, at, tied: evaluateExact(net, at).pre.flat().filter((z) => z.isZero()).length };
}
