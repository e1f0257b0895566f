/**
 * HiGHS (npm `highs`, HiGHS 1.15 compiled to WebAssembly), through its persistent API: the model
 * goes in as arrays (`passModel`), so there is no LP text to parse and columns keep model order.
 *
 * Pitfalls handled (docs/benchmarks.md#solvers): the solve blocks its thread (run in a worker, watchdog);
 * output must be off; on a time limit without a solution the primal values are meaningless (we
 * read `primal_solution_status`, 2 = feasible); values come back as ±(1 − tiny), so callers decide
 * signs and re-check exactly.
 */
import type { LinTerm, MilpBackend, MilpModel, MilpVar, SolveResult } from '../model';
import { hasIntegers, notOk, resolveUnboundedRelaxation, solveSkeleton, type Interpreted, type NormalizedModel, type RunFn } from './common';
import type { BackendSolveOptions } from './common';
import { withWorker } from './runner';

/** HiGHS `modelStatus` codes (highs.constants.modelStatus), by name. */
export const HighsModelStatus = {
  NotSet: 0,
  LoadError: 1,
  ModelError: 2,
  PresolveError: 3,
  SolveError: 4,
  PostsolveError: 5,
  Empty: 6,
  Optimal: 7,
  Infeasible: 8,
  UnboundedOrInfeasible: 9,
  Unbounded: 10,
  ObjectiveBound: 11,
  ObjectiveTarget: 12,
  TimeLimit: 13,
  IterationLimit: 14,
  Unknown: 15,
  SolutionLimit: 16,
  Interrupted: 17,
} as const;

/** HiGHS `primal_solution_status`: a feasible primal solution is held. */
const PRIMAL_FEASIBLE = 2;

/** The text of each `modelStatus` code. */
const STATUS_TEXT: Record<number, string> = {
  0: 'Not Set',
  1: 'Load error',
  2: 'Model error',
  3: 'Presolve error',
  4: 'Solve error',
  5: 'Postsolve error',
  6: 'Empty',
  7: 'Optimal',
  8: 'Infeasible',
  9: 'Primal infeasible or unbounded',
  10: 'Unbounded',
  11: 'Bound on objective reached',
  12: 'Target for objective reached',
  13: 'Time limit reached',
  14: 'Iteration limit reached',
  15: 'Unknown',
  16: 'Solution limit reached',
  17: 'Interrupted',
};

interface HighsRaw {
  status: number;
  primalStatus: number | null;
  objective: number;
  colValue: Float64Array;
  mipDualBound: number | null;
  mipGap: number | null;
  nodes: number | null;
  timeMs: number;
  colNames?: string[];
  sense?: number;
  numRows?: number;
  integrality?: number[];
}

/** Extra HiGHS options; any native option name is accepted (validated by HiGHS). */
export type HighsExtraOptions = Record<string, number | string | boolean>;

/**
 * Defaults chosen for the models of this project (big-M encodings of ReLU networks, feasibility
 * form): sub-MIP heuristics took about half the time on uf20 with little gain (docs/benchmarks.md#solvers:
 * `mip_heuristic_effort = 0` saved ~0.5 s per file). A fixed seed keeps runs reproducible.
 */
export const HIGHS_DEFAULTS: HighsExtraOptions = { random_seed: 0, mip_heuristic_effort: 0 };

const MIP_FEAS_TOL = 1e-6;

function modelData(nm: NormalizedModel, cost: Float64Array) {
  return {
    numCols: nm.numCols,
    numRows: nm.numRows,
    colCost: cost,
    colLower: nm.colLower,
    colUpper: nm.colUpper,
    rowLower: nm.rowLower,
    rowUpper: nm.rowUpper,
    matrix: { format: 'csr', numRows: nm.numRows, numCols: nm.numCols, starts: nm.starts, indices: nm.indices, values: nm.values },
    integrality: Int32Array.from(nm.integer),
  };
}

export class HighsBackend implements MilpBackend {
  readonly name = 'highs' as const;
  constructor(private readonly extra: HighsExtraOptions = HIGHS_DEFAULTS) {}

  solve(model: MilpModel, opts: BackendSolveOptions): Promise<SolveResult> {
    return solveSkeleton('highs', model, opts, MIP_FEAS_TOL, async ({ nm, run, budgetSec, hardMs }) => {
      const options = (limit: number): HighsExtraOptions => {
        const o: HighsExtraOptions = { output_flag: false, ...this.extra, time_limit: limit };
        if (opts.mipRelGap !== undefined) o.mip_rel_gap = opts.mipRelGap;
        if (opts.firstFeasible) o.mip_max_improving_sols = 1;
        return o;
      };
      const call = async (cost: Float64Array): Promise<HighsRaw | Interpreted> => {
        const limit = budgetSec();
        const out = await run<HighsRaw>('highs', { model: modelData(nm, cost), senseName: model.sense, options: options(limit) }, hardMs(limit));
        return out.kind === 'ok' ? out.value : notOk(out, limit);
      };
      const first = await call(nm.cost);
      if (!('colValue' in first)) return first;
      const raw = STATUS_TEXT[first.status] ?? `status ${first.status}`;
      const withX = (status: 'optimal' | 'feasible'): Interpreted => ({ status, x: Float64Array.from(first.colValue), rawStatus: raw });
      const S = HighsModelStatus;
      switch (first.status) {
        case S.Optimal:
          return withX('optimal');
        case S.Empty: // empty model: nothing to optimize, x = bounds-feasible zeros are what HiGHS returns
          return withX('optimal');
        case S.Infeasible:
          return { status: 'infeasible', x: null, rawStatus: raw };
        case S.UnboundedOrInfeasible:
        case S.Unbounded: {
          // LP: "Unbounded" is a proof (primal feasible + ray). MIP, or "infeasible or unbounded":
          // the shared zero-objective feasibility step.
          if (first.status === S.Unbounded && !hasIntegers(nm)) return { status: 'unbounded', x: null, rawStatus: raw };
          return resolveUnboundedRelaxation(raw, async () => {
            const second = await call(new Float64Array(nm.numCols));
            if (!('colValue' in second)) return { verdict: second.status === 'time-limit' ? 'time-limit' : 'error', rawStatus: second.rawStatus };
            const text = STATUS_TEXT[second.status] ?? `status ${second.status}`;
            if (second.status === S.Optimal) return { verdict: 'feasible', rawStatus: text };
            if (second.status === S.Infeasible) return { verdict: 'infeasible', rawStatus: text };
            return { verdict: second.status === S.TimeLimit ? 'time-limit' : 'error', rawStatus: text };
          });
        }
        case S.ObjectiveBound:
        case S.ObjectiveTarget:
        case S.TimeLimit:
        case S.IterationLimit:
        case S.SolutionLimit:
        case S.Interrupted:
          if (first.primalStatus === PRIMAL_FEASIBLE) return withX('feasible');
          return { status: first.status === S.TimeLimit ? 'time-limit' : 'error', x: null, rawStatus: raw };
        default:
          return { status: 'error', x: null, rawStatus: raw };
      }
    });
  }
}

/** A model read back by HiGHS from LP or MPS text (for round-trip checks and `--export` users). */
export interface HighsTextSolve {
  status: string;
  objective: number | null;
  /** Column values by column name, when HiGHS holds a feasible solution. */
  values: Map<string, number> | null;
  colNames: string[];
  numRows: number;
  /** 1 minimize, −1 maximize. */
  sense: number;
  integrality: number[];
}

/**
 * Parse LP or MPS text with HiGHS and solve it (in a worker, with a watchdog).
 * Pre: `text` is CPLEX LP or (free) MPS. Post: throws Error when HiGHS cannot read it.
 */
export async function solveTextWithHighs(text: string, format: 'lp' | 'mps', timeLimitSec = 30): Promise<HighsTextSolve> {
  return withWorker(async (run) => {
    const out = await run<HighsRaw>(
      'highs',
      { model: { format, data: text }, options: { output_flag: false, time_limit: timeLimitSec }, withNames: true },
      (timeLimitSec + 30) * 1000,
    );
    if (out.kind !== 'ok') throw new Error(`HiGHS could not read/solve the ${format.toUpperCase()} text: ${out.kind === 'error' ? out.error.split('\n')[0] : 'timed out'}`);
    const r = out.value;
    const feasible = r.primalStatus === PRIMAL_FEASIBLE;
    const names = r.colNames ?? [];
    return {
      status: STATUS_TEXT[r.status] ?? `status ${r.status}`,
      objective: feasible && Number.isFinite(r.objective) ? r.objective : null,
      values: feasible ? new Map(names.map((nme, j) => [nme, r.colValue[j]!])) : null,
      colNames: names,
      numRows: r.numRows ?? 0,
      sense: r.sense ?? 1,
      integrality: r.integrality ?? [],
    };
  });
}

interface HighsReadRaw {
  numCols: number;
  numRows: number;
  sense: number;
  offset: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  integrality: Int32Array;
  colNames: string[];
  rowNames: string[];
}

/**
 * Read CPLEX LP or MPS text into a `MilpModel` (HiGHS's parser, in a worker), e.g. to run every
 * backend on a model exported with `--export`. Throws Error when HiGHS cannot read the text, or when
 * the model has an objective offset or semi-continuous columns (not representable in MilpModel).
 */
export async function readModelText(text: string, format: 'lp' | 'mps', name = 'model'): Promise<MilpModel> {
  const out = await withWorker((run) => run<HighsReadRaw>('highs-read', { format, data: text }, 120_000));
  if (out.kind !== 'ok') throw new Error(`HiGHS could not read the ${format.toUpperCase()} text: ${out.kind === 'error' ? out.error.split('\n')[0] : 'timed out'}`);
  const r = out.value;
  if (r.numCols === 0 && /\S/.test(text.replace(/^\s*[\\*].*$/gm, ''))) throw new Error(`HiGHS found no variables in the ${format.toUpperCase()} text`);
  if (r.offset !== 0) throw new Error(`the ${format.toUpperCase()} model has an objective constant ${r.offset}, which MilpModel cannot hold`);
  const vars: MilpVar[] = [];
  for (let j = 0; j < r.numCols; j++) {
    const kind = r.integrality[j] ?? 0;
    if (kind !== 0 && kind !== 1) throw new Error(`column ${r.colNames[j]} has HiGHS variable type ${kind} (only continuous and integer are supported)`);
    vars.push({ name: r.colNames[j]!, lb: r.colLower[j]!, ub: r.colUpper[j]!, integer: kind === 1 });
  }
  const objective: LinTerm[] = [];
  for (let j = 0; j < r.numCols; j++) if (r.colCost[j] !== 0) objective.push({ v: j, c: r.colCost[j]! });
  const constraints = [];
  for (let i = 0; i < r.numRows; i++) {
    const terms: LinTerm[] = [];
    for (let k = r.starts[i]!; k < r.starts[i + 1]!; k++) terms.push({ v: r.indices[k]!, c: r.values[k]! });
    constraints.push({ name: r.rowNames[i]!, terms, lo: r.rowLower[i]!, hi: r.rowUpper[i]! });
  }
  return { name, sense: r.sense === -1 ? 'max' : 'min', objective, vars, constraints };
}
