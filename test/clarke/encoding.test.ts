import { describe, it, expect } from 'vitest';
import { Rational, ZERO } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { localize } from '../../src/clarke/localize';
import { presolve } from '../../src/clarke/presolve';
import { evalExpr, type ReluDag, type LinExpr } from '../../src/network/dag';
import { encodeReluDag, nonincreasingNeurons } from '../../src/milp/relu-encoding';
import { randomKSat } from '../../src/cnf/generators/random-ksat';
import { reduceCnf } from '../../reductions/sat-to-relu';
import { randomNetwork, randomPoint, zeros } from './helpers';

/** R(x) with y_k = relu(z_k) + slack on one neuron, downstream recomputed (exact). */
function evalWithSlack(dag: ReluDag, expr: LinExpr, x: Rational[], k: number, slack: Rational): Rational {
  const nodes = x.slice();
  dag.neurons.forEach((e, j) => {
    const z = evalExpr(e, nodes);
    const y = z.sign() > 0 ? z : ZERO;
    nodes.push(j === k ? y.add(slack) : y);
  });
  return evalExpr(expr, nodes);
}

describe('monotone relaxation (no binary where the row can only decrease)', () => {
  it('every neuron it relaxes is one along which the row is nonincreasing (exact sampling)', () => {
    const rng = new Rng(31);
    let relaxedSeen = 0;
    for (let trial = 0; trial < 40; trial++) {
      const net =
        trial % 2 === 0
          ? randomNetwork(rng, { p: 3, widths: [4, 4, 3], wmax: 1, density: 0.6 })
          : reduceCnf(randomKSat({ n: 4, m: 8, k: 3 }, rng));
      const pres = presolve(localize(net, zeros(net.inputDim)).dag);
      const sign = trial % 4 < 2 ? 1 : -1;
      const top = pres.dag.neurons.length - 1;
      const rel = nonincreasingNeurons(pres.dag, pres.dag.output, sign, top);
      rel.forEach((r, k) => {
        if (!r) return;
        relaxedSeen++;
        for (let t = 0; t < 15; t++) {
          const x = randomPoint(rng, net.inputDim, 5);
          const s = Rational.of(rng.int(1, 40), 7);
          const base = evalWithSlack(pres.dag, pres.dag.output, x, k, ZERO);
          const up = evalWithSlack(pres.dag, pres.dag.output, x, k, s);
          const d = up.sub(base);
          expect(sign > 0 ? d.sign() <= 0 : d.sign() >= 0).toBe(true);
        }
      });
    }
    expect(relaxedSeen).toBeGreaterThan(20);
  });

  it('frees the min-gadget neurons of the reduction: binaries = 2 per 3-clause', () => {
    const rng = new Rng(32);
    const cnf = randomKSat({ n: 10, m: 40, k: 3 }, rng);
    const net = reduceCnf(cnf);
    const pres = presolve(localize(net, zeros(net.inputDim)).dag);
    const enc = encodeReluDag(pres.dag, pres.lo, pres.hi, pres.dag.output, { kind: 'feasibility', sign: 1, threshold: 1 });
    expect(enc.relaxed).toBe(cnf.clauses.length - 1);
    expect(enc.binaries).toBeLessThanOrEqual(2 * cnf.clauses.length); // merged duplicate sub-maxima can save more
    const off = encodeReluDag(pres.dag, pres.lo, pres.hi, pres.dag.output, { kind: 'feasibility', sign: 1, threshold: 1 }, { monotone: false });
    expect(off.binaries).toBe(enc.binaries + enc.relaxed);
  });
});
