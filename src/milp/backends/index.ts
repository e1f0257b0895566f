/**
 * The MILP backends behind one interface (`MilpBackend`, ../model.ts). Every backend runs its
 * solver in a worker thread with a watchdog (./runner.ts), so `timeLimitSec` holds even for a
 * solver that blocks its thread or has no time limit of its own.
 */
import { SOLVER_NAMES, type MilpBackend, type SolverName } from '../model';
import { UserError } from '../../errors';
import { GlpkBackend } from './glpk';
import { HighsBackend } from './highs';
import { LpSolverBackend } from './lpsolver';

export { shutdownWorkers } from './runner';
export { HighsBackend, solveTextWithHighs, readModelText } from './highs';
export { GlpkBackend } from './glpk';
export { LpSolverBackend } from './lpsolver';
export { raceSolve } from './race';

/**
 * The default backend: the fastest on the benchmark models (README.md, "MILP backends" has the figures;
 * HiGHS is faster than GLPK and javascript-lp-solver on every model measured).
 */
export const DEFAULT_SOLVER: SolverName = 'highs';

/**
 * The MILP backend of that name (highs, glpk, lpsolver); every solve runs in a worker thread with
 * a watchdog at the time limit.
 */
export function getBackend(name: SolverName): MilpBackend {
  switch (name) {
    case 'highs':
      return new HighsBackend();
    case 'glpk':
      return new GlpkBackend();
    case 'lpsolver':
      return new LpSolverBackend();
    default:
      throw new UserError(`unknown solver ${JSON.stringify(name)}; expected one of ${SOLVER_NAMES.join(', ')}`);
  }
}

/** Parse a `--solver` value. */
export function parseSolverName(s: string): SolverName {
  if ((SOLVER_NAMES as readonly string[]).includes(s)) return s as SolverName;
  throw new UserError(`--solver: unknown solver ${JSON.stringify(s)}; expected one of ${SOLVER_NAMES.join(', ')}`);
}
