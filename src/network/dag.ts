/**
 * The internal IR of the Clarke side: a ReLU program as a DAG whose only nonlinear nodes are
 * relus, with every linear computation inlined into exact linear expressions.
 *
 *     node ids 0..p-1        the inputs x_0..x_{p-1}
 *     node id  p+k           relu neuron k:  y_k = relu(pre_k),  pre_k a LinExpr over ids < p+k
 *     output                 a LinExpr over all ids
 *
 * Why a DAG and not layers: once a neuron is known to be linear (active, inactive, or a carry pair
 * `relu(z) − relu(−z) = z`) it disappears into its consumers' expressions, and consumers may then
 * read nodes from any earlier layer. Layers are a property of the input format, not of the function.
 *
 * All coefficients are exact rationals: presolve substitutions are exact (docs/theory.md §6, zero tests
 * need exact arithmetic). Zero coefficients are never stored.
 */
import { Rational, ZERO } from '../exact/rational';

export interface LinExpr {
  /** node id → nonzero coefficient. */
  readonly terms: Map<number, Rational>;
  readonly c: Rational;
}

export interface ReluDag {
  readonly inputDim: number;
  /** `neurons[k]` is the pre-activation of node `inputDim + k`. */
  readonly neurons: LinExpr[];
  readonly output: LinExpr;
}

export function constExpr(c: Rational = ZERO): LinExpr {
  return { terms: new Map(), c };
}

export function varExpr(id: number, coef: Rational = Rational.int(1)): LinExpr {
  const terms = new Map<number, Rational>();
  if (!coef.isZero()) terms.set(id, coef);
  return { terms, c: ZERO };
}

/** acc += s·e, in place on `acc` (which must be owned by the caller). */
export function addScaled(acc: { terms: Map<number, Rational>; c: Rational }, e: LinExpr, s: Rational): void {
  if (s.isZero()) return;
  const one = s.n === 1n && s.d === 1n;
  for (const [id, w] of e.terms) {
    const add = one ? w : w.mul(s);
    const cur = acc.terms.get(id);
    const nv = cur === undefined ? add : cur.add(add);
    if (nv.isZero()) acc.terms.delete(id);
    else acc.terms.set(id, nv);
  }
  if (!e.c.isZero()) acc.c = acc.c.add(one ? e.c : e.c.mul(s));
}

export function isConstant(e: LinExpr): boolean {
  return e.terms.size === 0;
}

export function evalExpr(e: LinExpr, values: readonly Rational[]): Rational {
  let s = e.c;
  for (const [id, w] of e.terms) {
    const v = values[id]!;
    if (!v.isZero()) s = s.add(w.mul(v));
  }
  return s;
}

/** Exact value of the DAG and of every node at x (node values: inputs then relu outputs). */
export function evaluateDag(dag: ReluDag, x: readonly Rational[]): { value: Rational; nodes: Rational[]; pre: Rational[] } {
  const nodes: Rational[] = x.slice();
  const pre: Rational[] = [];
  for (const e of dag.neurons) {
    const z = evalExpr(e, nodes);
    pre.push(z);
    nodes.push(z.sign() > 0 ? z : ZERO);
  }
  return { value: evalExpr(dag.output, nodes), nodes, pre };
}

/** Float evaluation (tests and heuristics only; never for a sign decision). */
export function evaluateDagFloat(dag: ReluDag, x: readonly number[]): number {
  const nodes: number[] = x.slice();
  const ev = (e: LinExpr): number => {
    let s = e.c.toNumber();
    for (const [id, w] of e.terms) s += w.toNumber() * nodes[id]!;
    return s;
  };
  for (const e of dag.neurons) nodes.push(Math.max(0, ev(e)));
  return ev(dag.output);
}

/** Number of stored terms (model size measure). */
export function dagSize(dag: ReluDag): number {
  return dag.neurons.reduce((s, e) => s + e.terms.size, 0) + dag.output.terms.size;
}
