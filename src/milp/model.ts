/**
 * A solver-neutral mixed-integer linear program. Coefficients are float64: the model is a numeric
 * object, and every solver answer is re-checked exactly before anything is claimed (docs/theory.md §6).
 * Bounds computed exactly are rounded outward when they enter a model.
 */

export interface MilpVar {
  name: string;
  /** May be -Infinity. */
  lb: number;
  /** May be +Infinity. */
  ub: number;
  integer: boolean;
}

/** A term c·x_v of a linear expression. */
export interface LinTerm {
  /** Index into `MilpModel.vars`. */
  v: number;
  c: number;
}

/** `lo ≤ Σ c·x_v ≤ hi`; use ±Infinity for a one-sided row, lo === hi for an equality. */
export interface MilpConstraint {
  name: string;
  terms: LinTerm[];
  lo: number;
  hi: number;
}

/**
 * A mixed-integer linear program: variables with bounds and integrality, range rows lo ≤ a·x ≤ hi,
 * a linear objective and its sense.
 */
export interface MilpModel {
  name: string;
  sense: 'min' | 'max';
  objective: LinTerm[];
  vars: MilpVar[];
  constraints: MilpConstraint[];
  /** Optional branching priorities (higher first) for backends that support them. */
  priorities?: Map<number, number>;
}

/** The MILP backends, all from npm (docs/benchmarks.md#solvers). */
export type SolverName = 'highs' | 'glpk' | 'lpsolver';
/** Every backend name, the default (highs) first. */
export const SOLVER_NAMES: readonly SolverName[] = ['highs', 'glpk', 'lpsolver'];

/** Options every backend accepts. */
export interface SolveOptions {
  /** Wall-clock seconds; the backend must return within about this (+ a couple of seconds). */
  timeLimitSec: number;
  /** Relative MIP gap (optimization form); default the backend's. */
  mipRelGap?: number;
  /** Stop at the first feasible integer solution (feasibility form). */
  firstFeasible?: boolean;
}

/**
 * A backend's verdict: optimal (within its gap), feasible (an incumbent, not proven optimal),
 * infeasible or unbounded (as proven by the solver), time-limit (no incumbent), error.
 */
export type SolveStatus = 'optimal' | 'feasible' | 'infeasible' | 'unbounded' | 'time-limit' | 'error';

/**
 * A backend's answer; x has been re-checked in floating point against bounds, rows and integrality
 * (an exact re-check is the caller's job).
 */
export interface SolveResult {
  status: SolveStatus;
  /** Objective of the returned x, when x is an integer-feasible solution. */
  objective: number | null;
  /** A primal solution (integer feasible up to the backend's tolerance) or null. */
  x: Float64Array | null;
  timeMs: number;
  solver: SolverName;
  /** The backend's own status text, for `restsOn` and debugging. */
  rawStatus: string;
  /** The backend's feasibility/integrality tolerance, for `restsOn`. */
  tolerance: number;
}

/** A MILP solver behind one interface. */
export interface MilpBackend {
  readonly name: SolverName;
  solve(model: MilpModel, opts: SolveOptions): Promise<SolveResult>;
}
