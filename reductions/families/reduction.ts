/**
 * The reduction of any formula family (docs/theory.md §4): F = the ternary network of a generated
 * CNF (reductions/sat-to-relu.ts), at 0. ∂^c F(0) has two elements iff the formula is
 * satisfiable, so the formula's status — by construction, Gaussian elimination or the reference
 * solver, as its CNF manifest entry says — is the expected answer; the formula is written beside
 * the network. The network is the reduction by construction (the decision may use the reduction
 * rule of docs/theory.md §6).
 */
import { ZERO } from '../../src/exact/rational';
import { generateBatch, type FamilySpec } from '../../src/cnf/generate';
import { parseDimacs } from '../../src/cnf/dimacs';
import { reduceCnf } from '../sat-to-relu';
import type { NetInstance } from './types';

export function reductionOf(formula: FamilySpec, seed: number, solve: boolean): NetInstance {
  const [f] = generateBatch(formula, { count: 1, seed, solve });
  const cnf = parseDimacs(f!.text, f!.name, { strict: true });
  const e = f!.entry;
  const stem = f!.name.replace(/\.cnf$/, '');
  const net = reduceCnf(cnf, { source: f!.name, command: e.command });
  const expected = e.status === 'sat' ? 'two' : e.status === 'unsat' ? 'singleton' : 'unknown';
  return {
    name: `reduction-${stem}`,
    family: 'reduction',
    params: { formula: e.family, ...e.params },
    seed: e.seed,
    net,
    at: new Array(net.inputDim).fill(ZERO),
    expected,
    construction:
      expected === 'unknown'
        ? `the reduction of ${f!.name} (docs/theory.md §4), whose status is not known at generation`
        : `the reduction of ${f!.name}, ${e.status === 'sat' ? 'satisfiable' : 'unsatisfiable'} (${e.statusSource}): ∂^c F(0) has two elements iff the formula is satisfiable (docs/theory.md §4)`,
    formula: { text: f!.text, entry: e },
    reduction: true,
  };
}
