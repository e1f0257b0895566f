/**
 * javascript-lp-solver (pure JS simplex + branch and bound) in a worker thread.
 *
 * Pitfalls handled (docs/benchmarks.md#solvers): variables are ≥ 0 (its `unrestricted` list gave wrong
 * optima and false "infeasible" answers for integer variables, so columns are shifted/split into
 * nonnegative ones instead; a free *integer* column becomes p − q, on which this library's branch and
 * bound may not terminate: it then hits the time limit), and upper bounds go in as rows; `timeout` (ms) is only checked between branch-and-bound nodes, and a
 * pure LP has none at all — hence the worker and its watchdog; on a timeout it returns
 * `feasible: true` with the fractional relaxation, so an integer answer requires
 * `isIntegral === true`; variables at 0 are omitted from the result. Values are rounded by the
 * library to multiples of its precision (1e-9 here).
 */
import type { MilpBackend, MilpModel, SolveResult } from '../model';
import { hasIntegers, notOk, notOkCheck, resolveUnboundedRelaxation, solveSkeleton, type NormalizedModel } from './common';
import type { BackendSolveOptions } from './common';

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
 * How model column j maps to the library's nonnegative variables (its `unrestricted` integer
 * variables gave wrong optima and false "infeasible" answers in test/milp/backends.test.ts, so we
 * never use them): x_j = shift + sign·s_j, or x_j = p_j − q_j for a free column.
 */
type ColMap = { kind: 'shift'; shift: number; sign: 1 | -1 } | { kind: 'split' };

/**
 * Build the library's JSON model over nonnegative variables. Names: objective `o`, column j is
 * `s<j>` (or `p<j>`, `q<j>` when free), row i `r<i>`, upper-bound rows `u<j>`. An integer column's
 * bounds are first rounded inwards (ceil lb, floor ub), so the shift is integral and s_j integer
 * ⇔ x_j integer.
 */
export function lpSolverModel(nm: NormalizedModel, sense: 'min' | 'max', timeoutMs: number, mipRelGap?: number) {
  const constraints: Record<string, LpsConstraint> = {};
  const variables: Record<string, Record<string, number>> = {};
  const ints: Record<string, 1> = {};
  const maps: ColMap[] = [];
  const rowShift = new Float64Array(nm.numRows);
  // column j's (row, coefficient) entries
  const colEntries: [number, number][][] = Array.from({ length: nm.numCols }, () => []);
  for (let i = 0; i < nm.numRows; i++) {
    for (let k = nm.starts[i]!; k < nm.starts[i + 1]!; k++) colEntries[nm.indices[k]!]!.push([i, nm.values[k]!]);
  }
  for (let j = 0; j < nm.numCols; j++) {
    let lo = nm.colLower[j]!;
    let hi = nm.colUpper[j]!;
    if (nm.integer[j]) {
      lo = Math.ceil(lo);
      hi = Math.floor(hi);
    }
    const c = nm.cost[j]!;
    const addVar = (name: string, sign: number) => {
      const col: Record<string, number> = { o: sign * c };
      for (const [i, a] of colEntries[j]!) col[`r${i}`] = sign * a;
      variables[name] = col;
      if (nm.integer[j]) ints[name] = 1;
      return col;
    };
    if (lo === -Infinity && hi === Infinity) {
      maps.push({ kind: 'split' });
      addVar(`p${j}`, 1);
      addVar(`q${j}`, -1);
      continue;
    }
    const fromLower = lo > -Infinity;
    const shift = fromLower ? lo : hi;
    const sign: 1 | -1 = fromLower ? 1 : -1;
    maps.push({ kind: 'shift', shift, sign });
    for (const [i, a] of colEntries[j]!) rowShift[i] = rowShift[i]! + a * shift;
    const col = addVar(`s${j}`, sign);
    const width = hi - lo; // +∞ when one side is infinite; < 0 when an integer box is empty
    if (Number.isFinite(width)) {
      constraints[`u${j}`] = width <= 0 ? { equal: width } : { max: width };
      col[`u${j}`] = 1;
    }
  }
  for (let i = 0; i < nm.numRows; i++) {
    const lo = nm.rowLower[i]! - rowShift[i]!;
    const hi = nm.rowUpper[i]! - rowShift[i]!;
    if (lo === -Infinity && hi === Infinity) continue; // a free row constrains nothing
    constraints[`r${i}`] = nm.rowLower[i] === nm.rowUpper[i] ? { equal: lo } : { ...(lo > -Infinity ? { min: lo } : {}), ...(hi < Infinity ? { max: hi } : {}) };
  }
  return {
    model: {
      optimize: 'o',
      opType: sense,
      constraints,
      variables,
      ints,
      options: { timeout: Math.max(1, Math.round(timeoutMs)), ...(mipRelGap !== undefined ? { tolerance: mipRelGap } : {}) },
    },
    maps,
  };
}

/** Model x from the library's (sparse) answer. */
function recoverX(maps: ColMap[], r: Record<string, unknown>): Float64Array {
  const val = (k: string) => (typeof r[k] === 'number' ? (r[k] as number) : 0);
  return Float64Array.from(maps, (m, j) => (m.kind === 'split' ? val(`p${j}`) - val(`q${j}`) : m.shift + m.sign * val(`s${j}`)));
}

export class LpSolverBackend implements MilpBackend {
  readonly name = 'lpsolver' as const;

  solve(model: MilpModel, opts: BackendSolveOptions): Promise<SolveResult> {
    return solveSkeleton('lpsolver', model, opts, PRECISION, async ({ nm, run, budgetSec, hardMs }) => {
      const limit = budgetSec();
      const mip = hasIntegers(nm);
      const built = lpSolverModel(nm, model.sense, limit * 1000, opts.mipRelGap);
      const out = await run<{ result: LpSolverResult; timeMs: number }>(
        'lpsolver',
        { model: built.model, precision: PRECISION },
        hardMs(limit),
      );
      if (out.kind !== 'ok') return notOk(out, limit);
      const r = out.value.result;
      const timedOut = out.value.timeMs >= limit * 1000 - 1;
      const raw = `feasible=${r.feasible} bounded=${r.bounded}${mip ? ` isIntegral=${r.isIntegral === true}` : ''}${timedOut ? ' (timeout)' : ''}`;
      const x = recoverX(built.maps, r);
      if (r.bounded === false) {
        if (!mip) return { status: 'unbounded', x: null, rawStatus: raw };
        // An unbounded relaxation leaves the MIP "infeasible or unbounded": the shared
        // zero-objective feasibility step.
        return resolveUnboundedRelaxation(raw, async () => {
          const lim2 = budgetSec();
          const zero = { ...nm, cost: new Float64Array(nm.numCols) };
          const out2 = await run<{ result: LpSolverResult; timeMs: number }>(
            'lpsolver',
            { model: lpSolverModel(zero, model.sense, lim2 * 1000).model, precision: PRECISION },
            hardMs(lim2),
          );
          if (out2.kind !== 'ok') return notOkCheck(out2, lim2);
          const r2 = out2.value.result;
          const rawStatus = `feasible=${r2.feasible} isIntegral=${r2.isIntegral === true}`;
          if (r2.feasible && r2.isIntegral === true) return { verdict: 'feasible', rawStatus };
          if (out2.value.timeMs >= lim2 * 1000 - 1) return { verdict: 'time-limit', rawStatus };
          if (!r2.feasible) return { verdict: 'infeasible', rawStatus };
          return { verdict: 'error', rawStatus };
        });
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
