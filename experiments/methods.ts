/**
 * Which exact procedures decide the Clarke question in the experiments (`--methods`).
 *
 * A method is a name `decideClarke` accepts as `solver` (ClarkeSolver): the network
 * branch-and-bound `bab` (src/clarke/bab, exact proofs) and the MILP backends of src/milp (highs,
 * glpk, lpsolver). MILP backends are probed at run time through the solver-name parser, so a
 * backend registered later is picked up without touching the experiments.
 */
import { parseSolverName } from '../src/milp/backends';
import { SOLVER_NAMES } from '../src/milp/model';
import type { ClarkeSolver } from '../src/clarke/decide';
import { UserError } from '../src/errors';

/** decideClarke's own procedures beyond the MILP backends. */
const NATIVE: readonly ClarkeSolver[] = ['bab'];
const PROBED: readonly string[] = NATIVE;

function accepted(name: string): boolean {
  if ((NATIVE as readonly string[]).includes(name)) return true;
  try {
    parseSolverName(name);
    return true;
  } catch {
    return false;
  }
}

/** Every method this build can run, fastest first where known (bab, highs, glpk, lpsolver). */
export function availableMethods(): string[] {
  const all = [...new Set([...PROBED, ...SOLVER_NAMES])].filter(accepted);
  const rank = (m: string): number => ['bab', 'highs', 'glpk', 'lpsolver'].indexOf(m) >>> 0;
  return all.sort((a, b) => rank(a) - rank(b));
}

/**
 * The default: every available backend except javascript-lp-solver (it finished none of the
 * reduction models of docs/benchmarks.md#solvers within minutes; ask for it with --methods).
 */
export function defaultMethods(): string[] {
  return availableMethods().filter((m) => m !== 'lpsolver');
}

/** Parse `--methods a,b`: known, available, no repeats. UserError naming the bad item. */
export function parseMethods(text: string): string[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UserError(`--methods: expected a comma-separated list, e.g. highs,glpk (available: ${availableMethods().join(', ')})`);
  const seen = new Set<string>();
  for (const m of items) {
    if (!accepted(m)) throw new UserError(`--methods: unknown or unavailable method "${m}"; available: ${availableMethods().join(', ')}`);
    if (seen.has(m)) throw new UserError(`--methods: "${m}" given twice`);
    seen.add(m);
  }
  return items;
}

/** The method the single-method parts (phase transition, the claim's fit) use: the fastest given. */
export function fastestMethod(methods: readonly string[]): string {
  const order = availableMethods();
  return methods.slice().sort((a, b) => (order.indexOf(a) >>> 0) - (order.indexOf(b) >>> 0))[0] ?? 'highs';
}

export const asSolver = (m: string): ClarkeSolver => m as ClarkeSolver;
