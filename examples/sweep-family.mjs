// Sweep random 3-SAT across the clause/variable ratio and write one CSV row per formula:
// reference SAT status, the Clarke decision on the reduced network (time, binaries, answer), and
// the conservative decision's time — the hard and the easy side of docs/theory.md §2, claims 3–4.
//
//   node examples/sweep-family.mjs [out.csv] [n] [per-ratio]     (defaults sweep.csv 8 3)
import { writeFileSync } from 'node:fs';
import {
  generatorRng, randomKSat, clausesForRatio, solveSat, reduceCnf, decideConservative, decideClarke,
} from 'nsad';

const out = process.argv[2] ?? 'sweep.csv';
const n = Number(process.argv[3] ?? 8);
const perRatio = Number(process.argv[4] ?? 3);
const ratios = [2, 3, 4, 4.26, 5, 6];

const rows = [['ratio', 'seed', 'n', 'm', 'sat', 'clarke', 'hint', 'exact', 'clarke_ms', 'binaries', 'conservative', 'conservative_ms']];
for (const ratio of ratios) {
  for (let i = 0; i < perRatio; i++) {
    const seed = 1000 * ratio + i;
    const cnf = randomKSat({ n, m: clausesForRatio(n, ratio), k: 3 }, generatorRng(seed));
    const net = reduceCnf(cnf);
    const sat = await solveSat(cnf);
    const cons = decideConservative(net);
    const cl = await decideClarke(net, { timeLimitSec: 30, reduction: true });
    rows.push([ratio, seed, n, cnf.clauses.length, sat.status, cl.answer, cl.hint ?? '', cl.exact, cl.timeMs.toFixed(1), cl.binaries, cons.answer, cons.timeMs.toFixed(3)]);
    process.stderr.write(`ratio ${ratio} seed ${seed}: ${sat.status}, Clarke ${cl.answer} (${cl.timeMs.toFixed(0)} ms)\n`);
  }
}
writeFileSync(out, rows.map((r) => r.join(',')).join('\n') + '\n');
const decided = rows.slice(1).filter((r) => r[5] !== 'unknown').length;
console.log(`${out}: ${rows.length - 1} formulas, ${decided} decided`);
