/**
 * One formula through the whole pipeline, as the hardness, phase-transition and artifacts
 * experiments need it (docs/theory.md §4–§6):
 *
 *   CNF ─ reference SAT solver (src/cnf/sat.ts)          → sat / unsat / unknown, time
 *       ─ reduceCnf (reductions/sat-to-relu.ts)          → ternary bias-free F, size
 *       ─ decideConservative(F) (src/conservative)       → two elements of D^a_F(0), time  (claim 4)
 *       ─ clarkeOne(F) (src/conservative)                → one Clarke subgradient, time    (claim 5)
 *       ─ decideClarke(F) per MILP backend (src/clarke)  → two / singleton / unknown, time (claim 3)
 *
 * and every answer is checked, never trusted:
 *  - a Clarke `two` certificate is re-verified by the independent checker (src/verify), and the
 *    assignment decoded from it (x_i > 0 ↦ true, at the direction whose piece gradient is nonzero:
 *    there F = g·h > 0 by Euler's identity and F ≥ 0) must satisfy the formula;
 *  - the Clarke answer must agree with the reference solver: two ⇔ satisfiable (docs/theory.md §4);
 *  - each conservative element is reproduced by one exact backprop with the reported relu'(0)
 *    choices (src/ad/backward.ts);
 *  - for an unsatisfiable formula ∂^c F(0) = {0}, so clarkeOne must return 0.
 * Disagreements are recorded in the row (`disagreements`) and shouted by the reports.
 */
import { ZERO, vecEq } from '../src/exact/rational';
import { randomKSat } from '../src/cnf/generators/random-ksat';
import { Rng } from '../src/exact/rng';
import { makeCnf, type Cnf } from '../src/cnf/cnf';
import { solveSat } from '../src/cnf/sat';
import { reduceCnf } from '../reductions/sat-to-relu';
import { assignmentFromCertificate } from '../reductions/decide-cnf';
import { decideConservative } from '../src/conservative/decide';
import { clarkeOne } from '../src/conservative/clarke-one';
import { backward } from '../src/ad/backward';
import { decideClarke, type ClarkeSolver } from '../src/clarke/decide';
import { networkToJson } from '../src/network/format';
import { certificateToJson } from '../src/certificate/certificate';
import { verifyCertificate } from '../src/verify/index';
import type { Json } from './runner/types';
import { round, timePerCall } from './common';

export interface FormulaOptions {
  /** Clarke decision procedures (experiments/methods.ts): MILP backends, and bab once available. */
  solvers: readonly string[];
  timeLimitSec: number;
  seed: number;
  /** Skip the conservative/clarkeOne parts (phase-transition only needs the Clarke answer). */
  clarkeOnly?: boolean;
}

const warmed = new Set<string>();

/**
 * Once per thread and solver: run the whole pipeline on a 2-variable formula, so that loading the
 * SAT solver's and the MILP solver's wasm modules, starting the solver worker and V8's JIT are not
 * billed to the first measured formula (they cost up to seconds; the formulas measured, tens of ms).
 */
async function warmUp(solvers: readonly string[]): Promise<void> {
  const todo = ['sat', ...solvers].filter((s) => !warmed.has(s));
  if (todo.length === 0) return;
  const tiny = makeCnf(2, [[1, 2], [-1, 2], [1, -2]]);
  const net = reduceCnf(tiny);
  if (!warmed.has('sat')) {
    solveSat(tiny);
    decideConservative(net, { seed: 1 });
    clarkeOne(net, undefined, 1);
    warmed.add('sat');
  }
  for (const s of solvers) {
    if (warmed.has(s)) continue;
    try {
      await decideClarke(net, decideOptions(s, 10, 1));
      // The branch and bound's hot loops need more than a tiny formula before the JIT has
      // compiled them (else the first formulas of a worker pay for it): four at n = 40.
      if (s === 'bab')
        for (let k = 0; k < 4; k++) {
          const f = randomKSat({ n: 40, m: 170, k: 3 }, new Rng(4000 + k));
          await decideClarke(reduceCnf(f), decideOptions(s, 10, 1));
        }
    } catch {
      // A failing backend shows up, with its message, in the measured rows.
    }
    warmed.add(s);
  }
}

/**
 * decideClarke's options for a formula we reduced ourselves: `reduction: true` because the network
 * is reduceCnf's output by construction (docs/theory.md §6 "Thresholds"), and `trustSolver: true`
 * so that a float solver's infeasibility or optimum counts as `singleton` (recorded with
 * `exact: false` in the row) instead of `unknown`: the experiment measures how long each procedure
 * takes to reach its answer, and checks every answer against the reference SAT solver anyway.
 * Built as a variable (not a literal) so the call compiles against either version of DecideOptions.
 */
function decideOptions(solver: string, timeLimitSec: number, seed: number): Parameters<typeof decideClarke>[1] {
  const o = { solver: solver as ClarkeSolver, timeLimitSec, seed, reduction: true, trustSolver: true };
  return o;
}

/** Flat JSON fields describing one formula's run; `clarke_<solver>_*` per backend. */
export async function runFormula(cnf: Cnf, o: FormulaOptions): Promise<Record<string, Json>> {
  await warmUp(o.solvers);
  const row: Record<string, Json> = { n: cnf.n, m: cnf.clauses.length };
  const disagreements: string[] = [];
  // In-process (no time limit): a limit makes solveSat spawn a child process, whose start-up would
  // swamp the milliseconds it takes on these sizes (n ≤ 50) and distort the comparison.
  const sat = solveSat(cnf);
  row.sat = sat.status;
  // The cheap methods take milliseconds, where one timing on a shared machine is mostly noise
  // (GC, scheduling): their times are medians over repeated calls (timePerCall). The MILP times
  // (seconds) are single runs.
  row.satMs = round(timePerCall(() => solveSat(cnf), 20, 3) * 1000, 3);
  let t0 = performance.now();
  const net = reduceCnf(cnf);
  row.reduceMs = round(performance.now() - t0, 3);
  row.neurons = net.neurons;
  row.layers = net.layers.length;
  row.weights = net.nonzeros;
  if (!o.clarkeOnly) {
    const cons = decideConservative(net, { seed: o.seed });
    row.conservative = cons.answer;
    row.conservativeMs = round(timePerCall(() => decideConservative(net, { seed: o.seed }), 20, 3) * 1000, 4);
    row.conservativeMethod = cons.method;
    // Each element must come out of one backprop with its relu'(0) choices.
    const reproduced = cons.elements.every((el, k) => {
      const ch = cons.choices[k]!;
      return vecEq(backward(net, new Array(net.inputDim).fill(ZERO), { kind: 'per-neuron', s: ch }).gradient, el);
    });
    row.conservativeReproduced = reproduced;
    if (!reproduced) disagreements.push('a conservative element is not reproduced by backprop with its choices');
    if (cons.answer !== 'two') disagreements.push(`conservative answer ${cons.answer} (the reduction's network always has two at 0)`);
    const one = clarkeOne(net, undefined, o.seed);
    row.clarkeOneMs = round(timePerCall(() => clarkeOne(net, undefined, o.seed), 20, 3) * 1000, 4);
    row.clarkeOneZero = one.subgradient.every((v) => v.isZero());
    if (sat.status === 'unsat' && !row.clarkeOneZero) disagreements.push('clarkeOne returned a nonzero subgradient on an unsatisfiable formula (∂^c F(0) = {0})');
  }
  for (const solver of o.solvers) {
    const k = `clarke_${solver}_`;
    t0 = performance.now();
    let ans;
    try {
      ans = await decideClarke(net, decideOptions(solver, o.timeLimitSec, o.seed));
    } catch (e) {
      row[k + 'answer'] = 'error';
      row[k + 'error'] = (e as Error).message.split('\n')[0]!;
      row[k + 'ms'] = round(performance.now() - t0, 1);
      disagreements.push(`${solver}: error ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    row[k + 'answer'] = ans.answer;
    // Whether the answer rests on exact reasoning only (a verified certificate, an exact proof) or
    // on a float solver's status (trusted here, see decideOptions); null if decideClarke does not say.
    row[k + 'exact'] = (ans as { exact?: boolean }).exact ?? null;
    row[k + 'ms'] = round(ans.timeMs, 1);
    row[k + 'binaries'] = ans.binaries;
    row[k + 'binariesBefore'] = ans.binariesBefore;
    row[k + 'restsOn'] = ans.restsOn;
    let certValid: boolean | null = null;
    let decodedSat: boolean | null = null;
    if (ans.answer === 'two') {
      if (!ans.certificate) {
        certValid = false;
        disagreements.push(`${solver}: answer two without a certificate`);
      } else {
        const v = verifyCertificate(networkToJson(net), certificateToJson(ans.certificate));
        certValid = v.valid;
        if (!v.valid) disagreements.push(`${solver}: certificate REJECTED by src/verify: ${v.reason}`);
        decodedSat = assignmentFromCertificate(cnf, net, ans.certificate)?.satisfies ?? false;
        if (!decodedSat) disagreements.push(`${solver}: the assignment decoded from the certificate does not satisfy the formula`);
      }
    }
    row[k + 'certValid'] = certValid;
    row[k + 'decodedSat'] = decodedSat;
    const expected = sat.status === 'sat' ? 'two' : sat.status === 'unsat' ? 'singleton' : null;
    const agrees = ans.answer === 'unknown' || expected === null ? null : ans.answer === expected;
    row[k + 'agrees'] = agrees;
    if (agrees === false) disagreements.push(`${solver}: Clarke answer ${ans.answer} but the reference SAT solver says ${sat.status}`);
  }
  row.disagreements = disagreements;
  return row;
}

/** Per-solver field names of a formula row. */
export const clarkeField = (solver: string, f: 'answer' | 'ms' | 'exact' | 'binaries' | 'restsOn' | 'certValid' | 'agrees' | 'decodedSat'): string => `clarke_${solver}_${f}`;
