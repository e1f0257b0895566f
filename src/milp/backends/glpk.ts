/**
 * GLPK 5.0 (npm `glpk.js`, WebAssembly; `glpk.js/node`, synchronous solve) in a worker thread.
 *
 * Pitfalls handled (docs/benchmarks.md#solvers): `tmlim` is in seconds; messages off (anything else
 * writes to stdout); `result.status` is GLPK's: 1 undefined, 2 feasible (time limit with an
 * incumbent), 4 no feasible solution, 5 optimal, 6 unbounded. For a MIP, glp_intopt with presolve
 * leaves the status *undefined* both on a time limit without incumbent and when the LP relaxation is
 * unbounded; we tell the two apart with follow-up solves (relaxation, then zero objective). For an
 * LP we solve without presolve, since GLPK's LP presolver also reports infeasible/unbounded LPs as
 * undefined. GLPK's integrality tolerance is fixed at 1e-5.
 */
import type { MilpBackend, MilpModel, SolveResult } from '../model';
import { hasIntegers, notOk, solveSkeleton, type Interpreted, type NormalizedModel } from './common';
import type { BackendSolveOptions } from './common';

const GLP_MIN = 1;
const GLP_MAX = 2;
const GLP_FR = 1;
const GLP_LO = 2;
const GLP_UP = 3;
const GLP_DB = 4;
const GLP_FX = 5;

const STATUS_TEXT: Record<number, string> = {
  1: 'GLP_UNDEF (undefined)',
  2: 'GLP_FEAS (feasible)',
  3: 'GLP_INFEAS (infeasible)',
  4: 'GLP_NOFEAS (no feasible solution)',
  5: 'GLP_OPT (optimal)',
  6: 'GLP_UNBND (unbounded)',
};

/** GLPK's integrality tolerance (tol_int, fixed in glpk.js). */
const INT_TOL = 1e-5;

interface GlpkRaw {
  status: number;
  z: number;
  vars: Record<string, number>;
  timeMs: number;
}

function boundType(lo: number, hi: number): number {
  if (lo === -Infinity && hi === Infinity) return GLP_FR;
  if (hi === Infinity) return GLP_LO;
  if (lo === -Infinity) return GLP_UP;
  return lo === hi ? GLP_FX : GLP_DB;
}

/** Column j is named `x<j>`, row i `r<i>`: the model's own names need no sanitizing here. */
function glpkLp(nm: NormalizedModel, sense: 'min' | 'max', cost: Float64Array, integers: boolean) {
  const objVars: { name: string; coef: number }[] = [];
  for (let j = 0; j < nm.numCols; j++) objVars.push({ name: `x${j}`, coef: cost[j]! });
  const subjectTo = [];
  for (let i = 0; i < nm.numRows; i++) {
    const vars: { name: string; coef: number }[] = [];
    for (let k = nm.starts[i]!; k < nm.starts[i + 1]!; k++) vars.push({ name: `x${nm.indices[k]}`, coef: nm.values[k]! });
    const lo = nm.rowLower[i]!;
    const hi = nm.rowUpper[i]!;
    subjectTo.push({ name: `r${i}`, vars, bnds: { type: boundType(lo, hi), lb: Number.isFinite(lo) ? lo : 0, ub: Number.isFinite(hi) ? hi : 0 } });
  }
  const bounds = [];
  const generals: string[] = [];
  for (let j = 0; j < nm.numCols; j++) {
    const lo = nm.colLower[j]!;
    const hi = nm.colUpper[j]!;
    bounds.push({ name: `x${j}`, type: boundType(lo, hi), lb: Number.isFinite(lo) ? lo : 0, ub: Number.isFinite(hi) ? hi : 0 });
    if (integers && nm.integer[j]) generals.push(`x${j}`);
  }
  return {
    name: 'nsad',
    objective: { direction: sense === 'max' ? GLP_MAX : GLP_MIN, name: 'obj', vars: objVars },
    subjectTo,
    bounds,
    generals,
  };
}

function readX(nm: NormalizedModel, vars: Record<string, number>): Float64Array {
  const x = new Float64Array(nm.numCols);
  for (let j = 0; j < nm.numCols; j++) x[j] = vars[`x${j}`] ?? 0;
  return x;
}

export class GlpkBackend implements MilpBackend {
  readonly name = 'glpk' as const;

  solve(model: MilpModel, opts: BackendSolveOptions): Promise<SolveResult> {
    return solveSkeleton('glpk', model, opts, INT_TOL, async ({ nm, run, budgetSec, hardMs }) => {
      const mip = hasIntegers(nm);
      const call = async (cost: Float64Array, integers: boolean): Promise<GlpkRaw | Interpreted> => {
        const limit = budgetSec();
        // glpk.js turns tmlim into int32 milliseconds: cap it (24 days is "no limit" here).
        const options: Record<string, number | boolean> = { tmlim: Math.min(limit, 2_000_000), presol: integers };
        // A huge relative gap makes GLPK stop at its first incumbent (reported as GLP_OPT; we
        // report it as 'feasible' below).
        if (opts.firstFeasible) options.mipgap = 1e300;
        else if (opts.mipRelGap !== undefined) options.mipgap = opts.mipRelGap;
        const out = await run<GlpkRaw>('glpk', { lp: glpkLp(nm, model.sense, cost, integers), options }, hardMs(limit));
        return out.kind === 'ok' ? out.value : notOk(out, limit);
      };
      const t = performance.now();
      const first = await call(nm.cost, mip);
      if (!('vars' in first)) return first;
      const raw = STATUS_TEXT[first.status] ?? `status ${first.status}`;
      switch (first.status) {
        case 5:
          return { status: mip && opts.firstFeasible ? 'feasible' : 'optimal', x: readX(nm, first.vars), rawStatus: raw };
        case 2:
          return { status: 'feasible', x: readX(nm, first.vars), rawStatus: raw };
        case 3:
        case 4:
          return { status: 'infeasible', x: null, rawStatus: raw };
        case 6:
          return { status: 'unbounded', x: null, rawStatus: raw };
        case 1: {
          if (!mip) return { status: 'error', x: null, rawStatus: raw };
          // Time limit without an incumbent, or an unbounded relaxation (GLP_ENODFS)?
          if (budgetSec() <= 0.05 || (performance.now() - t) / 1000 >= opts.timeLimitSec * 0.95) {
            return { status: 'time-limit', x: null, rawStatus: `${raw} at the time limit` };
          }
          const relax = await call(nm.cost, false);
          if (!('vars' in relax)) return { ...relax, rawStatus: `${raw}; relaxation: ${relax.rawStatus}` };
          if (relax.status !== 6) return { status: 'error', x: null, rawStatus: `${raw}; relaxation: ${STATUS_TEXT[relax.status] ?? relax.status}` };
          const feas = await call(new Float64Array(nm.numCols), true);
          if (!('vars' in feas)) return { ...feas, rawStatus: `${raw}; relaxation unbounded; feasibility: ${feas.rawStatus}` };
          const raw3 = `${raw}; relaxation unbounded; feasibility: ${STATUS_TEXT[feas.status] ?? feas.status}`;
          // Meyer (1974): a feasible MILP with rational data and an unbounded relaxation is unbounded.
          if (feas.status === 5 || feas.status === 2) return { status: 'unbounded', x: null, rawStatus: raw3 };
          if (feas.status === 4) return { status: 'infeasible', x: null, rawStatus: raw3 };
          return { status: 'time-limit', x: null, rawStatus: raw3 };
        }
        default:
          return { status: 'error', x: null, rawStatus: raw };
      }
    });
  }
}
