/**
 * Planted-two networks: a random ternary bias-free network (src/network/random.ts) at a point x̄
 * chosen so that `kinks` first-layer pre-activations vanish there and every other pre-activation
 * does not; the Clarke answer at x̄ is `two`, with a certificate found and checked at generation.
 *
 * Construction. Draw the network (inputs p, `depth` hidden layers of `width`), then `kinks` distinct
 * first-layer rows R (kinks < p). x̄ is a random integer point of the null space of R (an exact
 * rational basis by Gaussian elimination, random integer coefficients, scaled to integers): the
 * chosen neurons' pre-activations r·x̄ are 0. Near x̄ every neuron with a nonzero pre-activation
 * keeps its sign, so F(x̄ + h) = F(x̄) + G(h) with the tangent network G of docs/theory.md §6, in
 * which only the zero neurons keep their relu. G is linear iff their kinks cancel downstream;
 * the generator draws directions h until two strict ones (no zero pre-activation along them)
 * enter pieces with different gradients — that pair is the certificate, checked by src/verify.
 * Draws where every other pre-activation is not strictly nonzero at x̄, or where no such pair
 * turns up (a kink whose output is dead downstream), are discarded and drawn again from the same
 * seeded stream: the instance is a function of the seed. Width and depth make the exact
 * localization and the search bigger; the answer stays `two` by construction.
 */
import { clearDenominators, rref } from '../../src/exact/matrix';
import { Rational, ZERO, vecEq } from '../../src/exact/rational';
import { seededRng, type Rng } from '../../src/exact/rng';
import { randomNetwork } from '../../src/network/random';
import { evaluateExact } from '../../src/network/evaluate';
import { tangentPass } from '../../src/clarke/localize';
import { UserError } from '../../src/errors';
import type { ClarkeCertificate } from '../../src/certificate/certificate';
import { Network } from '../../src/network/network';
import type { NetInstance } from './types';

export interface PlantedTwoParams {
  inputs: number;
  width: number;
  depth: number;
  /** First-layer neurons whose pre-activation vanishes at x̄ (1 ≤ kinks < inputs, ≤ width). */
  kinks: number;
}

/** Draws of network and point before giving up (a construction that never succeeds is a bug or a degenerate knob). */
const MAX_DRAWS = 200;
/** Direction pairs tried per draw. */
const DIRECTION_TRIES = 32;

/** A basis of {x : R·x = 0} over the rationals, from the reduced row echelon form (src/exact/matrix.ts). */
export function nullSpace(R: readonly (readonly number[])[], p: number): Rational[][] {
  const { rows, pivots } = rref(R.map((r) => r.map((v) => Rational.int(v))), p);
  const free = Array.from({ length: p }, (_, j) => j).filter((j) => !pivots.includes(j));
  return free.map((f) => {
    const v = new Array<Rational>(p).fill(ZERO);
    v[f] = Rational.int(1);
    pivots.forEach((pc, i) => (v[pc] = rows[i]![f]!.neg()));
    return v;
  });
}

function tryDraw(rng: Rng, prm: PlantedTwoParams): { net: Network; at: Rational[]; rows: number[]; cert: ClarkeCertificate } | null {
  const { inputs: p, width: w, depth: d, kinks: t } = prm;
  const net = randomNetwork(rng, { inputDim: p, widths: new Array<number>(d).fill(w) });
  const first = net.layers[0]!;
  const rows: number[] = [];
  const order = rng.shuffle(Array.from({ length: w }, (_, i) => i));
  for (const i of order) if (rows.length < t && first.rowNnz(i) > 0) rows.push(i);
  if (rows.length < t) return null;
  rows.sort((a, b) => a - b);
  const basis = nullSpace(rows.map((i) => first.denseRow(i).map((v) => Number(v.n))), p);
  if (basis.length === 0) return null;
  let at = new Array<Rational>(p).fill(ZERO);
  for (const b of basis) {
    const c = Rational.int(rng.int(-1000, 1000));
    at = at.map((v, j) => v.add(c.mul(b[j]!)));
  }
  at = clearDenominators(at).map((x) => Rational.int(x));
  if (at.every((v) => v.isZero())) return null;
  const pre = evaluateExact(net, at).pre;
  // Exactly the chosen neurons vanish at x̄.
  for (let l = 0; l < pre.length; l++)
    for (let i = 0; i < pre[l]!.length; i++) if (pre[l]![i]!.isZero() !== (l === 0 && rows.includes(i))) return null;
  // Two strict directions with different piece gradients.
  const strict: Array<{ h: Rational[]; g: Rational[] }> = [];
  for (let k = 0; k < DIRECTION_TRIES; k++) {
    const h = Array.from({ length: p }, () => Rational.int(rng.int(-1000, 1000)));
    for (const dir of [h, h.map((v) => v.neg())]) {
      const tp = tangentPass(net, pre, dir);
      if (tp.ties !== 0 || tp.gradient === null) continue;
      const other = strict.find((s) => !vecEq(s.g, tp.gradient!));
      if (other) return { net, at, rows, cert: { at, directions: [other.h, dir], gradients: [other.g, tp.gradient] } };
      if (strict.length === 0) strict.push({ h: dir, g: tp.gradient });
    }
  }
  return null;
}

export function plantedTwo(params: PlantedTwoParams, seed: number): NetInstance {
  const { inputs: p, width: w, depth: d, kinks: t } = params;
  if (!Number.isSafeInteger(p) || p < 2) throw new UserError(`planted-two: --inputs must be an integer ≥ 2, got ${p}`);
  if (!Number.isSafeInteger(w) || w < 1) throw new UserError(`planted-two: --width must be a positive integer, got ${w}`);
  if (!Number.isSafeInteger(d) || d < 1) throw new UserError(`planted-two: --depth must be a positive integer, got ${d}`);
  if (!Number.isSafeInteger(t) || t < 1 || t >= p || t > w) throw new UserError(`planted-two: --kinks must be in 1..${Math.min(p - 1, w)} (fewer than the inputs, at most the width), got ${t}`);
  const rng = seededRng(seed);
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const r = tryDraw(rng, params);
    if (r === null) continue;
    const net = new Network(p, r.net.layers, { generator: 'nsad generate net-planted-two', inputs: p, width: w, depth: d, kinks: t, seed });
    return {
      name: `planted-two-p${p}-w${w}-d${d}-t${t}-s${seed}`,
      family: 'planted-two',
      params: { inputs: p, width: w, depth: d, kinks: t },
      seed,
      net,
      at: r.at,
      expected: 'two',
      construction: `x̄ lies on the kinks of first-layer neurons ${r.rows.join(', ')} and on no other neuron's (exact); two directions from x̄ enter pieces with different gradients (certificate from the construction, draw ${draw + 1}; reductions/families/planted-two.ts)`,
      certificate: r.cert,
      facts: { plantedNeurons: r.rows.map(String), draws: draw + 1 },
    };
  }
  throw new UserError(`planted-two: no network with a planted second piece in ${MAX_DRAWS} draws for inputs ${p}, width ${w}, depth ${d} (deep narrow random networks are dead at most points: widen them)`);
}
