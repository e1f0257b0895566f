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
import { hasIntegers, notOk, resolveUnboundedRelaxation, solveSkeleton, type Interpreted, type NormalizedModel } from './common';
import type { BackendSolveOptions } from './common';

const GLP_MIN = 1;
const GLP_MAX = 2;
const GLP_FR = 1;
const GLP_LO = 2;
const GLP_UP = 3;
const GLP_DB = 4;
const GLP_FX = 5;

/** GLPK solution status codes (`result.status`). */
const GLP_UNDEF = 1;
const GLP_FEAS = 2;
const GLP_INFEAS = 3;
const GLP_NOFEAS = 4;
const GLP_OPT = 5;
const GLP_UNBND = 6;

const STATUS_TEXT: Record<number, string> = {
  [GLP_UNDEF]: 'GLP_UNDEF (undefined)',
  [GLP_FEAS]: 'GLP_FEAS (feasible)',
  [GLP_INFEAS]: 'GLP_INFEAS (infeasible)',
  [GLP_NOFEAS]: 'GLP_NOFEAS (no feasible solution)',
  [GLP_OPT]: 'GLP_OPT (optimal)',
  [GLP_UNBND]: 'GLP_UNBND (unbounded)',
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
        case GLP_OPT:
          return { status: mip && opts.firstFeasible ? 'feasible' : 'optimal', x: readX(nm, first.vars), rawStatus: raw };
        case GLP_FEAS:
          return { status: 'feasible', x: readX(nm, first.vars), rawStatus: raw };
        case GLP_INFEAS:
        case GLP_NOFEAS:
          return { status: 'infeasible', x: null, rawStatus: raw };
        case GLP_UNBND:
          return { status: 'unbounded', x: null, rawStatus: raw };
        case GLP_UNDEF: {
          if (!mip) return { status: 'error', x: null, rawStatus: raw };
          // Time limit without an incumbent, or an unbounded relaxation (GLP_ENODFS)?
          if (budgetSec() <= 0.05 || (performance.now() - t) / 1000 >= opts.timeLimitSec * 0.95) {
            return { status: 'time-limit', x: null, rawStatus: `${raw} at the time limit` };
          }
          const relax = await call(nm.cost, false);
          if (!('vars' in relax)) return { ...relax, rawStatus: `${raw}; relaxation: ${relax.rawStatus}` };
          if (relax.status !== GLP_UNBND) return { status: 'error', x: null, rawStatus: `${raw}; relaxation: ${STATUS_TEXT[relax.status] ?? relax.status}` };
          // The relaxation is unbounded: the shared zero-objective feasibility step.
          return resolveUnboundedRelaxation(`${raw}; relaxation unbounded`, async () => {
            const feas = await call(new Float64Array(nm.numCols), true);
            if (!('vars' in feas)) return { verdict: feas.status === 'time-limit' ? 'time-limit' : 'error', rawStatus: feas.rawStatus };
            const text = STATUS_TEXT[feas.status] ?? `status ${feas.status}`;
            if (feas.status === GLP_OPT || feas.status === GLP_FEAS) return { verdict: 'feasible', rawStatus: text };
            if (feas.status === GLP_NOFEAS || feas.status === GLP_INFEAS) return { verdict: 'infeasible', rawStatus: text };
            return { verdict: 'time-limit', rawStatus: text };
          });
        }
        default:
          return { status: 'error', x: null, rawStatus: raw };
      }
    });
  }
}
