/**
 * Run a commander program and map errors to exit codes: a UserError prints one line on stderr and
 * exits 2; a commander usage error exits 2 (help/version 0); anything else is a bug and rethrows
 * with its stack.
 */
import { CommanderError, type Command } from 'commander';
import { UserError } from '../errors';

export async function runProgram(program: Command, argv: readonly string[]): Promise<void> {
  try {
    await program.parseAsync(argv as string[]);
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
}
