/**
 * The commander program: one file per command under `commands/`, each exporting
 * `register(program)`. Commands only parse, call the library, print.
 *
 * Commands are loaded lazily: `nsad decide …` imports the decide command and what it uses, not
 * the MILP backends, the ONNX reader or the plotting library (start-up is part of every
 * measured CLI time, docs/benchmarks.md). Help, an unknown command or no command loads them all.
 */
import { Command } from 'commander';

type CommandModule = { register(program: Command): void };

/** Every command, in the order of `nsad --help`, with its module loader. */
export const COMMANDS: ReadonlyArray<readonly [string, () => Promise<CommandModule>]> = [
  ['eval', () => import('./commands/eval.js')],
  ['grad', () => import('./commands/grad.js')],
  ['lex', () => import('./commands/lex.js')],
  ['dir', () => import('./commands/dir.js')],
  ['experiment', () => import('./commands/experiment.js')],
  ['generate', () => import('./commands/generate.js')],
  ['run-suite', () => import('./commands/run-suite.js')],
  ['sat', () => import('./commands/sat.js')],
  ['reduce', () => import('./commands/reduce.js')],
  ['decode', () => import('./commands/decode.js')],
  ['conservative', () => import('./commands/conservative.js')],
  ['clarke-one', () => import('./commands/clarke-one.js')],
  ['clarke', () => import('./commands/clarke.js')],
  ['decide', () => import('./commands/decide.js')],
  ['verify', () => import('./commands/verify.js')],
  ['milp', () => import('./commands/milp.js')],
  ['import', () => import('./commands/import.js')],
  ['export', () => import('./commands/export.js')],
  ['audit', () => import('./commands/audit.js')],
  ['explore', () => import('./commands/explore.js')],
];

/**
 * The program. With `argv` (process.argv form), only the command it names is registered when it
 * names one (its first argument after the options of `nsad` itself); otherwise every command.
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('nsad')
    .description('Complexity of nonsmooth automatic differentiation: exact ReLU networks, conservative vs Clarke subgradients, SAT reductions')
    .version('0.1.0')
    .exitOverride()
    // Commander's own errors (unknown command, missing argument) get the same `nsad:` prefix as ours.
    .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `nsad: ${s}` : s) })
    .showHelpAfterError(false);
  const named = argv?.[2];
  const only = COMMANDS.find(([name]) => name === named);
  for (const [, load] of only ? [only] : COMMANDS) (await load()).register(program);
  return program;
}
