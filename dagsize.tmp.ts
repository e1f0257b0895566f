import { reduceCnf } from './reductions/sat-to-relu';
import { parseDimacs } from './src/cnf/dimacs';
import { babProblem } from './src/clarke/bab/index';
import { ZERO } from './src/exact/rational';
import { readFileSync } from 'node:fs';
for (const f of process.argv.slice(2)) {
  const cnf = parseDimacs(readFileSync(f, 'utf8'), f);
  const net = reduceCnf(cnf);
  const t = performance.now();
  const prob = babProblem(net, Array.from({ length: net.inputDim }, () => ZERO));
  let terms = 0; for (const n of prob.dag.nodes) terms += n.ids.length;
  console.log(f.split('/').pop(), 'n', cnf.numVars, 'm', cnf.clauses.length, 'neurons', net.neurons, 'dag nodes', prob.dag.nodes.length, 'terms', terms, 'out terms', prob.dag.output.size, 'ms', (performance.now() - t).toFixed(0));
}
