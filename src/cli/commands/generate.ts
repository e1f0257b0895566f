/**
 * `nsad generate FAMILY … --out DIR`: seeded instance generators (issue 21).
 *   - formula families (src/cnf/generators): random-ksat, planted, php, tseitin, coloring, kxor,
 *     ordering — DIMACS files and DIR/manifest.json (nsad-cnf-manifest/1), file i with seed S+i;
 *   - network families (reductions/families): net-hidden-linear, net-planted-two, net-doubling,
 *     net-random-ternary, net-reduction — networks with their answer's evidence, checked by
 *     src/verify at generation, in the suite layout (DIR/manifest.json nsad-suite/1, instances.csv);
 *   - `suite --preset small|medium|large`: a whole suite (docs/formats.md "Suites").
 * Sizes beyond the documented limits (GENERATION_LIMITS, NET_GENERATION_LIMITS) and unusable
 * output folders are refused up front, before any work.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { checkOutputDir } from '../../io/atomic';
import { CNF_FAMILIES, batchCommand, checkGenerationLimits, generateEach, type FamilySpec } from '../../cnf/generate';
import { mergeManifest, readManifest, writeManifest, type ManifestEntry } from '../../cnf/manifest';
import { writeFileAtomic } from '../../io/atomic';
import { UserError } from '../../errors';
import { parseIntOption, parseNumberOption } from '../args';
import { NET_FAMILIES, checkNetBatch, checkNetLimits, type NetFamilySpec } from '../../../reductions/families/index';
import { DEFAULT_EVIDENCE_LIMIT, PRESETS, SUITE_SEED, addNetInstances, isEmptyDir, writeSuite, type Preset, type SuiteEntry } from '../../../reductions/families/suite';

interface GenOpts {
  vars?: string;
  clauses?: string;
  ratio?: string;
  k?: string;
  hidden?: string;
  holes?: string;
  functional?: boolean;
  onto?: boolean;
  vertices?: string;
  degree?: string;
  charge?: string;
  colors?: string;
  graph?: string;
  p?: string;
  elements?: string;
  total?: boolean;
  inputs?: string;
  kinks?: string;
  width?: string;
  depth?: string;
  density?: string;
  m?: string;
  formula?: string;
  preset?: string;
  evidenceLimit?: string;
  timeout?: string;
  count: string;
  seed?: string;
  out: string;
  solve?: boolean;
  timeLimit?: string;
  json?: boolean;
}

type Key = keyof GenOpts;
/** Options that belong to one family or another (count, seed, out, json apply to all). */
const FAMILY_OPTIONS: readonly Key[] = ['vars', 'clauses', 'ratio', 'k', 'hidden', 'holes', 'functional', 'onto', 'vertices', 'degree', 'charge', 'colors', 'graph', 'p', 'elements', 'total', 'inputs', 'kinks', 'width', 'depth', 'density', 'm', 'formula', 'preset', 'evidenceLimit', 'timeout', 'solve', 'timeLimit'];

/** The options each family reads (anything else given is refused, naming the option). */
const ALLOWED: Record<string, readonly Key[]> = {
  'random-ksat': ['vars', 'clauses', 'ratio', 'k', 'solve', 'timeLimit'],
  planted: ['vars', 'ratio', 'k', 'hidden'],
  php: ['holes', 'functional', 'onto'],
  tseitin: ['vertices', 'degree', 'charge'],
  coloring: ['vertices', 'colors', 'graph', 'p', 'degree', 'solve', 'timeLimit'],
  kxor: ['vars', 'clauses', 'ratio', 'k', 'solve', 'timeLimit'],
  ordering: ['elements', 'total'],
  'net-hidden-linear': ['inputs', 'kinks', 'depth', 'evidenceLimit', 'timeout'],
  'net-planted-two': ['inputs', 'width', 'depth', 'kinks', 'evidenceLimit', 'timeout'],
  'net-doubling': ['m', 'evidenceLimit', 'timeout'],
  'net-random-ternary': ['inputs', 'width', 'depth', 'density', 'evidenceLimit', 'timeout'],
  suite: ['preset', 'evidenceLimit'],
};

const FAMILIES = [...CNF_FAMILIES, ...NET_FAMILIES.map((f) => `net-${f}`), 'suite'];

const flag = (n: string): string => `--${n.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`;

function allow(family: string, opts: GenOpts, allowed: readonly Key[]): void {
  for (const n of FAMILY_OPTIONS) if (opts[n] !== undefined && !allowed.includes(n)) throw new UserError(`generate ${family}: option ${flag(n)} does not apply to this family`);
}

function need(family: string, v: string | undefined, option: string): string {
  if (v === undefined) throw new UserError(`generate ${family}: ${option} is required`);
  return v;
}

const int = (family: string, opts: GenOpts, key: Key, min: number, max: number, dflt?: number): number => {
  const v = opts[key] as string | undefined;
  if (v === undefined && dflt !== undefined) return dflt;
  return parseIntOption(need(family, v, flag(key)), flag(key), min, max);
};

/** A formula family spec from the options (`family` one of CNF_FAMILIES). */
export function specFromOptions(family: string, opts: GenOpts): FamilySpec {
  const allowed = ALLOWED[family];
  if (allowed === undefined || family.startsWith('net-') || family === 'suite')
    throw new UserError(`generate: unknown family "${family}" (expected one of ${FAMILIES.join(', ')})`);
  return formulaSpec(family, opts, allowed);
}

function formulaSpec(family: string, opts: GenOpts, allowed: readonly Key[]): FamilySpec {
  allow(family, opts, allowed);
  switch (family) {
    case 'random-ksat':
    case 'kxor': {
      const n = int(family, opts, 'vars', 1, 1e7);
      const k = parseIntOption(opts.k ?? '3', '--k', 1, Math.min(n, family === 'kxor' ? 20 : n));
      if ((opts.clauses === undefined) === (opts.ratio === undefined)) throw new UserError(`generate ${family}: give exactly one of --clauses and --ratio`);
      return opts.clauses !== undefined
        ? { family, n, k, m: parseIntOption(opts.clauses, '--clauses', 0, 5e6) }
        : { family, n, k, ratio: parseNumberOption(opts.ratio!, '--ratio', 0, 1e6) };
    }
    case 'planted': {
      const n = int(family, opts, 'vars', 1, 1e7);
      const ratio = parseNumberOption(need(family, opts.ratio, '--ratio'), '--ratio', 0, 1e6);
      const hidden = opts.hidden === undefined ? 1 : parseIntOption(opts.hidden, '--hidden', 1, 2);
      const spec: FamilySpec = { family, n, ratio };
      if (opts.k !== undefined) spec.k = parseIntOption(opts.k, '--k', 1, n);
      if (hidden === 2) spec.hidden = 2;
      return spec;
    }
    case 'php': {
      const spec: FamilySpec = { family, holes: int(family, opts, 'holes', 1, 1000) };
      if (opts.functional) spec.functional = true;
      if (opts.onto) spec.onto = true;
      return spec;
    }
    case 'tseitin': {
      const vertices = int(family, opts, 'vertices', 1, 1e7);
      const degree = int(family, opts, 'degree', 0, Math.min(vertices - 1, 20), 3);
      const charge = opts.charge ?? 'odd';
      if (charge !== 'odd' && charge !== 'even') throw new UserError(`--charge: expected odd or even, got ${JSON.stringify(charge)}`);
      if ((vertices * degree) % 2 !== 0) throw new UserError(`generate tseitin: --vertices × --degree must be even (a ${degree}-regular graph on ${vertices} vertices does not exist)`);
      return { family, vertices, degree, charge };
    }
    case 'coloring': {
      const vertices = int(family, opts, 'vertices', 1, 1e7);
      const colors = int(family, opts, 'colors', 1, 1000, 3);
      const graph = opts.graph ?? 'gnp';
      if (graph === 'gnp') {
        if (opts.degree !== undefined) throw new UserError('generate coloring: --degree applies to --graph regular');
        return { family, vertices, colors, graph, p: parseNumberOption(need(family, opts.p, '--p'), '--p', 0, 1) };
      }
      if (graph !== 'regular') throw new UserError(`--graph: expected gnp or regular, got ${JSON.stringify(graph)}`);
      if (opts.p !== undefined) throw new UserError('generate coloring: --p applies to --graph gnp');
      const degree = int(family, opts, 'degree', 0, vertices - 1);
      if ((vertices * degree) % 2 !== 0) throw new UserError(`generate coloring: --vertices × --degree must be even (a ${degree}-regular graph on ${vertices} vertices does not exist)`);
      return { family, vertices, colors, graph, degree };
    }
    case 'ordering': {
      const spec: FamilySpec = { family, elements: int(family, opts, 'elements', 1, 10_000) };
      if (opts.total) spec.total = true;
      return spec;
    }
  }
  throw new UserError(`generate: unknown family "${family}" (expected one of ${FAMILIES.join(', ')})`);
}

/** A network family spec from the options (`family` = net-…). */
function netSpecFromOptions(family: string, opts: GenOpts): NetFamilySpec {
  if (family === 'net-reduction') {
    const formula = need(family, opts.formula, '--formula');
    if (!(CNF_FAMILIES as readonly string[]).includes(formula)) throw new UserError(`--formula: expected one of ${CNF_FAMILIES.join(', ')}, got ${JSON.stringify(formula)}`);
    const { formula: _f, evidenceLimit: _e, timeout: _t, ...rest } = opts;
    return { family: 'reduction', formula: formulaSpec(formula, rest as GenOpts, ALLOWED[formula]!) };
  }
  const allowed = ALLOWED[family];
  if (allowed === undefined) throw new UserError(`generate: unknown family "${family}" (expected one of ${FAMILIES.join(', ')})`);
  allow(family, opts, allowed);
  switch (family) {
    case 'net-hidden-linear':
      return { family: 'hidden-linear', inputs: int(family, opts, 'inputs', 1, 1e6), kinks: int(family, opts, 'kinks', 1, 1e6), depth: int(family, opts, 'depth', 0, 1e5) };
    case 'net-planted-two':
      return { family: 'planted-two', inputs: int(family, opts, 'inputs', 2, 1e6), width: int(family, opts, 'width', 1, 1e6), depth: int(family, opts, 'depth', 1, 1e5), kinks: int(family, opts, 'kinks', 1, 1e6, 1) };
    case 'net-doubling':
      return { family: 'doubling', m: int(family, opts, 'm', 1, 10_000) };
    case 'net-random-ternary':
      return {
        family: 'random-ternary',
        inputs: int(family, opts, 'inputs', 1, 1e6),
        width: int(family, opts, 'width', 1, 1e6),
        depth: int(family, opts, 'depth', 1, 1e5),
        density: opts.density === undefined ? 1 : parseNumberOption(opts.density, '--density', 1e-9, 1),
      };
  }
  throw new UserError(`generate: unknown family "${family}" (expected one of ${FAMILIES.join(', ')})`);
}

/** --count and --seed (default 1) of a batch, formula or network. */
function countAndSeed(opts: GenOpts): { count: number; seed: number } {
  return {
    count: parseIntOption(opts.count, '--count', 1, 1e6),
    seed: opts.seed === undefined ? 1 : parseIntOption(opts.seed, '--seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  };
}

const tty = (): boolean => process.stderr.isTTY === true;

function netLine(e: SuiteEntry, dir: string): string {
  return `${resolve(dir, e.file)}\t${e.expected}\t${e.evidence ? `${e.evidence.kind} (${e.evidence.source}) ${e.evidence.file}` : 'no evidence'}`;
}

async function generateNets(family: string, opts: GenOpts): Promise<void> {
  checkOutputDir(opts.out, '--out'); // before any work
  const spec = netSpecFromOptions(family, opts);
  const { count, seed } = countAndSeed(opts);
  checkNetBatch(spec, count, seed);
  checkNetLimits(spec);
  const timeout = opts.timeout === undefined ? 60 : parseNumberOption(opts.timeout, '--timeout', 1e-3, 1e7);
  const evidenceLimit = opts.evidenceLimit === undefined ? DEFAULT_EVIDENCE_LIMIT : parseNumberOption(opts.evidenceLimit, '--evidence-limit', 0.1, 1e7);
  const dir = resolve(opts.out);
  const { added } = await addNetInstances(dir, spec, count, seed, opts.solve === true, timeout, evidenceLimit, (done, total, e) => {
    if (tty()) process.stderr.write(`\rgenerate ${family}: ${done}/${total} (${e.expected})`);
  });
  if (tty()) process.stderr.write('\n');
  if (opts.json) console.log(JSON.stringify({ out: dir, manifest: resolve(dir, 'manifest.json'), instances: added }));
  else for (const e of added) console.log(netLine(e, dir));
}

async function generateSuiteCmd(opts: GenOpts): Promise<void> {
  allow('suite', opts, ALLOWED['suite']!);
  checkOutputDir(opts.out, '--out');
  const preset = need('suite', opts.preset, '--preset');
  if (!(PRESETS as readonly string[]).includes(preset)) throw new UserError(`--preset: expected one of ${PRESETS.join(', ')}, got ${JSON.stringify(preset)}`);
  if (opts.count !== '1') throw new UserError('generate suite: --count does not apply (a preset fixes its instances)');
  if (!isEmptyDir(opts.out)) throw new UserError(`--out ${opts.out}: not empty; generate suite writes a whole folder (choose a new or empty one)`);
  const seed = opts.seed === undefined ? SUITE_SEED : parseIntOption(opts.seed, '--seed', 0, 2 ** 40);
  const evidenceLimitSec = opts.evidenceLimit === undefined ? DEFAULT_EVIDENCE_LIMIT : parseNumberOption(opts.evidenceLimit, '--evidence-limit', 0.1, 1e7);
  const dir = resolve(opts.out);
  const m = await writeSuite(dir, preset as Preset, seed, {
    evidenceLimitSec,
    onInstance: (done, total, e) => process.stderr.write(`${tty() ? '\r' : ''}generate suite: ${done}/${total} ${e.file} (${e.expected})${tty() ? '\x1b[K' : '\n'}`),
  });
  if (tty()) process.stderr.write('\n');
  const count = (k: string): number => m.instances.filter((e) => e.expected === k).length;
  if (opts.json) console.log(JSON.stringify({ out: dir, manifest: resolve(dir, 'manifest.json'), instances: m.instances.length, two: count('two'), singleton: count('singleton'), unknown: count('unknown') }));
  else console.log(`${dir}: ${m.instances.length} instances (${count('two')} two, ${count('singleton')} singleton, ${count('unknown')} unknown); manifest.json, instances.csv`);
}

function generateFormulas(family: string, opts: GenOpts): void {
  checkOutputDir(opts.out, '--out'); // before any work
  const spec = specFromOptions(family, opts);
  const { count, seed } = countAndSeed(opts);
  const timeLimitSec = opts.timeLimit === undefined ? undefined : parseNumberOption(opts.timeLimit, '--time-limit', 1e-3, 1e7);
  if (timeLimitSec !== undefined && opts.solve !== true) throw new UserError('generate: --time-limit needs --solve');
  checkGenerationLimits(spec);
  const solve = opts.solve === true;
  const dir = resolve(opts.out);
  const manifest = readManifest(dir); // a foreign manifest.json is refused before any file is written
  const command = batchCommand(spec, count, seed, solve);
  // One file at a time: generated, written, forgotten (a batch is never held whole in memory).
  const entries: ManifestEntry[] = [];
  const paths: string[] = [];
  for (const f of generateEach(spec, { count, seed, solve, ...(timeLimitSec === undefined ? {} : { timeLimitSec }) })) {
    const p = resolve(dir, f.entry.file);
    writeFileAtomic(p, f.text);
    entries.push(f.entry);
    paths.push(p);
    if (tty()) process.stderr.write(`\rgenerate ${family}: ${entries.length}/${count}`);
  }
  if (tty()) process.stderr.write('\n');
  writeManifest(dir, mergeManifest(manifest, entries, command));
  if (opts.json) {
    console.log(JSON.stringify({ out: dir, manifest: resolve(dir, 'manifest.json'), command, files: entries }));
    return;
  }
  paths.forEach((p, i) => console.log(`${p}\t${entries[i]!.status}`));
}

export function register(program: Command): void {
  program
    .command('generate')
    .description('generate seeded instances into DIR: formula families (DIMACS + manifest.json), network families with checked answers (net-…), or a whole suite (suite --preset)')
    .argument('<family>', `one of ${FAMILIES.join(', ')}`)
    .option('--vars <n>', 'random-ksat, planted, kxor: number of variables')
    .option('--clauses <m>', 'random-ksat: number of clauses; kxor: number of parity constraints')
    .option('--ratio <r>', 'random-ksat, planted, kxor: clauses (constraints) per variable (m = round(r·n))')
    .option('--k <k>', 'random-ksat, planted, kxor: literals per clause (variables per constraint), default 3')
    .option('--hidden <h>', 'planted: 1 (clauses satisfied by the planted assignment, default) or 2 (also by its complement)')
    .option('--holes <h>', 'php: holes; pigeons = h+1')
    .option('--functional', 'php: every pigeon in at most one hole')
    .option('--onto', 'php: every hole gets a pigeon')
    .option('--vertices <n>', 'tseitin, coloring: vertices of the random graph')
    .option('--degree <d>', 'tseitin (default 3), coloring with --graph regular: vertex degree')
    .option('--charge <parity>', 'tseitin: odd (unsatisfiable, default) or even total charge')
    .option('--colors <k>', 'coloring: number of colours (default 3)')
    .option('--graph <kind>', 'coloring: gnp (Erdős–Rényi, with --p; default) or regular (with --degree)')
    .option('--p <p>', 'coloring --graph gnp: edge probability')
    .option('--elements <n>', 'ordering: elements of the order')
    .option('--total', 'ordering: add the totality clauses')
    .option('--inputs <p>', 'net-hidden-linear, net-planted-two, net-random-ternary: input dimension')
    .option('--kinks <k>', 'net-hidden-linear: kink pairs per layer; net-planted-two: neurons vanishing at x̄ (default 1)')
    .option('--width <w>', 'net-planted-two, net-random-ternary: hidden layer width')
    .option('--depth <d>', 'net-hidden-linear: mixing layers; net-planted-two, net-random-ternary: hidden layers')
    .option('--density <r>', 'net-random-ternary: probability that a weight is drawn (default 1)')
    .option('--m <m>', 'net-doubling: doubling layers (precision 2^-m)')
    .option('--formula <family>', 'net-reduction: the formula family reduced (with that family\'s options)')
    .option('--preset <name>', `suite: ${PRESETS.join(', ')}`)
    .option('--evidence-limit <sec>', `net-…, suite: time limit of the search for each network's certificate or proof (default ${DEFAULT_EVIDENCE_LIMIT})`)
    .option('--timeout <sec>', 'net-…: the suggested time limit written for each instance (default 60)')
    .option('--count <c>', 'number of files (file i uses seed S+i)', '1')
    .option('--seed <s>', `base seed (default 1; suite: ${SUITE_SEED})`)
    .requiredOption('--out <dir>', 'output directory (created; manifest.json extended)')
    .option('--solve', 'random-ksat, coloring, kxor, net-reduction: record the reference solver status where no construction fixes it')
    .option('--time-limit <sec>', 'with --solve: per-file solver limit in seconds (status unknown beyond)')
    .option('--json', 'print one JSON object')
    .action(async (family: string, opts: GenOpts) => {
      if (family === 'suite') return generateSuiteCmd(opts);
      if (family.startsWith('net-')) return generateNets(family, opts);
      return generateFormulas(family, opts);
    });
}
