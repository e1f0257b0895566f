/**
 * The commander program: one file per command under `commands/`, each exporting
 * `register(program)`. Commands only parse, call the library, print.
 */
import { Command } from 'commander';

import * as evalCmd from './commands/eval';

export function buildProgram(): Command {
  const program = new Command('nsad')
    .description('Complexity of nonsmooth automatic differentiation: exact ReLU networks, conservative vs Clarke subgradients, SAT reductions')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(false);
  for (const cmd of [evalCmd]) cmd.register(program);
  return program;
}
