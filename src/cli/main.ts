/**
 * Process entry: build the program, run it, map errors to exit codes.
 * A UserError prints one line on stderr and exits 2; anything else is a bug and shows its stack.
 */
import { CommanderError } from 'commander';
import { buildProgram } from './program';
import { UserError } from '../errors';

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof UserError) {
    process.stderr.write(`nsad: ${e.message}\n`);
    process.exitCode = 2;
  } else if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    throw e;
  }
}
