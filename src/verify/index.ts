/**
 * The independent certificate checker (docs/theory.md §6 "Certificate"). It imports NOTHING from the rest
 * of nsad: its own JSON reading, its own BigInt fractions, its own forward and backward sweeps, so a
 * bug elsewhere cannot make it accept a wrong certificate.
 *
 * A certificate {"format":"nsad-clarke-certificate","version":1,"at":x̄,"directions":[h1,h2],
 * "gradients":[g1,g2]} is valid for a network F iff for k = 1, 2:
 *   - the activation pattern of F at x̄ + t·h_k for small t > 0 is strict: every hidden neuron has
 *     a nonzero pre-activation at x̄, or, where that is 0, a nonzero directional derivative along
 *     h_k (computed through the pattern of the layers before it);
 *   - g_k is the gradient of F on that piece, M_1^T D_1 … D_{L-1} M_L^T with D from the pattern;
 * and g1 ≠ g2. Then F is linear with gradient g_k on an open set whose closure contains x̄, so
 * g1, g2 ∈ ∂^c F(x̄) and ∂^c F(x̄) is not a singleton.
 *
 * Extension (documented in README.md, "Certificate format and the verifier"): a neuron with zero pre-activation AND zero
 * derivative along h_k (a "tie") is accepted iff its pre-activation vanishes identically on the
 * piece — checked exactly by one backward sweep from it. Networks like the SAT reduction have whole
 * open regions where some pre-activation is identically 0 (min(a, b) with a and b attained by the
 * same input), and there no strict point exists; such a neuron outputs 0 on the whole region, so
 * F is still linear there and the argument above holds. With no tie this is the plain rule.
 *
 * Why it is sound (induction over layers, t ∈ (0, ε)): let U be the union of the balls of radius c·t
 * around x̄ + t·h, open and connected, with x̄ in its closure. If the layers below are affine on U
 * with the computed masks, a pre-activation is affine on U, equal to z + t·dz at x̄ + t·h (the
 * forward sweep), with gradient a (the backward sweep). z ≠ 0: its sign is fixed near x̄ (ε small);
 * z = 0, dz ≠ 0: its sign is sign(dz) on U when c < |dz|/|a|; a tie with a = 0 is constant on U and
 * tends to z = 0 at x̄, so it is 0 on U and its output 0 matches mask 0. A tie with a ≠ 0 changes
 * sign inside every such U: rejected. Hence F is affine on U with gradient g_k, g_k ∈ ∂^c F(x̄).
 * (h_k = 0 is not refused: then U is a ball around x̄, every zero pre-activation must vanish on it,
 * and g_k is the gradient of F at x̄, where F is affine — sound, and two such claims are equal.)
 *
 * Cost: two forward sweeps of (value, derivative) and two backward sweeps, each touching every
 * nonzero weight once: linear in the size of the network (in exact arithmetic operations), plus
 * one backward sweep per tie when there are ties.
 */

import { Z, add, mul, sgn, same, show, Invalid, fail, obj, arr, vector, readNetwork, type Q, type SLayer } from './q';

/** Backward sweep from `seed` (adjoints of layer `from`'s outputs… i.e. of the rows of layer `from`). */
function backwardFrom(layers: SLayer[], masks: Uint8Array[], from: number, seed: Q[]): Q[] {
  let adj = seed;
  for (let l = from; l >= 0; l--) {
    const { rows, cols } = layers[l]!;
    if (l < from) adj = adj.map((a, i) => (masks[l]![i] ? a : Z));
    const next: Q[] = new Array(cols).fill(Z);
    for (let i = 0; i < rows.length; i++) {
      const a = adj[i]!;
      if (a.n === 0n) continue;
      for (const [j, w] of rows[i]!) next[j] = add(next[j]!, mul(w, a));
    }
    adj = next;
  }
  return adj;
}

/**
 * Gradient of the piece entered from x̄ along h. A tie (zero pre-activation and zero derivative)
 * is accepted only if that pre-activation vanishes identically on the piece: its gradient there,
 * computed with the ties below switched off, is 0 (then, by induction over layers, F is linear on
 * an open set accumulating at x̄, and the tie's choice does not matter). Throws Invalid otherwise.
 */
function pieceGradient(layers: SLayer[], at: Q[], h: Q[], k: number): Q[] {
  let v = at;
  let dv = h;
  const masks: Uint8Array[] = [];
  const ties: Array<[number, number]> = [];
  for (let l = 0; l < layers.length - 1; l++) {
    const { rows, bias } = layers[l]!;
    const nv: Q[] = new Array(rows.length);
    const ndv: Q[] = new Array(rows.length);
    const mask = new Uint8Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      let z = bias[i]!;
      let dz = Z;
      for (const [j, w] of rows[i]!) {
        z = add(z, mul(w, v[j]!));
        dz = add(dz, mul(w, dv[j]!));
      }
      const s = sgn(z) !== 0 ? sgn(z) : sgn(dz);
      if (s === 0) ties.push([l, i]);
      mask[i] = s > 0 ? 1 : 0;
      nv[i] = sgn(z) > 0 ? z : Z;
      ndv[i] = s > 0 ? dz : Z;
    }
    masks.push(mask);
    v = nv;
    dv = ndv;
  }
  const tieSet = new Set(ties.map(([l, i]) => `${l},${i}`));
  const tieAt = (l: number, i: number): boolean => tieSet.has(`${l},${i}`);
  // More ties than inputs: one forward sweep of the piece's Jacobian rows (sparse) instead of a
  // backward sweep per tie, which is quadratic in depth on a deep chain tied at x̄.
  if (ties.length > h.length) {
    let rows: Array<Map<number, Q>> = h.map((_, j) => new Map([[j, { n: 1n, d: 1n }]]));
    for (let l = 0; l < layers.length - 1; l++) {
      const next: Array<Map<number, Q>> = [];
      layers[l]!.rows.forEach((row, i) => {
        const acc = new Map<number, Q>();
        for (const [j, w] of row)
          for (const [c, v] of rows[j]!) {
            const nv = add(acc.get(c) ?? Z, mul(w, v));
            if (nv.n === 0n) acc.delete(c);
            else acc.set(c, nv);
          }
        if (masks[l]![i] === 0 && tieAt(l, i) && acc.size > 0) {
          const [c, v] = [...acc][0]!;
          fail(`direction ${k + 1}: layer ${l} neuron ${i} has zero pre-activation and zero derivative, and does not vanish identically there (its gradient has entry ${c} = ${show(v)}): pattern not strict`);
        }
        next.push(masks[l]![i] ? acc : new Map());
      });
      rows = next;
    }
    return backwardFrom(layers, masks, layers.length - 1, [{ n: 1n, d: 1n }]);
  }
  for (const [l, i] of ties) {
    const seed: Q[] = layers[l]!.rows.map((_, r) => (r === i ? { n: 1n, d: 1n } : Z));
    const gi = backwardFrom(layers, masks, l, seed);
    const bad = gi.findIndex((x) => x.n !== 0n);
    if (bad >= 0)
      fail(`direction ${k + 1}: layer ${l} neuron ${i} has zero pre-activation and zero derivative, and does not vanish identically there (its gradient has entry ${bad} = ${show(gi[bad]!)}): pattern not strict`);
  }
  return backwardFrom(layers, masks, layers.length - 1, [{ n: 1n, d: 1n }]);
}

export interface VerifyResult {
  valid: boolean;
  reason?: string;
}

/** Check a Clarke certificate against a network, both as parsed JSON values. Never throws. */
export function verifyCertificate(networkJson: unknown, certificateJson: unknown): VerifyResult {
  try {
    const { p, layers } = readNetwork(networkJson);
    const c = obj(certificateJson, 'certificate');
    if (c.format !== 'nsad-clarke-certificate') fail('certificate.format: expected "nsad-clarke-certificate"');
    if (c.version !== 1) fail('certificate.version: expected 1');
    const at = vector(c.at, 'certificate.at', p);
    const dirs = arr(c.directions, 'certificate.directions', 2).map((h, k) => vector(h, `certificate.directions[${k}]`, p));
    const grads = arr(c.gradients, 'certificate.gradients', 2).map((g, k) => vector(g, `certificate.gradients[${k}]`, p));
    for (let k = 0; k < 2; k++) checkPiece(layers, at, dirs[k]!, grads[k]!, k);
    if (grads[0]!.every((x, i) => same(x, grads[1]![i]!))) fail('gradients: g1 = g2, the certificate shows one subgradient only');
    return { valid: true };
  } catch (e) {
    if (e instanceof Invalid) return { valid: false, reason: e.message };
    return { valid: false, reason: `malformed input: ${(e as Error).message}` };
  }
}

function checkPiece(layers: SLayer[], at: Q[], h: Q[], claimed: Q[], k: number): void {
  const g = pieceGradient(layers, at, h, k);
  for (let i = 0; i < g.length; i++)
    if (!same(g[i]!, claimed[i]!))
      fail(`gradients[${k}][${i}]: the piece along direction ${k + 1} has gradient ${show(g[i]!)} there, the certificate says ${show(claimed[i]!)}`);
}

/**
 * One half of a certificate: is `gradient` the gradient of F on an open set entered from `at`
 * along `direction` (same rules as verifyCertificate, including ties)? For tests and tools that
 * check a single subgradient claim. Never throws.
 */
export function verifyPiece(networkJson: unknown, at: unknown, direction: unknown, gradient: unknown): VerifyResult {
  try {
    const { p, layers } = readNetwork(networkJson);
    checkPiece(layers, vector(at, 'at', p), vector(direction, 'direction', p), vector(gradient, 'gradient', p), 0);
    return { valid: true };
  } catch (e) {
    if (e instanceof Invalid) return { valid: false, reason: e.message };
    return { valid: false, reason: `malformed input: ${(e as Error).message}` };
  }
}
