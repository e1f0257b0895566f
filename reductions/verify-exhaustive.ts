/**
 * Run the exhaustive verification of the reduction (exhaustive.ts) on EVERY formula with
 * n ≤ 3 variables and ≤ 4 distinct clauses of width 1..3, tautological clauses included, and print
 * one JSON summary per n. Exit code 1 on any failure.
 *
 *     npx tsx reductions/verify-exhaustive.ts [--max-n 3] [--max-clauses 4]
 *
 * (The unit tests run n ≤ 2 in full, n = 3 without tautologies in full, and a seeded sample of the
 * rest, to stay fast; this script is the complete run.)
 */
import { runExhaustive } from './exhaustive';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(v) || v < 0) {
    process.stderr.write(`${name}: expected a non-negative integer, got ${process.argv[i + 1]}\n`);
    process.exit(2);
  }
  return v;
}

const maxN = arg('--max-n', 3);
const maxClauses = arg('--max-clauses', 4);
let failed = 0;
for (let n = 0; n <= maxN; n++) {
  const s = runExhaustive({ n, maxClauses, maxWidth: 3, tautologies: true, onProgress: (d) => process.stderr.write(`\rn=${n}: ${d} formulas`) });
  process.stderr.write('\n');
  failed += s.failures.length;
  console.log(JSON.stringify({ ...s, timeMs: Math.round(s.timeMs), failures: s.failures.slice(0, 10) }));
}
process.exitCode = failed > 0 ? 1 : 0;
