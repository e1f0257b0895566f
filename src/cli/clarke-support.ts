/**
 * Small helpers shared by the `clarke` and `decide` commands: option parsing for solvers and time
 * limits, the `--export` writer, and the JSON shape of an answer (rationals as "a/b").
 */
import { availableParallelism } from 'node:os';
import { UserError } from '../errors';
import type { MilpModel, SolverName } from '../milp/model';
import { parseSolverName } from '../milp/backends';
import { writeFileAtomic } from '../io/atomic';
import { toLpFormat } from '../milp/lp-format';
import { toMps } from '../milp/mps-format';
import { certificateToJson } from '../certificate/certificate';
import type { ClarkeAnswer, ClarkeSolver } from '../clarke/decide';

export function parseSolver(text: string | undefined, fallback: SolverName): SolverName {
  return text === undefined ? fallback : parseSolverName(text);
}

/** `--solver` of clarke/decide: a MILP backend name, or `bab` (the exact branch and bound, src/clarke/bab). */
export function parseClarkeSolver(text: string | undefined, fallback: ClarkeSolver): ClarkeSolver {
  if (text === undefined) return fallback;
  return text === 'bab' ? 'bab' : parseSolverName(text);
}

/** `--jobs N` of clarke/decide: threads for the branch and bound; default the cores available. */
export const JOBS_OPTION = ['--jobs <n>', 'threads for the branch and bound after its one-second warm-up (default: the cores available)'] as const;
export function parseJobs(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < 1 || Number(text) > 256) throw new UserError(`--jobs: expected an integer from 1 to 256, got "${text}"`);
  return Number(text);
}

export function exportFormat(path: string): 'lp' | 'mps' {
  if (/\.lp$/i.test(path)) return 'lp';
  if (/\.mps$/i.test(path)) return 'mps';
  throw new UserError(`--export ${path}: expected a file name ending in .lp (CPLEX LP) or .mps`);
}

export function writeModel(path: string, model: MilpModel): void {
  writeFileAtomic(path, exportFormat(path) === 'lp' ? toLpFormat(model) : toMps(model));
}

/**
 * The answer in words (first line of the human output): says whether it is exact, and for a
 * numerical singleton what it rests on.
 */
export function answerLine(a: ClarkeAnswer): string {
  const slack = a.slack !== undefined ? `; the true optimum may differ from the reported one by up to ${a.slack.toPrecision(3)}` : '';
  if (a.answer === 'two') return 'two (exact: certificate checked by the independent verifier)';
  if (a.answer === 'singleton')
    return a.exact
      ? 'singleton (exact)'
      : `singleton (NOT exact: accepted on ${a.solver}'s floating-point word because of --trust-solver; solver status ${a.solverStatus ?? 'n/a'}${slack})`;
  if (a.hint === 'singleton')
    return `unknown (numerically a singleton: ${a.solver} says ${a.solverStatus ?? 'so'}, but that is not an exact proof${slack}; --trust-solver accepts it as singleton)`;
  return 'unknown';
}

/** The JSON object printed for an answer (rationals as integers or "a/b"). */
export function answerJson(a: ClarkeAnswer): Record<string, unknown> {
  const out: Record<string, unknown> = { answer: a.answer, exact: a.exact };
  if (a.hint !== undefined) out.hint = a.hint;
  if (a.solverStatus !== undefined) out.solverStatus = a.solverStatus;
  if (a.slack !== undefined) out.slack = a.slack;
  if (a.subgradients) out.subgradients = a.subgradients.map((g) => g.map((r) => r.toJSON()));
  if (a.certificate) out.certificate = certificateToJson(a.certificate);
  Object.assign(out, {
    restsOn: a.restsOn,
    solver: a.solver,
    timeMs: Math.round(a.timeMs),
    binaries: a.binaries,
    binariesBefore: a.binariesBefore,
    constraints: a.constraints,
  });
  if (a.presolve) out.presolve = { ...a.presolve, timeMs: Math.round(a.presolve.timeMs) };
  if (a.bab) out.bab = { ...a.bab, searchMs: Math.round(a.bab.searchMs), ...(a.bab.checkMs !== undefined ? { checkMs: Math.round(a.bab.checkMs) } : {}) };
  out.solves = a.solves.map((s) => ({ ...s, timeMs: Math.round(s.timeMs) }));
  return out;
}

/** The human summary line of an answer: the MILP's model size only when a MILP was solved. */
export function solverLine(a: ClarkeAnswer): string {
  const head = `solver ${a.solver}, ${(a.timeMs / 1000).toFixed(2)} s`;
  if (a.solves.length > 0) return `${head}, binaries ${a.binariesBefore} → ${a.binaries}, constraints ${a.constraints}`;
  return a.proofLeaves !== undefined ? `${head}, proof of ${a.proofLeaves} leaves` : head;
}
