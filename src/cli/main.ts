/** Process entry: build the program and run it (exit codes: src/cli/run.ts). */
import { buildProgram } from './program';
import { runProgram } from './run';

// A reader that closes the pipe early (`nsad … | head`) is not an error of ours: stop quietly,
// as Unix filters do, instead of a stack trace from the unhandled EPIPE.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });

await runProgram(await buildProgram(process.argv), process.argv);
