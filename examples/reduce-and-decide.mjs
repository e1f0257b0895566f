// Reduce a generated 3-SAT formula to a ternary ReLU network and ask the Clarke question at 0
// (docs/theory.md §4, §6): two Clarke subgradients iff the formula is satisfiable. The answer is
// cross-checked three ways: the certificate by the independent verifier, the decoded assignment
// against the clauses, and the verdict against the reference SAT solver.
//
//   node examples/reduce-and-decide.mjs [n] [ratio] [seed]        (defaults 10 4.26 1)
import {
  generatorRng, randomKSat, clausesForRatio, solveSat, reduceCnf, decideClarke,
  assignmentFromCertificate, verifyCertificate, networkToJson, certificateToJson,
} from 'nsad';

const n = Number(process.argv[2] ?? 10);
const ratio = Number(process.argv[3] ?? 4.26);
const seed = Number(process.argv[4] ?? 1);

const cnf = randomKSat({ n, m: clausesForRatio(n, ratio), k: 3 }, generatorRng(seed));
const net = reduceCnf(cnf, { source: `random-3sat n=${n} ratio=${ratio} seed=${seed}` });
console.log(`formula: n=${cnf.n} m=${cnf.clauses.length}; network: ${net.inputDim} inputs, ${net.layers.length} layers, ${net.neurons} neurons`);

const sat = await solveSat(cnf);
const answer = await decideClarke(net, { timeLimitSec: 60, reduction: true });
console.log(`reference SAT solver: ${sat.status}`);
console.log(`Clarke question at 0: ${answer.answer} (exact: ${answer.exact}) in ${answer.timeMs.toFixed(0)} ms, ${answer.binaries} binaries after presolve (${answer.binariesBefore} before)`);
console.log(`rests on: ${answer.restsOn}`);

let ok = true;
if (answer.answer === 'two') {
  const check = verifyCertificate(networkToJson(net), certificateToJson(answer.certificate));
  console.log(`independent verifier: ${check.valid ? 'certificate valid' : `INVALID: ${check.reason}`}`);
  const decoded = assignmentFromCertificate(cnf, net, answer.certificate); // direction with F > 0, x_i > 0 ↦ true
  console.log(`decoded assignment satisfies the formula: ${decoded?.satisfies ?? false}`);
  ok = check.valid && decoded !== null && decoded.satisfies && sat.status === 'sat';
} else if (answer.answer === 'singleton' || answer.hint === 'singleton') {
  ok = sat.status === 'unsat';
}
console.log(ok ? 'consistent: two Clarke subgradients ⇔ satisfiable' : 'DISAGREEMENT (see above)');
process.exitCode = ok ? 0 : 1;
