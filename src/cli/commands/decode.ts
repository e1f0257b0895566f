/**
 * `nsad decode NET.json --cnf FILE.cnf --at x`: read an assignment off a point (docs/theory.md §4):
 * x_i > 0 ↦ true, checked against every clause. Exit code 0 when the decoded assignment satisfies
 * the formula, 1 when it does not (then F(x) ≤ 0: no assignment is implied), 2 on bad input —
 * including F(x) > 0 with a violated clause, which means NET is not the reduction of FILE.
 */
import type { Command } from 'commander';
import { readNetworkFile } from '../../network/format';
import { evaluateExact } from '../../network/evaluate';
import { readCnfFile } from '../../cnf/dimacs';
import { decodePoint, fileSha256, violatedClauses } from '../../../reductions/sat-to-relu';
import { UserError } from '../../errors';
import { parsePoint } from '../args';

export function register(program: Command): void {
  program
    .command('decode')
    .description('decode a point x of a reduced network into an assignment (x_i > 0 ↦ true) and check it against the CNF; exit 1 if it does not satisfy')
    .argument('<net>', 'network file produced by `nsad reduce`')
    .requiredOption('--cnf <file>', 'the DIMACS CNF the network was reduced from')
    .requiredOption('--at <x>', 'point: comma-separated rationals (1,-1/2,0) or a JSON file')
    .option('--json', 'print one JSON object {value, positive, assignment, satisfies, violated}')
    .action((netPath: string, opts: { cnf: string; at: string; json?: boolean }) => {
      const net = readNetworkFile(netPath);
      const cnf = readCnfFile(opts.cnf);
      const recorded = net.meta['sha256'];
      if (typeof recorded === 'string') {
        const actual = fileSha256(opts.cnf);
        if (recorded !== actual)
          throw new UserError(`${netPath}: meta.sha256 ${recorded.slice(0, 12)}… was reduced from a different file than ${opts.cnf} (sha256 ${actual.slice(0, 12)}…)`);
      }
      const dim = Math.max(cnf.n, 1);
      if (net.inputDim !== dim) throw new UserError(`${netPath}: inputDim ${net.inputDim} does not match ${opts.cnf} (n = ${cnf.n})`);
      const x = parsePoint(opts.at);
      if (x.length !== dim) throw new UserError(`--at: expected ${dim} coordinates, got ${x.length}`);
      const value = evaluateExact(net, x).value;
      const d = decodePoint(cnf, x);
      const positive = value.sign() > 0;
      const violated = d.satisfies ? [] : violatedClauses(cnf, d.assignment);
      if (positive && !d.satisfies)
        throw new UserError(`${netPath}: F(x) = ${value} > 0 but the decoded assignment violates clause ${violated[0]} of ${opts.cnf}: the network is not the reduction of this formula`);
      if (opts.json) {
        console.log(JSON.stringify({ value: value.toJSON(), positive, assignment: d.assignment, satisfies: d.satisfies, violated }));
      } else {
        console.log(`F(x) = ${value}`);
        console.log(`assignment: ${d.assignment.join(' ')}`);
        if (d.satisfies) console.log(`satisfies all ${cnf.clauses.length} clauses`);
        else console.log(`violates ${violated.length} clause(s): ${violated.slice(0, 20).join(', ')}${violated.length > 20 ? ', …' : ''}${positive ? '' : ' (F(x) ≤ 0: no assignment is implied)'}`);
      }
      if (!d.satisfies) process.exitCode = 1;
    });
}
