/**
 * What every MILP backend shares: validating and normalizing a `MilpModel` into sparse rows,
 * the worker-with-watchdog solve skeleton, and a float re-check of whatever x a solver returns.
 *
 * The re-check is a guard against solver bugs (docs/benchmarks.md#solvers records a false "feasible"
 * from javascript-lp-solver), not a proof: anything claimed about a network is re-checked in exact
 * arithmetic by the caller (docs/theory.md §6).
 */
import type { MilpModel, SolveOptions, SolveResult, SolveStatus, SolverName } from '../model';
import { withWorker, type RunOutcome, type WorkerOp, WATCHDOG_GRACE_SEC } from './runner';

/** A model in compressed sparse row form, duplicates merged, zeros dropped, indices checked. */
export interface NormalizedModel {
  numCols: number;
  numRows: number;
  /** Dense objective, length numCols. */
  cost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  integer: Uint8Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  /** CSR: row i occupies starts[i]..starts[i+1]-1 of indices/values, column indices increasing. */
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

function bad(model: MilpModel, msg: string): never {
  throw new RangeError(`MILP model ${JSON.stringify(model.name)}: ${msg}`);
}

/** Sum duplicate terms, drop zeros, sort by variable. Throws on an index out of range or a non-finite coefficient. */
export function mergeTerms(model: MilpModel, where: string, terms: readonly { v: number; c: number }[]): { v: number; c: number }[] {
  const n = model.vars.length;
  const acc = new Map<number, number>();
  for (const t of terms) {
    if (!Number.isInteger(t.v) || t.v < 0 || t.v >= n) bad(model, `${where}: variable index ${t.v} out of range [0, ${n})`);
    if (!Number.isFinite(t.c)) bad(model, `${where}: coefficient ${t.c} of ${model.vars[t.v]!.name} is not finite`);
    acc.set(t.v, (acc.get(t.v) ?? 0) + t.c);
  }
  return [...acc.entries()]
    .filter(([, c]) => c !== 0)
    .sort((a, b) => a[0] - b[0])
    .map(([v, c]) => ({ v, c }));
}

/**
 * Pre: `model` as documented in ../model.ts. Post: an equivalent normalized model; throws RangeError
 * naming the variable/row on NaN, an empty domain (lb > ub), lb = +∞, ub = −∞, or lo > hi.
 */
export function normalizeModel(model: MilpModel): NormalizedModel {
  const n = model.vars.length;
  const m = model.constraints.length;
  const cost = new Float64Array(n);
  for (const t of mergeTerms(model, 'objective', model.objective)) cost[t.v] = t.c;
  const colLower = new Float64Array(n);
  const colUpper = new Float64Array(n);
  const integer = new Uint8Array(n);
  model.vars.forEach((v, j) => {
    if (Number.isNaN(v.lb) || Number.isNaN(v.ub) || v.lb === Infinity || v.ub === -Infinity || v.lb > v.ub) {
      bad(model, `variable ${v.name}: bad bounds [${v.lb}, ${v.ub}]`);
    }
    colLower[j] = v.lb;
    colUpper[j] = v.ub;
    integer[j] = v.integer ? 1 : 0;
  });
  const rowLower = new Float64Array(m);
  const rowUpper = new Float64Array(m);
  const starts = new Int32Array(m + 1);
  const idx: number[] = [];
  const val: number[] = [];
  model.constraints.forEach((r, i) => {
    if (Number.isNaN(r.lo) || Number.isNaN(r.hi) || r.lo === Infinity || r.hi === -Infinity || r.lo > r.hi) {
      bad(model, `constraint ${r.name}: bad sides [${r.lo}, ${r.hi}]`);
    }
    rowLower[i] = r.lo;
    rowUpper[i] = r.hi;
    for (const t of mergeTerms(model, `constraint ${r.name}`, r.terms)) {
      idx.push(t.v);
      val.push(t.c);
    }
    starts[i + 1] = idx.length;
  });
  return {
    numCols: n,
    numRows: m,
    cost,
    colLower,
    colUpper,
    integer,
    rowLower,
    rowUpper,
    starts,
    indices: Int32Array.from(idx),
    values: Float64Array.from(val),
  };
}

export function hasIntegers(nm: NormalizedModel): boolean {
  return nm.integer.some((b) => b === 1);
}

export function objectiveOf(nm: NormalizedModel, x: Float64Array): number {
  let s = 0;
  for (let j = 0; j < nm.numCols; j++) s += nm.cost[j]! * x[j]!;
  return s;
}

/**
 * Float re-check of a returned x: bounds, rows and integrality, with a relative tolerance.
 * Returns null when x passes, else a one-line description of the worst violation.
 */
export function violation(nm: NormalizedModel, names: MilpModel, x: Float64Array, tol: number): string | null {
  if (x.length !== nm.numCols) return `x has length ${x.length}, expected ${nm.numCols}`;
  for (let j = 0; j < nm.numCols; j++) {
    const v = x[j]!;
    if (!Number.isFinite(v)) return `x[${names.vars[j]!.name}] = ${v}`;
    const scale = 1 + Math.abs(v);
    if (v < nm.colLower[j]! - tol * scale || v > nm.colUpper[j]! + tol * scale) {
      return `${names.vars[j]!.name} = ${v} outside [${nm.colLower[j]}, ${nm.colUpper[j]}]`;
    }
    if (nm.integer[j] && Math.abs(v - Math.round(v)) > Math.max(tol, 1e-5)) return `${names.vars[j]!.name} = ${v} is not integral`;
  }
  for (let i = 0; i < nm.numRows; i++) {
    let s = 0;
    let scale = 1;
    for (let k = nm.starts[i]!; k < nm.starts[i + 1]!; k++) {
      const p = nm.values[k]! * x[nm.indices[k]!]!;
      s += p;
      scale += Math.abs(p);
    }
    if (s < nm.rowLower[i]! - tol * scale || s > nm.rowUpper[i]! + tol * scale) {
      return `row ${names.constraints[i]!.name}: activity ${s} outside [${nm.rowLower[i]}, ${nm.rowUpper[i]}]`;
    }
  }
  return null;
}

/** What a backend's interpretation of one worker answer produces (before the common post-check). */
export interface Interpreted {
  status: SolveStatus;
  x: Float64Array | null;
  rawStatus: string;
}

export type RunFn = <T>(op: WorkerOp, payload: unknown, hardLimitMs: number) => Promise<RunOutcome<T>>;

/** Seconds from `t0` (a performance.now() reading). */
export function elapsedSec(t0: number): number {
  return (performance.now() - t0) / 1000;
}

/**
 * The shared solve skeleton.
 * 1. Acquire a worker and load the solver runtime (not charged to the solver, but to the wall clock).
 * 2. `body` runs the solve(s); it is given the solver's own time budget and the watchdog
 *    deadline helper, and returns an interpretation.
 * 3. Post-check x in floats; a violated x turns the answer into 'error' (never silently trusted).
 * Post: resolves (never rejects for solver trouble) within about max(timeLimit, load + ¼·timeLimit)
 * + WATCHDOG_GRACE_SEC seconds.
 */
/** Options every backend accepts: the contract's, plus cancellation (used by `raceSolve`). */
export type BackendSolveOptions = SolveOptions & { signal?: AbortSignal };

export async function solveSkeleton(
  solver: SolverName,
  model: MilpModel,
  opts: BackendSolveOptions,
  tolerance: number,
  body: (ctx: {
    nm: NormalizedModel;
    run: RunFn;
    /** Seconds the solver may still use (its own limit). */
    budgetSec: () => number;
    /** Hard watchdog deadline for a call given the solver's own limit. */
    hardMs: (solverLimitSec: number) => number;
  }) => Promise<Interpreted>,
): Promise<SolveResult> {
  const t0 = performance.now();
  const nm = normalizeModel(model);
  if (!(opts.timeLimitSec > 0)) throw new RangeError(`timeLimitSec must be positive, got ${opts.timeLimitSec}`);
  const limit = opts.timeLimitSec;
  const result = (r: Interpreted): SolveResult => {
    let { status, x, rawStatus } = r;
    if (x && (status === 'optimal' || status === 'feasible')) {
      const v = violation(nm, model, x, Math.max(1e-6, tolerance * 10));
      if (v !== null) {
        status = 'error';
        rawStatus = `${rawStatus}; rejected: ${v}`;
      }
    }
    if (status !== 'optimal' && status !== 'feasible') x = null;
    return {
      status,
      objective: x ? objectiveOf(nm, x) : null,
      x,
      timeMs: performance.now() - t0,
      solver,
      rawStatus,
      tolerance,
    };
  };
  return withWorker(async (run) => {
    const loaded = await run<string>('load', solver, 60_000);
    if (loaded.kind !== 'ok') {
      return result({ status: 'error', x: null, rawStatus: `could not load ${solver}: ${loaded.kind === 'error' ? firstLine(loaded.error) : 'timed out'}` });
    }
    // Loading a runtime in a fresh worker can take a second on a busy machine; the solver gets
    // what is left of the limit, but at least a quarter of it.
    const solverLimit = Math.max(limit - elapsedSec(t0), limit / 4);
    const solveStart = performance.now();
    const budgetSec = () => Math.max(solverLimit - elapsedSec(solveStart), 0.01);
    const hardMs = (s: number) => (s + WATCHDOG_GRACE_SEC) * 1000;
    const r = await body({ nm, run, budgetSec, hardMs });
    return result(opts.signal?.aborted ? { status: 'error', x: null, rawStatus: `cancelled (${r.rawStatus})` } : r);
  }, opts.signal);
}

export function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 300);
}

/** What a zero-objective feasibility solve found, as each backend reads its own answer. */
export interface FeasibilityCheck {
  verdict: 'feasible' | 'infeasible' | 'time-limit' | 'error';
  rawStatus: string;
}

/**
 * The step every backend shares when the relaxation is unbounded, or the solver answers
 * "infeasible or unbounded": the MILP is then infeasible or unbounded, and one feasibility solve
 * with a zero objective decides which. Meyer (1974): a feasible MILP with rational data whose
 * relaxation is unbounded is itself unbounded. `feasibility` runs that solve with the backend's
 * own call; `raw` is the first answer's raw status, kept in front of the second's.
 */
export async function resolveUnboundedRelaxation(raw: string, feasibility: () => Promise<FeasibilityCheck>): Promise<Interpreted> {
  const f = await feasibility();
  const rawStatus = `${raw}; feasibility check: ${f.rawStatus}`;
  switch (f.verdict) {
    case 'feasible':
      return { status: 'unbounded', x: null, rawStatus };
    case 'infeasible':
      return { status: 'infeasible', x: null, rawStatus };
    case 'time-limit':
      return { status: 'time-limit', x: null, rawStatus };
    default:
      return { status: 'error', x: null, rawStatus };
  }
}

/** A failed worker outcome as a feasibility check (its interpretation's status and text). */
export function notOkCheck(o: RunOutcome<unknown>, limitSec: number): FeasibilityCheck {
  const i = notOk(o, limitSec);
  return { verdict: i.status === 'time-limit' ? 'time-limit' : 'error', rawStatus: i.rawStatus };
}

/** The interpretation of a worker outcome that is not 'ok'. */
export function notOk(o: RunOutcome<unknown>, limitSec: number): Interpreted {
  if (o.kind === 'killed') {
    return { status: 'time-limit', x: null, rawStatus: `watchdog: solver stopped after ${(o.wallMs / 1000).toFixed(1)} s (limit ${limitSec.toFixed(1)} s)` };
  }
  return { status: 'error', x: null, rawStatus: o.kind === 'error' ? firstLine(o.error) : 'unknown' };
}
