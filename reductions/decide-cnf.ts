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
import { decideClarke, type ClarkeAnswer, type DecideOptions } from '../src/clarke/decide';
import type { ClarkeCertificate } from '../src/certificate/certificate';

/**
 * decideClarke's answer on a CNF's reduction, read back: satisfiable (true, false, or null when
 * unknown), the checked assignment when satisfiable, and the network's size.
 */
export interface CnfAnswer extends ClarkeAnswer {
  satisfiable: boolean | null;
  /** Signed literal per variable 1..n, checked to satisfy the formula. */
  assignment?: number[];
  network: { inputs: number; neurons: number; layers: number };
}

/**
 * SAT through the Clarke question (docs/theory.md §4, §6): reduce, decide at 0 with the reduction
 * rule (this function built the network), and decode a satisfying assignment from the certificate.
 * The network is returned too.
 */
export async function decideCnf(cnf: Cnf, opts: Omit<DecideOptions, 'at' | 'reduction'> = {}): Promise<CnfAnswer & { net: Network }> {
  const net = reduceCnf(cnf);
  const a = await decideClarke(net, { ...opts, reduction: true });
  const network = { inputs: net.inputDim, neurons: net.neurons, layers: net.layers.length };
  if (a.answer === 'two') {
    const d = assignmentFromCertificate(cnf, net, a.certificate!);
    if (d === null) throw new Error('internal: a certificate of two subgradients at 0 without a direction where F > 0');
    if (!d.satisfies) throw new Error('internal: a point with F > 0 decoded to a non-satisfying assignment (reduction bug)');
    return { ...a, satisfiable: true, assignment: d.assignment, network, net };
  }
  return { ...a, satisfiable: a.answer === 'singleton' ? false : null, network, net };
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
