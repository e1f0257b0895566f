/**
 * SAT through the Clarke question (docs/theory.md §4, §6): reduce the CNF to its ternary network F,
 * decide whether ∂^c F(0) has two elements, and read the answer back:
 *   two       ⇒ satisfiable; a certificate direction h with F(h) > 0 decodes (x_i > 0 ↦ true) to
 *               an assignment, which is checked against the formula;
 *   singleton ⇒ unsatisfiable (rests on what decideClarke's `restsOn` says; `exact` says whether
 *               that is exact — a float solver's "F ≥ 1 infeasible" is answered `singleton` only
 *               with `trustSolver`, else `unknown` with `hint: 'singleton'`);
 *   unknown   ⇒ satisfiable: null.
 * `reduction: true` is passed because this function built the network itself: the rule never
 * rests on a file's `meta`.
 */
import type { Cnf } from '../src/cnf/cnf';
import { reduceCnf, decodePoint } from './sat-to-relu';
import { evaluateExact } from '../src/network/evaluate';
import type { Network } from '../src/network/network';
import { decideClarke, DEFAULT_CLARKE_SOLVER, type ClarkeAnswer, type DecideOptions } from '../src/clarke/decide';
import { TimeLimitReached } from '../src/errors';
import type { ClarkeCertificate } from '../src/certificate/certificate';

/**
 * decideClarke's answer on a CNF's reduction, read back: satisfiable (true, false, or null when
 * unknown), the checked assignment when satisfiable, and the network's size.
 */
export interface CnfAnswer extends ClarkeAnswer {
  satisfiable: boolean | null;
  /** Signed literal per variable 1..n, checked to satisfy the formula. */
  assignment?: number[];
  /** The reduced network's size; null when the time limit passed before it was built. */
  network: { inputs: number; neurons: number; layers: number } | null;
}

/**
 * Options of decideCnf: decideClarke's. `timeLimitSec` runs from `startedAt` (default: the call)
 * and covers the reduction too; the CLI passes its own start, so that it covers the whole command.
 */
export type DecideCnfOptions = Omit<DecideOptions, 'at' | 'reduction'>;

/**
 * SAT through the Clarke question (docs/theory.md §4, §6): reduce, decide at 0 with the reduction
 * rule (this function built the network), and decode a satisfying assignment from the certificate.
 * The network is returned too (null when the time limit passed during the reduction).
 *
 * `timeLimitSec` (default 60) covers the reduction and the decision, from `startedAt`: when it
 * passes during the reduction, the answer is `unknown` and says so, without a network.
 */
export async function decideCnf(cnf: Cnf, opts: DecideCnfOptions = {}): Promise<CnfAnswer & { net: Network | null }> {
  const t0 = opts.startedAt ?? performance.now();
  const limitSec = opts.timeLimitSec ?? 60;
  const deadline = t0 + limitSec * 1000;
  let net: Network;
  try {
    net = reduceCnf(cnf, {}, { deadline });
  } catch (e) {
    if (!(e instanceof TimeLimitReached)) throw e;
    return { ...timeUpAnswer(t0, limitSec, e.during, opts), net: null };
  }
  if (performance.now() >= deadline) return { ...timeUpAnswer(t0, limitSec, 'the reduction', opts), net };
  const a = await decideClarke(net, { ...opts, startedAt: t0, timeLimitSec: limitSec, reduction: true });
  const network = { inputs: net.inputDim, neurons: net.neurons, layers: net.layers.length };
  if (a.answer === 'two') {
    const d = assignmentFromCertificate(cnf, net, a.certificate!);
    if (d === null) throw new Error('internal: a certificate of two subgradients at 0 without a direction where F > 0');
    if (!d.satisfies) throw new Error('internal: a point with F > 0 decoded to a non-satisfying assignment (reduction bug)');
    return { ...a, satisfiable: true, assignment: d.assignment, network, net };
  }
  return { ...a, satisfiable: a.answer === 'singleton' ? false : null, network, net };
}

/** The `unknown` answer when the time limit passed before the Clarke question was asked. */
export function timeUpAnswer(t0: number, limitSec: number, during: string, opts: Pick<DecideOptions, 'solver'>): CnfAnswer {
  return {
    answer: 'unknown',
    exact: false,
    satisfiable: null,
    restsOn: `nothing: the time limit (${limitSec} s, the whole command) was reached during ${during}`,
    solver: opts.solver ?? DEFAULT_CLARKE_SOLVER,
    timeMs: performance.now() - t0,
    binaries: 0,
    binariesBefore: 0,
    constraints: 0,
    solves: [],
    reduction: true,
    network: null,
  };
}

/**
 * The one rule from a Clarke certificate at 0 to an assignment (docs/theory.md §4): take the first
 * certificate direction h with F(h) > 0 (exact) and decode it, x_i > 0 ↦ true. F(h) > 0 means every
 * clause has a literal positive at h, so the decoded assignment satisfies the formula whenever `net`
 * is the reduction of `cnf`; `satisfies` reports the check against the clauses. Null when no
 * direction has F(h) > 0 (a certificate of another network, or of a point other than 0).
 */
export function assignmentFromCertificate(
  cnf: Cnf,
  net: Network,
  cert: ClarkeCertificate,
): { direction: number; assignment: number[]; satisfies: boolean } | null {
  for (let k = 0; k < cert.directions.length; k++) {
    const h = cert.directions[k]!;
    if (evaluateExact(net, h).value.sign() <= 0) continue;
    const d = decodePoint(cnf, h);
    return { direction: k, assignment: d.assignment, satisfies: d.satisfies };
  }
  return null;
}
