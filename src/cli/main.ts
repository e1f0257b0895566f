/** Process entry: build the program and run it (exit codes: src/cli/run.ts). */
import { buildProgram } from './program';
import { runProgram } from './run';

await runProgram(buildProgram(), process.argv);
