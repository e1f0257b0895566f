// Audit backpropagation against the Clarke subdifferential (docs/theory.md §3, §5, §6): for each
// network, the gradient that PyTorch's convention relu'(0) = 0 returns at 0, the conservative
// gradient's answer (two elements, linear time), one cheap Clarke subgradient, and the Clarke
// question decided by MILP. Backprop (with relu'(0) = 0 and = 1) is flagged when the Clarke set is
// a singleton {g} and backprop returned something else; the flag says whether the singleton is
// exact or rests on a floating-point solver's word.
//
//   node examples/audit-backprop.mjs
import {
  carryNetwork, reluCarryNetwork, php, reduceCnf, networkOf, backward, PYTORCH, constantPolicy,
  decideConservative, clarkeOne, decideClarke, Rational,
} from 'nsad';

const show = (v) => `[${v.map(String).join(', ')}]`;
const nets = [
  ['carry(x) = relu(x) - relu(-x)  (= x)', carryNetwork(), false],
  ['relu(carry(x))  (= relu(x))', reluCarryNetwork(), false],
  ['x1 + x2, each carried through a layer', networkOf(2, [[[1, 0], [-1, 0], [0, 1], [0, -1]], [[1, -1, 1, -1]]]), false],
  ['|x1| + x2', networkOf(2, [[[1, 0], [-1, 0], [0, 1], [0, -1]], [[1, 1, 1, -1]]]), false],
  // Built here by the reduction, so the reduction rule of docs/theory.md §6 applies.
  ['reduction of PHP(3,2) (unsatisfiable)', reduceCnf(php(2)), true],
];

let flagged = 0;
for (const [name, net, reduction] of nets) {
  const zero = new Array(net.inputDim).fill(Rational.of(0));
  const bp0 = backward(net, zero, PYTORCH).gradient;
  const bp1 = backward(net, zero, constantPolicy(Rational.of(1))).gradient;
  const cons = decideConservative(net);
  const one = clarkeOne(net, zero, 7);
  const clarke = await decideClarke(net, { timeLimitSec: 60, reduction });
  const known = clarke.answer === 'singleton' || clarke.hint === 'singleton';
  // A singleton {g}: g is the one Clarke subgradient, which clarkeOne computes exactly.
  const g = known ? clarke.subgradients?.[0] ?? one.subgradient : null;
  const outside = (v) => g !== null && !v.every((b, i) => b.eq(g[i]));
  const wrong = [[0, bp0], [1, bp1]].filter(([, v]) => outside(v)).map(([s]) => `relu'(0)=${s}`);
  if (outside(bp0)) flagged++;
  console.log(`\n${name}`);
  console.log(`  backprop, relu'(0)=0: ${show(bp0)}   relu'(0)=1: ${show(bp1)}`);
  console.log(`  conservative gradient at 0: ${cons.answer} (${cons.elements.length} elements found, ${cons.method})`);
  console.log(`  one Clarke subgradient (clarkeOne): ${show(one.subgradient)}`);
  console.log(`  Clarke question: ${clarke.answer}${clarke.hint ? ` (hint: ${clarke.hint})` : ''}, exact: ${clarke.exact}`);
  if (g === null) console.log('  Clarke set has two elements or more: no single reference gradient');
  else if (wrong.length === 0) console.log(`  backprop is the Clarke subgradient ${show(g)}`);
  else console.log(`  BACKPROP OUTSIDE the Clarke set {${show(g)}} with ${wrong.join(' and ')}${clarke.exact ? '' : ' (singleton per the solver, not proven exactly)'}`);
}
console.log(`\n${flagged} of ${nets.length} networks: PyTorch-convention backprop returned a non-Clarke element at 0`);
