/**
 * The independent checker of Clarke set and membership certificates (docs/formats.md "Clarke
 * sets", "Membership"; docs/theory.md §9). Like the rest of src/verify it imports nothing from the
 * toolkit: its own fractions and network reader (./q.ts), its own tangent network, its own
 * elimination, its own bounds.
 *
 * Tangent network at x̄ (docs/theory.md §6). Tied neurons: pre-activation exactly 0 at x̄, in
 * (layer, index) order; every other neuron is frozen near x̄. For small h,
 *     F(x̄ + h) = F(x̄) + E_out·h + Σ_k o_k y_k,   y_k = relu(ż_k),   ż_k = E_k·h + Σ_{j<k} c_kj y_j,
 * with E, c, o sums over paths through frozen-active neurons (one backward sweep from each tied
 * neuron and from the output, stopping at tied neurons). A pattern P gives each tied neuron a sign
 * s ∈ {+1, −1, 0}; under P neuron k's tangent pre-activation is the form
 *     a_k(P) = E_k + Σ_{j<k, s_j=+1} c_kj a_j(P)
 * and the piece of P has gradient g = E_out + Σ_k w_k E_k, w_k = m_k ȳ_k,
 * ȳ_k = o_k + Σ_{j>k} c_jk m_j ȳ_j, m_j = 1 iff s_j = +1.
 *
 * Reduced coordinates. J = pivot columns of the echelon form of the rows E_k (computed here), so
 * rank E_J = rank E and E = E_J·T for some T with T_J = I: for any α, αE = 0 ⇔ αE_J = 0. Every
 * form and every g − E_out is such an αE, so zero tests, Farkas identities and equalities of
 * gradients are checked on the |J| coordinates.
 *
 * Tree (preorder, depth = index of the next tied neuron):
 *   ["s"]      a_k(P) ≠ 0 (checked); children: P + (k: +1), then P + (k: −1). The open cone of P is,
 *              up to the hyperplane a_k·h = 0, the union of the children's cones;
 *   ["v"]      a_k(P) = 0 (checked): neuron k is 0 on the cone of P; one child, s_k = 0;
 *   ["e",y]    y ≥ 0, nonzero, over the path's nonzero signs, Σ y_j s_j a_j(P) = 0: the cone is
 *              empty (if h were in it, 0 = Σ y_j s_j a_j·h > 0);
 *   ["p",i,h]  depth m; h is in the cone: the signs of ż along h are those of P (so the cone is
 *              nonempty and open), and gradient i is g of P;
 *   ["b"]      membership "no": an upper bound of d·g over every completion of P (interval
 *              arithmetic on ȳ and w, exact) is < d·v;
 *   ["u"]      not explored (a set with "complete": false).
 * A complete tree without "u" covers every pattern with a nonempty open cone, and those cones are
 * dense near 0, so ∂^c F(x̄) = conv of the gradients of the "p" leaves (docs/theory.md §1, §9).
 */
import { Z, ONE_Q, add, mul, sub, neg, div, sgn, cmp, same, show, Invalid, Shape, fail, malformed, obj, arr, num, vector, readNetwork, type Q, type SLayer } from './q';

export const SET_FORMAT = 'nsad-clarke-set';
export const MEMBERSHIP_FORMAT = 'nsad-clarke-membership';

export interface SetCheck {
  valid: boolean;
  reason?: string;
  /** Bad input rather than a false claim (exit 2 in the CLI). */
  malformed?: 'network' | 'certificate';
  /** The certificate claims (and, when valid, proves) the whole set. */
  complete?: boolean;
  gradients?: number;
  pieces?: number;
  /** Extreme points: 'all' classified and checked, 'some', or 'none' given. */
  hull?: 'all' | 'some' | 'none';
  extremePoints?: number;
  timeMs?: number;
}

export interface MembershipCheck {
  valid: boolean;
  reason?: string;
  malformed?: 'network' | 'certificate';
  answer?: 'yes' | 'no';
  timeMs?: number;
}

const isZ = (v: readonly Q[]): boolean => v.every((x) => x.n === 0n);
const keyOf = (v: readonly Q[]): string => v.map(show).join(',');
const minQ = (a: Q, b: Q): Q => (cmp(a, b) <= 0 ? a : b);
const maxQ = (a: Q, b: Q): Q => (cmp(a, b) >= 0 ? a : b);

/** Tangent network of F at x̄ seen from the tied neurons (header). */
interface Tangent {
  p: number;
  tied: Array<[number, number]>;
  E: Q[][];
  inner: Array<Array<[number, Q]>>;
  outgoing: Array<Array<[number, Q]>>;
  outer: Q[];
  base: Q[];
  /** Pivot columns J and E restricted to them. */
  J: number[];
  EJ: Q[][];
}

function tangent(p: number, layers: readonly SLayer[], at: readonly Q[]): Tangent {
  // Exact forward pass at x̄.
  const pre: Q[][] = [];
  let v: Q[] = at.slice();
  for (let l = 0; l < layers.length - 1; l++) {
    const { rows, bias } = layers[l]!;
    const z = rows.map((row, i) => row.reduce((s, [j, w]) => add(s, mul(w, v[j]!)), bias[i]!));
    pre.push(z);
    v = z.map((x) => (sgn(x) > 0 ? x : Z));
  }
  const tiedIdx: number[][] = pre.map((z) => z.map(() => -1));
  const tied: Array<[number, number]> = [];
  pre.forEach((z, l) => z.forEach((x, i) => {
    if (x.n === 0n) {
      tiedIdx[l]![i] = tied.length;
      tied.push([l, i]);
    }
  }));
  // Backward from row `i` of layer `from`, stopping at tied neurons, dropping inactive ones.
  const sweep = (from: number, i: number): { input: Q[]; hits: Array<[number, Q]> } => {
    const hits: Array<[number, Q]> = [];
    let adj = new Map<number, Q>([[i, ONE_Q]]);
    for (let l = from; l >= 0; l--) {
      const next = new Map<number, Q>();
      for (const [r, a] of adj) for (const [j, w] of layers[l]!.rows[r]!) next.set(j, add(next.get(j) ?? Z, mul(w, a)));
      if (l === 0) {
        const input: Q[] = new Array(p).fill(Z);
        for (const [j, a] of next) input[j] = a;
        return { input, hits };
      }
      const z = pre[l - 1]!;
      adj = new Map();
      for (const [j, a] of next) {
        if (a.n === 0n) continue;
        const t = tiedIdx[l - 1]![j]!;
        if (t >= 0) hits.push([t, a]);
        else if (sgn(z[j]!) > 0) adj.set(j, a);
      }
    }
    throw new Error('unreachable');
  };
  const m = tied.length;
  const E: Q[][] = [];
  const inner: Array<Array<[number, Q]>> = [];
  for (const [l, i] of tied) {
    const s = sweep(l, i);
    E.push(s.input);
    inner.push(s.hits);
  }
  const o = sweep(layers.length - 1, 0);
  const outer: Q[] = new Array(m).fill(Z);
  for (const [k, a] of o.hits) outer[k] = a;
  const outgoing: Array<Array<[number, Q]>> = Array.from({ length: m }, () => []);
  inner.forEach((row, k) => row.forEach(([j, c]) => outgoing[j]!.push([k, c])));
  // Pivot columns of the echelon form of the rows E_k (Gaussian elimination over Q).
  const basis: Array<{ row: Q[]; piv: number }> = [];
  for (const e of E) {
    let row = e.slice();
    for (const b of basis) {
      const f = row[b.piv]!;
      if (f.n === 0n) continue;
      const t = div(f, b.row[b.piv]!);
      row = row.map((x, j) => (b.row[j]!.n === 0n ? x : sub(x, mul(t, b.row[j]!))));
    }
    const piv = row.findIndex((x) => x.n !== 0n);
    if (piv >= 0) basis.push({ row, piv });
  }
  const J = basis.map((b) => b.piv).sort((a, b) => a - b);
  return { p, tied, E, inner, outgoing, outer, base: o.input, J, EJ: E.map((e) => J.map((c) => e[c]!)) };
}

/** a_k(P) in reduced coordinates, from the forms of the neurons before k. */
function formAt(t: Tangent, k: number, signs: readonly number[], forms: readonly Q[][]): Q[] {
  let a = t.EJ[k]!.slice();
  for (const [j, c] of t.inner[k]!) if (signs[j] === 1) a = a.map((x, i) => add(x, mul(c, forms[j]![i]!)));
  return a;
}

/** w_k = m_k ȳ_k for the masks of `signs` (header). */
function weights(t: Tangent, signs: readonly number[]): Q[] {
  const m = t.tied.length;
  const ybar: Q[] = new Array(m).fill(Z);
  const w: Q[] = new Array(m).fill(Z);
  for (let k = m - 1; k >= 0; k--) {
    let s = t.outer[k]!;
    for (const [j, c] of t.outgoing[k]!) if (signs[j] === 1) s = add(s, mul(c, ybar[j]!));
    ybar[k] = s;
    if (signs[k] === 1) w[k] = s;
  }
  return w;
}

const reducedOf = (t: Tangent, w: readonly Q[]): Q[] => t.J.map((_, c) => w.reduce((s, wk, k) => (wk.n === 0n ? s : add(s, mul(wk, t.EJ[k]![c]!))), Z));
const fullOf = (t: Tangent, w: readonly Q[]): Q[] => t.base.map((b, c) => w.reduce((s, wk, k) => (wk.n === 0n ? s : add(s, mul(wk, t.E[k]![c]!))), b));

/** Upper bound of Σ w_k δ_k over all completions of the signs of neurons < depth (free: m ∈ {0, 1}). */
function bound(t: Tangent, signs: readonly number[], depth: number, delta: readonly Q[]): Q {
  const m = t.tied.length;
  const lo: Q[] = new Array(m).fill(Z);
  const hi: Q[] = new Array(m).fill(Z);
  const masked = (j: number): [Q, Q] => (j < depth ? (signs[j] === 1 ? [lo[j]!, hi[j]!] : [Z, Z]) : [minQ(lo[j]!, Z), maxQ(hi[j]!, Z)]);
  let ub = Z;
  for (let j = m - 1; j >= 0; j--) {
    let l = t.outer[j]!;
    let h = l;
    for (const [k, c] of t.outgoing[j]!) {
      const [a, b] = masked(k);
      const x = mul(c, a);
      const y = mul(c, b);
      l = add(l, minQ(x, y));
      h = add(h, maxQ(x, y));
    }
    lo[j] = l;
    hi[j] = h;
    const [a, b] = masked(j);
    ub = add(ub, maxQ(mul(delta[j]!, a), mul(delta[j]!, b)));
  }
  return ub;
}

/** A sparse vector [[i, v], …] (increasing indices in [0, n), nonzero values) as a dense one. */
function sparse(v: unknown, path: string, n: number): Q[] {
  const out: Q[] = new Array(n).fill(Z);
  let prev = -1;
  arr(v, path).forEach((e, k) => {
    const [i, x] = arr(e, `${path}[${k}]`, 2);
    if (typeof i !== 'number' || !Number.isSafeInteger(i) || i < 0 || i >= n) malformed(`${path}[${k}][0]: expected an index in 0..${n - 1}`);
    if ((i as number) <= prev) malformed(`${path}[${k}][0]: indices must increase`);
    prev = i as number;
    out[i as number] = num(x, `${path}[${k}][1]`);
  });
  return out;
}

/** The signs of ż along h (ties allowed only where the form vanishes), or a failure. */
function patternAlong(t: Tangent, h: readonly Q[], what: string): number[] {
  const m = t.tied.length;
  const signs: number[] = new Array(m).fill(0);
  const y: Q[] = new Array(m).fill(Z);
  const forms: Q[][] = [];
  const hIdx = h.map((x, i) => [i, x] as const).filter(([, x]) => x.n !== 0n);
  for (let k = 0; k < m; k++) {
    let z = hIdx.reduce((s, [i, x]) => add(s, mul(t.E[k]![i]!, x)), Z);
    for (const [j, c] of t.inner[k]!) z = add(z, mul(c, y[j]!));
    const s = sgn(z);
    forms.push(formAt(t, k, signs, forms));
    if (s === 0 && !isZ(forms[k]!))
      fail(`${what}: tied neuron ${k} (layer ${t.tied[k]![0]}, neuron ${t.tied[k]![1]}) has zero derivative along the direction and does not vanish identically there: the direction lies on a boundary between pieces`);
    signs[k] = s;
    y[k] = s > 0 ? z : Z;
  }
  return signs;
}

/** Walk a tree (header). mode 'set': p/u leaves; mode 'support': b leaves with d·E_out + UB < threshold. */
function walkTree(
  t: Tangent,
  tree: unknown[],
  mode: { kind: 'set'; complete: boolean; onPiece: (gi: number, signs: number[], at: number) => void } | { kind: 'support'; delta: Q[]; slack: Q },
): { pieces: number } {
  const m = t.tied.length;
  const signs: number[] = new Array(m).fill(0);
  const forms: Q[][] = new Array(m);
  const pending: number[] = []; // depths whose − child is still to come
  let depth = 0;
  let pieces = 0;
  let pos = 0;
  const path = (): string => `tree[${pos}]`;
  for (;;) {
    if (pos >= tree.length) fail(`tree: ends early (${pending.length} subtree(s) missing)`);
    const node = arr(tree[pos], path());
    const kind = node[0];
    let leaf = true;
    if (kind === 's' || kind === 'v') {
      if (node.length !== 1) malformed(`${path()}: expected ["${kind}"]`);
      if (depth >= m) fail(`${path()}: "${kind}" below the last tied neuron`);
      const a = formAt(t, depth, signs, forms);
      forms[depth] = a;
      if (kind === 's') {
        if (isZ(a)) fail(`${path()}: tied neuron ${depth} (layer ${t.tied[depth]![0]}, neuron ${t.tied[depth]![1]}) vanishes identically under this pattern and cannot be split (both signs would be empty): it must be "v"`);
        pending.push(depth);
        signs[depth] = 1;
      } else {
        if (!isZ(a)) fail(`${path()}: tied neuron ${depth} does not vanish identically under this pattern ("v" refused)`);
        signs[depth] = 0;
      }
      depth++;
      leaf = false;
    } else if (kind === 'e') {
      if (node.length !== 2) malformed(`${path()}: expected ["e", multipliers]`);
      const y = sparse(node[1], `${path()}[1]`, m);
      const sum: Q[] = new Array(t.J.length).fill(Z);
      let any = false;
      y.forEach((yk, k) => {
        if (yk.n === 0n) return;
        if (sgn(yk) < 0) fail(`${path()}: multiplier of tied neuron ${k} is negative`);
        if (k >= depth || signs[k] === 0) fail(`${path()}: multiplier of tied neuron ${k}, which has no strict sign on this path`);
        any = true;
        const sa = signs[k] === 1 ? forms[k]! : forms[k]!.map(neg);
        sa.forEach((x, c) => (sum[c] = add(sum[c]!, mul(yk, x))));
      });
      if (!any) fail(`${path()}: no positive multiplier`);
      if (!isZ(sum)) fail(`${path()}: Σ y_k s_k a_k ≠ 0: the multipliers do not show the cone empty`);
    } else if (kind === 'p') {
      if (mode.kind !== 'set') throw new Invalid(`${path()}: piece leaves belong in a set certificate; a membership tree closes leaves with "b"`);
      if (node.length !== 3) malformed(`${path()}: expected ["p", gradient index, direction]`);
      const gi = node[1];
      if (typeof gi !== 'number' || !Number.isSafeInteger(gi) || gi < 0) malformed(`${path()}[1]: expected a gradient index`);
      const h = sparse(node[2], `${path()}[2]`, t.p);
      if (depth !== m) fail(`${path()}: a piece before the last tied neuron is decided (depth ${depth} of ${m})`);
      const along = patternAlong(t, h, path());
      for (let k = 0; k < m; k++)
        if (along[k] !== signs[k]) fail(`${path()}: along the direction, tied neuron ${k} has sign ${along[k]}, the path says ${signs[k]}`);
      mode.onPiece(gi as number, signs.slice(), pos);
      pieces++;
    } else if (kind === 'b') {
      if (mode.kind !== 'support') throw new Invalid(`${path()}: bound leaves belong in a membership "no" certificate`);
      if (node.length !== 1) malformed(`${path()}: expected ["b"]`);
      const ub = bound(t, signs, depth, mode.delta);
      if (cmp(ub, mode.slack) >= 0) fail(`${path()}: the bound of d·g − d·E_out over this subtree is ${show(ub)}, not below d·v − d·E_out = ${show(mode.slack)}`);
    } else if (kind === 'u') {
      if (mode.kind !== 'set' || mode.complete) fail(`${path()}: an unexplored node in a certificate that claims completeness`);
      if (node.length !== 1) malformed(`${path()}: expected ["u"]`);
    } else malformed(`${path()}[0]: unknown node kind ${JSON.stringify(kind)}`);
    pos++;
    if (!leaf) continue;
    if (pending.length === 0) break;
    const d = pending.pop()!;
    // Back to the − child of the split at depth d: the path below d is discarded.
    for (let k = d + 1; k < m; k++) signs[k] = 0;
    signs[d] = -1;
    depth = d + 1;
  }
  if (pos !== tree.length) fail(`tree: ${tree.length - pos} node(s) after the end of the tree`);
  return { pieces };
}

function readAt(c: Record<string, unknown>, p: number): Q[] {
  return vector(c.at, 'certificate.at', p);
}

function readTied(c: Record<string, unknown>, t: Tangent): void {
  const tied = arr(c.tied, 'certificate.tied');
  if (tied.length !== t.tied.length) fail(`certificate.tied: ${tied.length} tied neuron(s) listed, the network has ${t.tied.length} at this point`);
  tied.forEach((e, k) => {
    const [l, i] = arr(e, `certificate.tied[${k}]`, 2);
    if (l !== t.tied[k]![0] || i !== t.tied[k]![1]) fail(`certificate.tied[${k}]: [${String(l)}, ${String(i)}], the network's tied neuron ${k} is [${t.tied[k]![0]}, ${t.tied[k]![1]}]`);
  });
}

function guard<T extends { valid: boolean }>(t0: number, body: (stage: { reading: 'network' | 'certificate' }) => T): T | { valid: false; reason: string; malformed?: 'network' | 'certificate'; timeMs: number } {
  const stage = { reading: 'network' as 'network' | 'certificate' };
  try {
    return body(stage);
  } catch (e) {
    const reason = e instanceof Invalid ? e.message : `malformed input: ${(e as Error).message}`;
    const shape = e instanceof Shape || !(e instanceof Invalid) || stage.reading === 'network';
    return { valid: false, reason, ...(shape ? { malformed: stage.reading } : {}), timeMs: performance.now() - t0 };
  }
}

/** The certificate object, its format and version checked (malformed otherwise). */
function certificateHeader(certificateJson: unknown, format: string): Record<string, unknown> {
  const c = obj(certificateJson, 'certificate');
  if (c.format !== format) malformed(`certificate.format: expected "${format}"`);
  if (c.version !== 1) malformed('certificate.version: expected 1');
  return c;
}

/** Check a Clarke set certificate (nsad-clarke-set v1) against a network, both parsed JSON. Never throws. */
export function verifySet(networkJson: unknown, certificateJson: unknown): SetCheck {
  const t0 = performance.now();
  return guard(t0, (stage) => {
    const { p, layers } = readNetwork(networkJson);
    stage.reading = 'certificate';
    const c = certificateHeader(certificateJson, SET_FORMAT);
    if (typeof c.complete !== 'boolean') malformed('certificate.complete: expected true or false');
    const at = readAt(c, p);
    const grads = arr(c.gradients, 'certificate.gradients').map((g, i) => vector(g, `certificate.gradients[${i}]`, p));
    const tree = arr(c.tree, 'certificate.tree');
    const t = tangent(p, layers, at);
    readTied(c, t);
    const N = grads.length;
    const reduced: Array<Q[] | null> = new Array(N).fill(null);
    const w: Array<Q[] | null> = new Array(N).fill(null);
    const { pieces } = walkTree(t, tree, {
      kind: 'set',
      complete: c.complete as boolean,
      onPiece: (gi, signs, pos) => {
        if (gi >= N) fail(`tree[${pos}]: gradient index ${gi}, only ${N} gradient(s) listed`);
        const wk = weights(t, signs);
        const q = reducedOf(t, wk);
        if (reduced[gi] === null) {
          const g = fullOf(t, wk);
          const bad = g.findIndex((x, i) => !same(x, grads[gi]![i]!));
          if (bad >= 0) fail(`gradients[${gi}][${bad}]: the piece at tree[${pos}] has ${show(g[bad]!)} there, the certificate says ${show(grads[gi]![bad]!)}`);
          reduced[gi] = q;
          w[gi] = wk;
        } else if (keyOf(q) !== keyOf(reduced[gi]!)) fail(`tree[${pos}]: the piece's gradient differs from gradients[${gi}]`);
      },
    });
    const seen = new Map<string, number>();
    reduced.forEach((q, i) => {
      if (q === null) fail(`gradients[${i}]: no piece of the tree has this gradient`);
      const k = keyOf(q!);
      if (seen.has(k)) fail(`gradients[${i}]: equal to gradients[${seen.get(k)}] (list each gradient once)`);
      seen.set(k, i);
    });
    if (c.complete === true && N === 0) fail('certificate: a complete set with no gradient');
    let hull: SetCheck['hull'] = 'none';
    let extremePoints: number | undefined;
    if (c.hull !== undefined) {
      const H = arr(c.hull, 'certificate.hull', N);
      let classified = 0;
      let ext = 0;
      H.forEach((hRaw, j) => {
        const path = `certificate.hull[${j}]`;
        if (hRaw === null) return;
        const h = obj(hRaw, path);
        classified++;
        if (h.exposedBy !== undefined) {
          const d = sparse(h.exposedBy, `${path}.exposedBy`, p);
          const delta = t.E.map((e) => e.reduce((s, x, i) => (d[i]!.n === 0n || x.n === 0n ? s : add(s, mul(x, d[i]!))), Z));
          const val = w.map((wk) => wk!.reduce((s, x, k) => add(s, mul(x, delta[k]!)), Z));
          val.forEach((v, i) => {
            if (i !== j && cmp(v, val[j]!) >= 0) fail(`${path}.exposedBy: d·g_${i} ≥ d·g_${j}: the direction does not expose gradient ${j}`);
          });
          ext++;
        } else if (h.combination !== undefined) {
          const lam = sparse(h.combination, `${path}.combination`, N);
          let total = Z;
          const sum: Q[] = new Array(t.J.length).fill(Z);
          lam.forEach((l, i) => {
            if (l.n === 0n) return;
            if (i === j) fail(`${path}.combination: uses gradient ${j} itself`);
            if (sgn(l) < 0) fail(`${path}.combination: negative weight on gradient ${i}`);
            total = add(total, l);
            reduced[i]!.forEach((x, cc) => (sum[cc] = add(sum[cc]!, mul(l, x))));
          });
          if (!same(total, ONE_Q)) fail(`${path}.combination: weights sum to ${show(total)}, not 1`);
          if (keyOf(sum) !== keyOf(reduced[j]!)) fail(`${path}.combination: Σ λ_i g_i ≠ g_${j}`);
        } else malformed(`${path}: expected {"exposedBy": …}, {"combination": …} or null`);
      });
      hull = classified === N ? 'all' : classified > 0 ? 'some' : 'none';
      if (hull === 'all') extremePoints = ext;
    }
    return { valid: true, complete: c.complete as boolean, gradients: N, pieces, hull, ...(extremePoints !== undefined ? { extremePoints } : {}), timeMs: performance.now() - t0 };
  });
}

/** Check a membership certificate (nsad-clarke-membership v1). Never throws. */
export function verifyMembership(networkJson: unknown, certificateJson: unknown): MembershipCheck {
  const t0 = performance.now();
  return guard(t0, (stage) => {
    const { p, layers } = readNetwork(networkJson);
    stage.reading = 'certificate';
    const c = certificateHeader(certificateJson, MEMBERSHIP_FORMAT);
    const at = readAt(c, p);
    const v = vector(c.vector, 'certificate.vector', p);
    if (c.answer === 'yes') {
      const pieces = arr(c.pieces, 'certificate.pieces');
      const lam = arr(c.weights, 'certificate.weights', pieces.length).map((x, i) => num(x, `certificate.weights[${i}]`));
      const parsed = pieces.map((pc, i) => {
        const o = obj(pc, `certificate.pieces[${i}]`);
        return { h: sparse(o.direction, `certificate.pieces[${i}].direction`, p), g: vector(o.gradient, `certificate.pieces[${i}].gradient`, p) };
      });
      if (pieces.length === 0) fail('certificate.pieces: no piece');
      const t = tangent(p, layers, at);
      let total = Z;
      const sum: Q[] = new Array(p).fill(Z);
      parsed.forEach(({ h, g }, i) => {
        const signs = patternAlong(t, h, `certificate.pieces[${i}].direction`);
        const gg = fullOf(t, weights(t, signs));
        const bad = gg.findIndex((x, c2) => !same(x, g[c2]!));
        if (bad >= 0) fail(`certificate.pieces[${i}].gradient[${bad}]: the piece along the direction has ${show(gg[bad]!)} there, the certificate says ${show(g[bad]!)}`);
        if (sgn(lam[i]!) < 0) fail(`certificate.weights[${i}]: negative`);
        total = add(total, lam[i]!);
        g.forEach((x, c2) => (sum[c2] = add(sum[c2]!, mul(lam[i]!, x))));
      });
      if (!same(total, ONE_Q)) fail(`certificate.weights: sum ${show(total)}, not 1`);
      const bad = sum.findIndex((x, i) => !same(x, v[i]!));
      if (bad >= 0) fail(`certificate: Σ λ_k g_k has ${show(sum[bad]!)} at entry ${bad}, the vector ${show(v[bad]!)}`);
      return { valid: true, answer: 'yes' as const, timeMs: performance.now() - t0 };
    }
    if (c.answer === 'no') {
      const d = vector(c.direction, 'certificate.direction', p);
      const tree = arr(c.tree, 'certificate.tree');
      const t = tangent(p, layers, at);
      readTied(c, t);
      const dot = (a: readonly Q[], b: readonly Q[]): Q => a.reduce((s, x, i) => (x.n === 0n || b[i]!.n === 0n ? s : add(s, mul(x, b[i]!))), Z);
      const delta = t.E.map((e) => dot(e, d));
      const slack = sub(dot(d, v), dot(d, t.base));
      walkTree(t, tree, { kind: 'support', delta, slack });
      return { valid: true, answer: 'no' as const, timeMs: performance.now() - t0 };
    }
    return malformed('certificate.answer: expected "yes" or "no"');
  });
}
