/**
 * Test-only CLI entry with just the SAT-substrate commands (generate, sat), mapping errors to exit
 * codes exactly as src/cli/main.ts does, so CLI tests do not depend on other areas' commands.
 */
import { Command } from 'commander';
import * as generateCmd from '../../../src/cli/commands/generate';
import * as satCmd from '../../../src/cli/commands/sat';
import { runProgram } from '../../../src/cli/run';

const program = new Command('nsad').exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s) });
generateCmd.register(program);
satCmd.register(program);
await runProgram(program, process.argv);
