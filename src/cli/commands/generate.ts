/**
 * `nsad generate FAMILY … --count C --seed S --out DIR`: seeded CNF generators (random k-SAT,
 * planted 3-SAT, pigeonhole). File i uses seed S+i; DIR/manifest.json is created or extended.
 */
import type { Command } from 'commander';
import { checkOutputDir } from '../../io/atomic';
import { resolve } from 'node:path';
import { batchCommand, generateBatch, writeBatch, type FamilySpec } from '../../cnf/generate';
import { UserError } from '../../errors';
import { parseIntOption, parseNumberOption } from '../args';

interface GenOpts {
  vars?: string;
  clauses?: string;
  ratio?: string;
  k?: string;
  holes?: string;
  count: string;
  seed: string;
  out: string;
  solve?: boolean;
  timeLimit?: string;
  json?: boolean;
}

const FAMILIES = ['random-ksat', 'planted', 'php'] as const;

function forbid(family: string, opts: GenOpts, names: (keyof GenOpts)[]): void {
  for (const n of names)
    if (opts[n] !== undefined) throw new UserError(`generate ${family}: option --${n.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} does not apply to this family`);
}

function need(family: string, v: string | undefined, option: string): string {
  if (v === undefined) throw new UserError(`generate ${family}: ${option} is required`);
  return v;
}

/** Generation limits (docs/formats.md "Limits"): beyond them a file would outgrow what nsad reads back. */
const MAX_GEN_VARS = 1e7;
const MAX_GEN_LITERALS = 5e7;
function checkLiterals(k: number, m: number): void {
  if (k * m > MAX_GEN_LITERALS) throw new UserError(`generate: ${m} clauses of ${k} literals exceed the limit of ${MAX_GEN_LITERALS} literals per file`);
}

export function specFromOptions(family: string, opts: GenOpts): FamilySpec {
  switch (family) {
    case 'random-ksat': {
      forbid(family, opts, ['holes']);
      const n = parseIntOption(need(family, opts.vars, '--vars'), '--vars', 1, MAX_GEN_VARS);
      const k = parseIntOption(opts.k ?? '3', '--k', 1, n);
      if ((opts.clauses === undefined) === (opts.ratio === undefined))
        throw new UserError('generate random-ksat: give exactly one of --clauses and --ratio');
      if (opts.clauses !== undefined) {
        const m = parseIntOption(opts.clauses, '--clauses', 0, MAX_GEN_LITERALS);
        checkLiterals(k, m);
        return { family, n, k, m };
      }
      const ratio = parseNumberOption(opts.ratio!, '--ratio', 0, 1e6);
      checkLiterals(k, Math.round(ratio * n));
      return { family, n, k, ratio };
    }
    case 'planted': {
      forbid(family, opts, ['holes', 'clauses', 'solve']);
      const n = parseIntOption(need(family, opts.vars, '--vars'), '--vars', 1, MAX_GEN_VARS);
      const ratio = parseNumberOption(need(family, opts.ratio, '--ratio'), '--ratio', 0, 1e6);
      const k = opts.k === undefined ? undefined : parseIntOption(opts.k, '--k', 1, n);
      checkLiterals(k ?? 3, Math.round(ratio * n));
      return k === undefined ? { family, n, ratio } : { family, n, ratio, k };
    }
    case 'php':
      forbid(family, opts, ['vars', 'clauses', 'ratio', 'k', 'solve']);
      return { family, holes: parseIntOption(need(family, opts.holes, '--holes'), '--holes', 1, 1000) };
    default:
      throw new UserError(`generate: unknown family "${family}" (expected one of ${FAMILIES.join(', ')})`);
  }
}

export function register(program: Command): void {
  program
    .command('generate')
    .description('generate seeded CNF files (random-ksat, planted, php) into DIR with DIR/manifest.json')
    .argument('<family>', `one of ${FAMILIES.join(', ')}`)
    .option('--vars <n>', 'random-ksat, planted: number of variables')
    .option('--clauses <m>', 'random-ksat: number of clauses')
    .option('--ratio <r>', 'random-ksat, planted: clauses per variable (m = round(r·n))')
    .option('--k <k>', 'random-ksat, planted: literals per clause (default 3)')
    .option('--holes <h>', 'php: holes; pigeons = h+1')
    .option('--count <c>', 'number of files (file i uses seed S+i)', '1')
    .option('--seed <s>', 'base seed', '1')
    .requiredOption('--out <dir>', 'output directory (created; manifest.json extended)')
    .option('--solve', 'random-ksat: record the reference solver status in the manifest')
    .option('--time-limit <sec>', 'with --solve: per-file solver limit in seconds (status unknown beyond)')
    .option('--json', 'print one JSON object')
    .action((family: string, opts: GenOpts) => {
      checkOutputDir(opts.out, '--out'); // before any work
      const spec = specFromOptions(family, opts);
      const count = parseIntOption(opts.count, '--count', 1, 1e6);
      const seed = parseIntOption(opts.seed, '--seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      const timeLimitSec = opts.timeLimit === undefined ? undefined : parseNumberOption(opts.timeLimit, '--time-limit', 1e-3, 1e7);
      if (timeLimitSec !== undefined && opts.solve !== true) throw new UserError('generate: --time-limit needs --solve');
      const solve = opts.solve === true;
      const tty = process.stderr.isTTY === true;
      const files = generateBatch(spec, {
        count,
        seed,
        solve,
        ...(timeLimitSec === undefined ? {} : { timeLimitSec }),
        onFile: (done, total) => {
          if (tty) process.stderr.write(`\rgenerate ${family}: ${done}/${total}`);
        },
      });
      if (tty) process.stderr.write('\n');
      const dir = resolve(opts.out);
      const command = batchCommand(spec, count, seed, solve);
      const paths = writeBatch(dir, files, command);
      if (opts.json) {
        console.log(JSON.stringify({ out: dir, manifest: resolve(dir, 'manifest.json'), command, files: files.map((f) => f.entry) }));
        return;
      }
      paths.forEach((p, i) => console.log(`${p}\t${files[i]!.entry.status}`));
    });
}
