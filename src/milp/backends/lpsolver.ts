/**
 * javascript-lp-solver (pure JS simplex + branch and bound) in a worker thread.
 *
 * Pitfalls handled (../shared/SOLVERS.md): variables are ≥ 0 unless listed in `unrestricted`, and
 * bounds go in as constraints; `timeout` (ms) is only checked between branch-and-bound nodes, and a
 * pure LP has none at all — hence the worker and its watchdog; on a timeout it returns
 * `feasible: true` with the fractional relaxation, so an integer answer requires
 * `isIntegral === true`; variables at 0 are omitted from the result. Values are rounded by the
 * library to multiples of its precision (1e-9 here).
 */
import type { MilpBackend, MilpModel, SolveOptions, SolveResult } from '../model';
import { hasIntegers, notOk, solveSkeleton, type NormalizedModel } from './common';

const PRECISION = 1e-9;

interface LpSolverResult {
  feasible: boolean;
  result: number;
  bounded: boolean;
  isIntegral?: boolean;
  [name: string]: number | boolean | undefined;
}

type LpsConstraint = { min?: number; max?: number; equal?: number };

/**
 * Build the library's JSON model. Names: objective `o`, column j `x<j>`, row i `r<i>`, bound rows
 * `l<j>` / `u<j>` (no clash with the model's own names, which are not used).
 */
export function lpSolverModel(nm: NormalizedModel, sense: 'min' | 'max', timeoutMs: number, mipRelGap?: number) {
  const constraints: Record<string, LpsConstraint> = {};
  const variables: Record<string, Record<string, number>> = {};
  const ints: Record<string, 1> = {};
  const unrestricted: Record<string, 1> = {};
  for (let j = 0; j < nm.numCols; j++) {
    const col: Record<string, number> = { o: nm.cost[j]! };
    const lo = nm.colLower[j]!;
    const hi = nm.colUpper[j]!;
    if (lo < 0) unrestricted[`x${j}`] = 1;
    if (lo === hi) {
      constraints[`l${j}`] = { equal: lo };
      col[`l${j}`] = 1;
    } else {
      if (lo !== 0 && Number.isFinite(lo)) {
        constraints[`l${j}`] = { min: lo };
        col[`l${j}`] = 1;
      }
      if (Number.isFinite(hi)) {
        constraints[`u${j}`] = { max: hi };
        col[`u${j}`] = 1;
      }
    }
    if (nm.integer[j]) ints[`x${j}`] = 1;
    variables[`x${j}`] = col;
  }
  for (let i = 0; i < nm.numRows; i++) {
    const lo = nm.rowLower[i]!;
    const hi = nm.rowUpper[i]!;
    if (lo === -Infinity && hi === Infinity) continue; // a free row constrains nothing
    constraints[`r${i}`] = lo === hi ? { equal: lo } : { ...(lo > -Infinity ? { min: lo } : {}), ...(hi < Infinity ? { max: hi } : {}) };
    for (let k = nm.starts[i]!; k < nm.starts[i + 1]!; k++) variables[`x${nm.indices[k]}`]![`r${i}`] = nm.values[k]!;
  }
  return {
    optimize: 'o',
    opType: sense,
    constraints,
    variables,
    ints,
    unrestricted,
    options: { timeout: Math.max(1, Math.round(timeoutMs)), ...(mipRelGap !== undefined ? { tolerance: mipRelGap } : {}) },
  };
}

export class LpSolverBackend implements MilpBackend {
  readonly name = 'lpsolver' as const;

  solve(model: MilpModel, opts: SolveOptions): Promise<SolveResult> {
    return solveSkeleton('lpsolver', model, opts, PRECISION, async ({ nm, run, budgetSec, hardMs }) => {
      const limit = budgetSec();
      const mip = hasIntegers(nm);
      const out = await run<{ result: LpSolverResult; timeMs: number }>(
        'lpsolver',
        { model: lpSolverModel(nm, model.sense, limit * 1000, opts.mipRelGap), precision: PRECISION },
        hardMs(limit),
      );
      if (out.kind !== 'ok') return notOk(out, limit);
      const r = out.value.result;
      const timedOut = out.value.timeMs >= limit * 1000 - 1;
      const raw = `feasible=${r.feasible} bounded=${r.bounded}${mip ? ` isIntegral=${r.isIntegral === true}` : ''}${timedOut ? ' (timeout)' : ''}`;
      const x = new Float64Array(nm.numCols);
      for (let j = 0; j < nm.numCols; j++) {
        const v = r[`x${j}`];
        x[j] = typeof v === 'number' ? v : 0;
      }
      if (r.bounded === false) {
        if (!mip) return { status: 'unbounded', x: null, rawStatus: raw };
        // An unbounded relaxation leaves the MIP "infeasible or unbounded": decide feasibility with
        // a zero objective (Meyer 1974: feasible + rational data + unbounded relaxation ⇒ unbounded).
        const lim2 = budgetSec();
        const zero = { ...nm, cost: new Float64Array(nm.numCols) };
        const out2 = await run<{ result: LpSolverResult; timeMs: number }>(
          'lpsolver',
          { model: lpSolverModel(zero, model.sense, lim2 * 1000), precision: PRECISION },
          hardMs(lim2),
        );
        if (out2.kind !== 'ok') return { ...notOk(out2, lim2), rawStatus: `${raw}; feasibility check: ${notOk(out2, lim2).rawStatus}` };
        const r2 = out2.value.result;
        const raw2 = `${raw}; feasibility check: feasible=${r2.feasible} isIntegral=${r2.isIntegral === true}`;
        if (r2.feasible && r2.isIntegral === true) return { status: 'unbounded', x: null, rawStatus: raw2 };
        if (out2.value.timeMs >= lim2 * 1000 - 1) return { status: 'time-limit', x: null, rawStatus: raw2 };
        if (!r2.feasible) return { status: 'infeasible', x: null, rawStatus: raw2 };
        return { status: 'error', x: null, rawStatus: raw2 };
      }
      if (mip) {
        if (r.isIntegral === true && r.feasible) return { status: timedOut ? 'feasible' : 'optimal', x, rawStatus: raw };
        if (timedOut) return { status: 'time-limit', x: null, rawStatus: raw };
      }
      if (!r.feasible) return { status: 'infeasible', x: null, rawStatus: raw };
      if (mip) return { status: 'error', x: null, rawStatus: `${raw}: fractional answer` };
      return { status: 'optimal', x, rawStatus: raw };
    });
  }
}
