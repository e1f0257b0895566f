/**
 * Presolve: make the ReLU DAG small before any solver sees it, without changing the function.
 * Generic: it looks only at the network, never at a CNF it may have come from.
 *
 * One pass in topological order, each neuron y = relu(e) rewritten with exact rational algebra:
 *
 * 1. Substitute what earlier neurons became (their replacement expressions).
 * 2. A constant e: y = relu(c), a constant.
 * 3. Normalize e = s·σ·ê with s > 0, σ = ±1, ê's leading coefficient +1. Then
 *        relu(e) = s·relu(ê)                 (σ = +1, positive homogeneity of relu)
 *        relu(e) = s·(relu(ê) − ê)           (σ = −1, since relu(−z) = relu(z) − z)
 *    so neurons whose pre-activations are positive multiples of each other share one node
 *    ("merge duplicate neurons"), and opposite ones share one node too ("symmetric pairs with one
 *    shared binary"). A carry pair w·relu(z) − w·relu(−z) thereby becomes w·z exactly and the
 *    shared node loses all its consumers: "collapse carry pairs" falls out of the algebra.
 * 4. Bounds of ê over the box [-B, B]^p: exact interval arithmetic and symbolic (DeepPoly)
 *    back-substitution (src/milp/bounds.ts). Stable neurons are fixed: relu(ê) = ê when ê ≥ 0
 *    on the box, 0 when ê ≤ 0. For a positively homogeneous DAG (every tangent network, docs/theory.md §6)
 *    stability on a box around 0 is stability everywhere, so this is function-preserving globally.
 * 5. Otherwise ê becomes a new relu node.
 * Finally nodes with no path to the output are dropped ("dead neurons").
 *
 * Post: evaluateDag(result.dag, x) = evaluateDag(dag, x) for every x in the box (everywhere when
 * the DAG is homogeneous); result bounds contain every pre-activation over the box. Fixing on an
 * exact interval bound is exact; fixing on a float symbolic bound relies on FLOAT_MARGIN (counted
 * in `stats.floatFixes`).
 */
import { Rational, ZERO } from '../exact/rational';
import { intervalBound, SymbolicBounds } from '../milp/bounds';
import { addScaled, constExpr, varExpr, type LinExpr, type ReluDag } from '../network/dag';

export interface PresolveOptions {
  /** Half-width of the box the bounds hold on (default 1). */
  box?: number;
  /** Merge proportional / opposite neurons (default true). */
  merge?: boolean;
  /** Use symbolic bounds (default true); false leaves interval arithmetic only. */
  symbolic?: boolean;
}

export interface PresolveStats {
  before: number;
  after: number;
  constant: number;
  merged: number;
  mergedOpposite: number;
  stableActive: number;
  stableInactive: number;
  floatFixes: number;
  dead: number;
  timeMs: number;
}

export interface Presolved {
  dag: ReluDag;
  /** Float bounds (sound, widened) of each neuron's pre-activation over the box. */
  lo: number[];
  hi: number[];
  stats: PresolveStats;
}

function substitute(e: LinExpr, rep: readonly LinExpr[]): { terms: Map<number, Rational>; c: Rational } {
  const acc = { terms: new Map<number, Rational>(), c: e.c };
  for (const [id, w] of e.terms) addScaled(acc, rep[id]!, w);
  return acc;
}

function keyOf(e: LinExpr, ids: number[]): string {
  return ids.map((id) => `${id}:${e.terms.get(id)!.toString()}`).join(',') + '|' + e.c.toString();
}

export function presolve(dag: ReluDag, opts: PresolveOptions = {}): Presolved {
  const t0 = performance.now();
  const box = opts.box ?? 1;
  const merge = opts.merge ?? true;
  const symbolicOn = opts.symbolic ?? true;
  const p = dag.inputDim;
  const B = Rational.fromNumber(box);
  const stats: PresolveStats = {
    before: dag.neurons.length,
    after: 0,
    constant: 0,
    merged: 0,
    mergedOpposite: 0,
    stableActive: 0,
    stableInactive: 0,
    floatFixes: 0,
    dead: 0,
    timeMs: 0,
  };
  // rep[old id] = expression over new ids.
  const rep: LinExpr[] = Array.from({ length: p }, (_, i) => varExpr(i));
  const pres: LinExpr[] = [];
  // Exact interval of every new node's *value* (inputs: the box; relu nodes: relu of the pre range).
  const vlo: Rational[] = Array.from({ length: p }, () => B.neg());
  const vhi: Rational[] = Array.from({ length: p }, () => B);
  const sym = new SymbolicBounds(p, box);
  const seen = new Map<string, number>();

  for (const e0 of dag.neurons) {
    const e = substitute(e0, rep);
    if (e.terms.size === 0) {
      stats.constant++;
      rep.push(constExpr(e.c.sign() > 0 ? e.c : ZERO));
      continue;
    }
    const ids = [...e.terms.keys()].sort((a, b) => a - b);
    const lead = e.terms.get(ids[0]!)!;
    const s = lead.abs();
    const sigma = lead.sign();
    const inv = sigma > 0 ? s.inv() : s.inv().neg();
    const hat: LinExpr = { terms: new Map([...e.terms].map(([id, w]) => [id, w.mul(inv)])), c: e.c.mul(inv) };
    // relu(e) in terms of r = relu(ê) (given as an expression) and ê.
    const express = (r: LinExpr): LinExpr => {
      const out = { terms: new Map<number, Rational>(), c: ZERO };
      addScaled(out, r, s);
      if (sigma < 0) addScaled(out, hat, s.neg());
      return out;
    };
    const key = merge ? keyOf(hat, ids) : '';
    const hit = merge ? seen.get(key) : undefined;
    if (hit !== undefined) {
      if (sigma > 0) stats.merged++;
      else stats.mergedOpposite++;
      rep.push(express(varExpr(hit)));
      continue;
    }
    const [L, U] = intervalBound(hat, vlo, vhi);
    let lo = L.toNumber();
    let hi = U.toNumber();
    lo -= 1e-12 * (1 + Math.abs(lo));
    hi += 1e-12 * (1 + Math.abs(hi));
    const exactActive = L.sign() >= 0;
    const exactInactive = U.sign() <= 0;
    let floatActive = false;
    let floatInactive = false;
    if (!exactActive && !exactInactive && symbolicOn) {
      const [sl, sh] = sym.bound(hat);
      lo = Math.max(lo, sl);
      hi = Math.min(hi, sh);
      floatActive = sl > 0;
      floatInactive = sh < 0;
    }
    if (exactActive || floatActive) {
      stats.stableActive++;
      if (!exactActive) stats.floatFixes++;
      rep.push(express(hat));
      continue;
    }
    if (exactInactive || floatInactive) {
      stats.stableInactive++;
      if (!exactInactive) stats.floatFixes++;
      rep.push(express(constExpr()));
      continue;
    }
    const id = p + pres.length;
    pres.push(hat);
    sym.push(hat, lo, hi);
    vlo.push(ZERO);
    vhi.push(U.sign() > 0 ? U : ZERO);
    if (merge) seen.set(key, id);
    rep.push(express(varExpr(id)));
  }
  const output = substitute(dag.output, rep);

  // Dead-neuron removal: keep the nodes the output depends on, renumber them in order.
  const live = new Uint8Array(p + pres.length);
  for (const id of output.terms.keys()) live[id] = 1;
  for (let k = pres.length - 1; k >= 0; k--) if (live[p + k]) for (const id of pres[k]!.terms.keys()) live[id] = 1;
  const newId = new Int32Array(p + pres.length).fill(-1);
  for (let i = 0; i < p; i++) newId[i] = i;
  const neurons: LinExpr[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const renum = (e: LinExpr): LinExpr => ({ terms: new Map([...e.terms].map(([id, w]) => [newId[id]!, w])), c: e.c });
  for (let k = 0; k < pres.length; k++) {
    if (!live[p + k]) {
      stats.dead++;
      continue;
    }
    newId[p + k] = p + neurons.length;
    neurons.push(renum(pres[k]!));
    lo.push(sym.lo[k]!);
    hi.push(sym.hi[k]!);
  }
  stats.after = neurons.length;
  stats.timeMs = performance.now() - t0;
  return { dag: { inputDim: p, neurons, output: renum(output) }, lo, hi, stats };
}

/** Exact gradient of a DAG at x where no pre-activation is zero (null if one is). */
export function dagGradient(dag: ReluDag, pre: readonly Rational[]): Rational[] | null {
  if (pre.some((z) => z.isZero())) return null;
  const p = dag.inputDim;
  const adj: Rational[] = new Array<Rational>(p + dag.neurons.length).fill(ZERO);
  for (const [id, w] of dag.output.terms) adj[id] = adj[id]!.add(w);
  for (let k = dag.neurons.length - 1; k >= 0; k--) {
    const a = adj[p + k]!;
    if (a.isZero() || pre[k]!.sign() < 0) continue;
    for (const [id, w] of dag.neurons[k]!.terms) adj[id] = adj[id]!.add(w.mul(a));
  }
  return adj.slice(0, p);
}
