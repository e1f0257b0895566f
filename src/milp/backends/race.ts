/**
 * Run several backends on the same model at once and keep the first conclusive answer.
 *
 * WHY: on the Clarke feasibility models the solvers' times are erratic and uncorrelated: on the
 * presolved uf20-91 models GLPK answered in 0.1–1.3 s on five of eight files and hit a 60 s limit on
 * the other three, where HiGHS took 3–5 s (README.md, "MILP backends"). With two cores, racing them costs
 * a second core and takes the minimum. The loser's worker thread is terminated at once.
 *
 * Conclusive: `optimal`, `infeasible`, `unbounded`, or `feasible` when `firstFeasible` was asked.
 * When no backend is conclusive, the result is the first `feasible` one (it carries an x), else the
 * first backend's. `solver` names the backend whose answer is returned; `rawStatus` says it raced.
 */
import type { MilpModel, SolveOptions, SolveResult, SolverName } from '../model';
import type { BackendSolveOptions } from './common';
import { GlpkBackend } from './glpk';
import { HighsBackend } from './highs';
import { LpSolverBackend } from './lpsolver';

const MAKE: Record<SolverName, () => { solve(m: MilpModel, o: BackendSolveOptions): Promise<SolveResult> }> = {
  highs: () => new HighsBackend(),
  glpk: () => new GlpkBackend(),
  lpsolver: () => new LpSolverBackend(),
};

function conclusive(r: SolveResult, opts: SolveOptions): boolean {
  return r.status === 'optimal' || r.status === 'infeasible' || r.status === 'unbounded' || (r.status === 'feasible' && opts.firstFeasible === true);
}

/**
 * Pre: `solvers` non-empty and distinct. Post: resolves within the slowest backend's bound
 * (each honours `timeLimitSec` with its watchdog), usually as soon as the fastest is conclusive.
 */
export async function raceSolve(model: MilpModel, opts: SolveOptions, solvers: readonly SolverName[] = ['highs', 'glpk']): Promise<SolveResult> {
  if (solvers.length === 0) throw new RangeError('raceSolve needs at least one solver');
  const ac = new AbortController();
  const t0 = performance.now();
  const results: (SolveResult | null)[] = solvers.map(() => null);
  const tag = `race(${solvers.join(',')})`;
  return new Promise<SolveResult>((resolve, reject) => {
    let done = false;
    let left = solvers.length;
    solvers.forEach((name, k) => {
      MAKE[name]()
        .solve(model, { ...opts, signal: ac.signal })
        .then((r) => {
          results[k] = r;
          left--;
          if (done) return;
          if (conclusive(r, opts)) {
            done = true;
            ac.abort();
            resolve({ ...r, timeMs: performance.now() - t0, rawStatus: `${tag}: ${name} first: ${r.rawStatus}` });
          } else if (left === 0) {
            done = true;
            const pick = results.find((x) => x !== null && x.status === 'feasible') ?? results[0]!;
            const all = results.map((x, j) => `${solvers[j]}: ${x!.status} (${x!.rawStatus})`).join('; ');
            resolve({ ...pick, timeMs: performance.now() - t0, rawStatus: `${tag}: none conclusive; ${all}` });
          }
        })
        .catch((e: unknown) => {
          if (!done) {
            done = true;
            ac.abort();
            reject(e);
          }
        });
    });
  });
}
