/**
 * Big-M (MIPVerify-style) encoding of a presolved ReLU DAG over the box [-B, B]^p (docs/theory.md §6).
 * For every undecided neuron y = relu(z), z ∈ [l, u] with l < 0 < u, one binary a:
 *
 *     y ≥ z,   y ≥ 0,   y ≤ z − l·(1 − a),   y ≤ u·a,   a ∈ {0, 1}
 *
 * (a = 1: y = z ≥ 0; a = 0: y = 0 ≥ z). Each neuron is branched on its own bounds, so tight
 * bounds (presolve, symbolic) give tight big-M constants.
 *
 * The question is asked about an objective expression D (G(x) − g·x in decide.ts):
 * - feasibility form:  σ·D(x) ≥ t   (objective 0; docs/theory.md §6 "Thresholds"),
 * - optimization form: maximize σ·D(x).
 * In the feasibility form, when σ·D is c·relu(z_k) with c > 0 and y_k read nowhere else, the
 * row becomes z_k ≥ t/c and that neuron needs no binary (the output relu of the reduction).
 *
 * Monotone relaxation (no binary for neurons the question can only be hurt by). Let R be the row
 * expression (σ·D, or z_k above) as a function of x and of the relu outputs, downstream neurons
 * recomputed. ∂R/∂y_j is a multilinear polynomial in the relu derivatives s ∈ [0, 1] of the
 * neurons downstream, bounded exactly (see nonincreasingNeurons). If ∂R/∂y_j ≤ 0 everywhere, then writing
 * y_j = relu(z_j) + s_j, R is nonincreasing in each slack s_j ≥ 0, so R(x, s) ≤ R(x, 0) = the true
 * value. Hence replacing y_j = relu(z_j) by the convex y_j ≥ z_j, y_j ≥ 0 (no binary) leaves
 * "max R" and "R ≥ t feasible" unchanged, and every x of a relaxed solution is a true solution.
 * On the reduction this frees every min-gadget neuron (min(a, b) = a − relu(a − b)).
 */
import { Rational, ZERO } from '../exact/rational';
import type { LinExpr, ReluDag } from '../network/dag';
import type { LinTerm, MilpConstraint, MilpModel, MilpVar } from './model';

/** Feasibility (σ·objective ≥ threshold, zero objective) or maximization of σ·objective. */
export type EncodingForm =
  | { kind: 'feasibility'; sign: 1 | -1; threshold: number }
  | { kind: 'maximize'; sign: 1 | -1 };

/**
 * A big-M MILP of a relu DAG over a box, with the index of each input variable and the number of
 * binaries.
 */
export interface EncodedModel {
  model: MilpModel;
  /** Model variable index of input i. */
  inputVars: number[];
  binaries: number;
  /** Undecided neurons encoded without a binary by the monotone relaxation. */
  relaxed: number;
  constraints: number;
  /** True when the form is infeasible by construction (σ·D = −c·relu(z) ≥ t > 0). */
  triviallyInfeasible: boolean;
}

/**
 * The big-M MILP of a relu DAG on the box [lo, hi] (one binary per undecided neuron, none for
 * neurons the monotone relaxation proves unnecessary), in feasibility or maximization form
 * (docs/theory.md §6).
 */
export function encodeReluDag(
  dag: ReluDag,
  lo: readonly number[],
  hi: readonly number[],
  objective: LinExpr,
  form: EncodingForm,
  opts: { box?: number; name?: string; monotone?: boolean } = {},
): EncodedModel {
  const box = opts.box ?? 1;
  const p = dag.inputDim;
  const vars: MilpVar[] = [];
  const constraints: MilpConstraint[] = [];
  const inputVars: number[] = [];
  for (let i = 0; i < p; i++) inputVars.push(vars.push({ name: `x${i}`, lb: -box, ub: box, integer: false }) - 1);

  // Use counts, to spot the single-relu objective.
  const uses = new Int32Array(p + dag.neurons.length);
  for (const e of dag.neurons) for (const id of e.terms.keys()) uses[id]!++;
  let skip = -1;
  let skipCoef = 0;
  let triviallyInfeasible = false;
  if (form.kind === 'feasibility' && objective.terms.size === 1 && objective.c.isZero()) {
    const [[id, w]] = [...objective.terms];
    const c = w.toNumber() * form.sign;
    if (id >= p && uses[id] === 0) {
      if (c > 0) {
        skip = id - p;
        skipCoef = c;
      } else triviallyInfeasible = true;
    }
  }

  // Neurons along which R is nonincreasing (see header), R the row expression.
  const relaxable =
    opts.monotone ?? true
      ? nonincreasingNeurons(dag, skip >= 0 ? dag.neurons[skip]! : objective, skip >= 0 ? 1 : form.sign, skip >= 0 ? skip - 1 : dag.neurons.length - 1)
      : new Uint8Array(dag.neurons.length);

  // Node id → model variable index (inputs and the y of each encoded neuron).
  const varOf = new Int32Array(p + dag.neurons.length).fill(-1);
  for (let i = 0; i < p; i++) varOf[i] = inputVars[i]!;
  const lin = (e: LinExpr, scale = 1): LinTerm[] => [...e.terms].map(([id, w]) => ({ v: varOf[id]!, c: scale * w.toNumber() }));
  let binaries = 0;
  let relaxed = 0;
  dag.neurons.forEach((e, k) => {
    const l = lo[k]!;
    const u = hi[k]!;
    const c0 = e.c.toNumber();
    if (k === skip) {
      // σ·D = c·relu(z) ≥ t  ⇔  z ≥ t/c  (t > 0).
      constraints.push({ name: `out_${k}`, terms: lin(e), lo: (form as { threshold: number }).threshold / skipCoef - c0, hi: Infinity });
      return;
    }
    const y = vars.push({ name: `y${k}`, lb: 0, ub: Math.max(0, u), integer: false }) - 1;
    varOf[p + k] = y;
    if (u <= 0) {
      // Cannot happen after presolve (stable neurons are fixed); kept for raw DAGs: y = 0.
      vars[y]!.ub = 0;
      return;
    }
    if (l >= 0) {
      constraints.push({ name: `eq_${k}`, terms: [{ v: y, c: 1 }, ...lin(e, -1)], lo: c0, hi: c0 });
      return;
    }
    // y − z ≥ c0
    constraints.push({ name: `ge_${k}`, terms: [{ v: y, c: 1 }, ...lin(e, -1)], lo: c0, hi: Infinity });
    if (relaxable[k]) {
      relaxed++;
      return;
    }
    const a = vars.push({ name: `a${k}`, lb: 0, ub: 1, integer: true }) - 1;
    binaries++;
    // y − z − l·a ≤ c0 − l
    constraints.push({ name: `act_${k}`, terms: [{ v: y, c: 1 }, ...lin(e, -1), { v: a, c: -l }], lo: -Infinity, hi: c0 - l });
    // y − u·a ≤ 0
    constraints.push({ name: `ina_${k}`, terms: [{ v: y, c: 1 }, { v: a, c: -u }], lo: -Infinity, hi: 0 });
  });

  let objectiveTerms: LinTerm[] = [];
  if (form.kind === 'feasibility') {
    if (skip < 0)
      constraints.push({
        name: 'threshold',
        terms: lin(objective, form.sign),
        lo: form.threshold - form.sign * objective.c.toNumber(),
        hi: Infinity,
      });
  } else {
    objectiveTerms = lin(objective, form.sign);
  }
  const model: MilpModel = {
    name: opts.name ?? 'clarke',
    sense: 'max',
    objective: objectiveTerms,
    vars,
    constraints,
  };
  return { model, inputVars, binaries, relaxed, constraints: constraints.length, triviallyInfeasible };
}

/** Max number of relu' variables in a derivative polynomial before falling back to intervals. */
const MAX_VARS = 12;

/**
 * relaxable[k] = 1 iff ∂R/∂y_k ≤ 0 for every activation pattern (R = sign·expr, downstream neurons
 * recomputed), proven exactly. ∂R/∂y_k is a multilinear polynomial in the relu derivatives
 * s_j ∈ [0, 1] of the neurons between y_k and R (chain rule over the DAG); it is propagated
 * backwards exactly (Rational coefficients, monomials keyed by their neuron sets), and its maximum
 * over [0, 1]^vars — attained at a vertex, the polynomial being multilinear — is checked ≤ 0 by
 * enumerating the vertices. Interval arithmetic alone cannot do this on min(a, b) = a − relu(a − b)
 * (it loses that the two occurrences of a are correlated); the polynomial keeps it. When a
 * polynomial has more than MAX_VARS variables its node falls back to an interval (sum of the
 * coefficients' positive / negative parts), which is sound and only less precise.
 */
export function nonincreasingNeurons(dag: ReluDag, expr: LinExpr, sign: 1 | -1, top: number): Uint8Array {
  const p = dag.inputDim;
  const out = new Uint8Array(dag.neurons.length);
  type Poly = Map<string, Rational>; // monomial key "j1,j2,…" (sorted neuron indices) → coefficient
  const poly: Array<Poly | null> = new Array(dag.neurons.length).fill(null);
  // Interval fallback per node: [lo, hi] bounds of the derivative when the polynomial overflowed.
  const ilo: Rational[] = new Array<Rational>(dag.neurons.length).fill(ZERO);
  const ihi: Rational[] = new Array<Rational>(dag.neurons.length).fill(ZERO);
  const overflow = new Uint8Array(dag.neurons.length);
  const addTo = (k: number, key: string, c: Rational) => {
    if (overflow[k]) {
      // the node already holds an interval: coefficient parts, each monomial's value in [0, c] or [c, 0]
      if (c.sign() > 0) ihi[k] = ihi[k]!.add(c);
      else ilo[k] = ilo[k]!.add(c);
      return;
    }
    let P = poly[k];
    if (!P) poly[k] = P = new Map();
    const v = (P.get(key) ?? ZERO).add(c);
    if (v.isZero()) P.delete(key);
    else P.set(key, v);
  };
  for (const [id, w] of expr.terms) if (id >= p && id - p <= top) addTo(id - p, '', sign > 0 ? w : w.neg());
  const varsOf = (P: Poly): number[] => {
    const set = new Set<number>();
    for (const key of P.keys()) if (key !== '') for (const v of key.split(',')) set.add(Number(v));
    return [...set];
  };
  for (let k = top; k >= 0; k--) {
    let P = poly[k];
    let lo = ilo[k]!;
    let hi = ihi[k]!;
    if (P && !overflow[k]) {
      const vars = varsOf(P);
      if (vars.length > MAX_VARS) {
        overflow[k] = 1;
        for (const c of P.values()) {
          if (c.sign() > 0) hi = hi.add(c);
          else lo = lo.add(c);
        }
        P = null;
      } else {
        // max over the vertices of [0,1]^vars
        let max: Rational | null = null;
        const idx = new Map(vars.map((v, i) => [v, i]));
        const terms = [...P].map(([key, c]) => ({ mask: key === '' ? 0 : key.split(',').reduce((m, v) => m | (1 << idx.get(Number(v))!), 0), c }));
        for (let mask = 0; mask < 1 << vars.length; mask++) {
          let val = ZERO;
          for (const t of terms) if ((t.mask & mask) === t.mask) val = val.add(t.c);
          if (max === null || val.cmp(max) > 0) max = val;
        }
        if (max!.sign() <= 0) out[k] = 1;
      }
    } else if (overflow[k]) {
      if (hi.sign() <= 0) out[k] = 1;
    } else {
      out[k] = 1; // R does not depend on y_k at all
      continue;
    }
    // Through relu' = s_k into the terms of pre_k.
    for (const [j, w] of dag.neurons[k]!.terms) {
      if (j < p) continue;
      const jj = j - p;
      if (P && !overflow[jj]) {
        for (const [key, c] of P) {
          const vs = key === '' ? [k] : [...key.split(',').map(Number), k].sort((a, b) => a - b);
          addTo(jj, vs.join(','), c.mul(w));
        }
      } else {
        // interval: derivative of y_k in [lo, hi] (from P's coefficient parts, or the fallback),
        // times s_k ∈ [0, 1], times w.
        let l = lo;
        let h = hi;
        if (P) {
          l = ZERO;
          h = ZERO;
          for (const c of P.values()) {
            if (c.sign() > 0) h = h.add(c);
            else l = l.add(c);
          }
        }
        const a = (l.sign() < 0 ? l : ZERO).mul(w);
        const b = (h.sign() > 0 ? h : ZERO).mul(w);
        const [mn, mx] = a.cmp(b) <= 0 ? [a, b] : [b, a];
        if (!overflow[jj] && poly[jj]) {
          // convert the consumer's polynomial to an interval first
          for (const c of poly[jj]!.values()) {
            if (c.sign() > 0) ihi[jj] = ihi[jj]!.add(c);
            else ilo[jj] = ilo[jj]!.add(c);
          }
          poly[jj] = null;
        }
        overflow[jj] = 1;
        ilo[jj] = ilo[jj]!.add(mn);
        ihi[jj] = ihi[jj]!.add(mx);
      }
    }
  }
  return out;
}
