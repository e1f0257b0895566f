/**
 * The commander program: one file per command under `commands/`, each exporting
 * `register(program)`. Commands only parse, call the library, print.
 */
import { Command } from 'commander';

import * as evalCmd from './commands/eval';
import * as gradCmd from './commands/grad';
import * as lexCmd from './commands/lex';
import * as dirCmd from './commands/dir';
import * as experimentCmd from './commands/experiment';
import * as generateCmd from './commands/generate';
import * as satCmd from './commands/sat';
import * as reduceCmd from './commands/reduce';
import * as decodeCmd from './commands/decode';
import * as conservativeCmd from './commands/conservative';
import * as clarkeOneCmd from './commands/clarke-one';
import * as clarkeCmd from './commands/clarke';
import * as decideCmd from './commands/decide';
import * as verifyCmd from './commands/verify';
import * as milpCmd from './commands/milp';
import * as importCmd from './commands/import';
import * as exportCmd from './commands/export';
import * as auditCmd from './commands/audit';

export function buildProgram(): Command {
  const program = new Command('nsad')
    .description('Complexity of nonsmooth automatic differentiation: exact ReLU networks, conservative vs Clarke subgradients, SAT reductions')
    .version('0.1.0')
    .exitOverride()
    // Commander's own errors (unknown command, missing argument) get the same `nsad:` prefix as ours.
    .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `nsad: ${s}` : s) })
    .showHelpAfterError(false);
  for (const cmd of [evalCmd, gradCmd, lexCmd, dirCmd, experimentCmd, generateCmd, satCmd, reduceCmd, decodeCmd, conservativeCmd, clarkeOneCmd, clarkeCmd, decideCmd, verifyCmd, milpCmd, importCmd, exportCmd, auditCmd]) cmd.register(program);
  return program;
}
