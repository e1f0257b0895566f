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
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({ options: { 'max-n': { type: 'string', default: '3' }, 'max-clauses': { type: 'string', default: '4' } }, strict: true });
function count(name: 'max-n' | 'max-clauses'): number {
  const v = Number(opts[name]);
  if (!/^\d+$/.test(opts[name]) || !Number.isSafeInteger(v)) {
    process.stderr.write(`--${name}: expected a non-negative integer, got ${opts[name]}\n`);
    process.exit(2);
  }
  return v;
}

const maxN = count('max-n');
const maxClauses = count('max-clauses');
let failed = 0;
for (let n = 0; n <= maxN; n++) {
  const s = runExhaustive({ n, maxClauses, maxWidth: 3, tautologies: true, onProgress: (d) => process.stderr.write(`\rn=${n}: ${d} formulas`) });
  process.stderr.write('\n');
  failed += s.failures.length;
  console.log(JSON.stringify({ ...s, timeMs: Math.round(s.timeMs), failures: s.failures.slice(0, 10) }));
}
process.exitCode = failed > 0 ? 1 : 0;
