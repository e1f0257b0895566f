/**
 * Test-only CLI entry with just the SAT-substrate commands (generate, sat), mapping errors to exit
 * codes exactly as src/cli/main.ts does, so CLI tests do not depend on other areas' commands.
 */
import { Command, CommanderError } from 'commander';
import * as generateCmd from '../../../src/cli/commands/generate';
import * as satCmd from '../../../src/cli/commands/sat';
import { UserError } from '../../../src/errors';

const program = new Command('nsad').exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s) });
generateCmd.register(program);
satCmd.register(program);
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
