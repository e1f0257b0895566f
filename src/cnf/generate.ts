/**
 * Batch generation behind `nsad generate` and the `instances/` suite: a family spec, a count and a
 * base seed give `count` DIMACS texts (file i uses seed S+i, so `--count 1 --seed S+i` regenerates
 * file i alone), each with CNFgen-style provenance comments, plus their manifest entries.
 * Pure up to the optional reference-solver call; writing files is the caller's business
 * (`writeBatch` here, or the suite).
 */
import { join } from 'node:path';
import { generatorRng } from './seed';
import { UserError } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import type { Cnf } from './cnf';
import { writeDimacs } from './dimacs';
import { clausesForRatio, randomKSat } from './generators/random-ksat';
import { planted } from './generators/planted';
import { php } from './generators/php';
import { gnp, randomRegular } from './generators/graph';
import { randomCharge, tseitin, tseitinSatisfiable } from './generators/tseitin';
import { coloring } from './generators/coloring';
import { randomKXor } from './generators/kxor';
import { ordering } from './generators/ordering';
import { sha256, mergeManifest, readManifest, writeManifest, type ManifestEntry } from './manifest';
import { solveSat } from './sat';

/**
 * A generator family and its parameters (one module per family under src/cnf/generators/):
 * random k-SAT (m clauses or a ratio), planted k-SAT (1- or 2-hidden), the pigeonhole formula
 * PHP(h+1, h) and its functional/onto variants, Tseitin formulas on random d-regular graphs,
 * k-colouring of G(n, p) or random d-regular graphs, random k-XOR, the ordering principle.
 */
export type FamilySpec =
  | { family: 'random-ksat'; n: number; k: number; m?: number; ratio?: number }
  | { family: 'planted'; n: number; ratio: number; k?: number; hidden?: 1 | 2 }
  | { family: 'php'; holes: number; functional?: boolean; onto?: boolean }
  | { family: 'tseitin'; vertices: number; degree: number; charge: 'odd' | 'even' }
  | { family: 'coloring'; vertices: number; colors: number; graph: 'gnp'; p: number }
  | { family: 'coloring'; vertices: number; colors: number; graph: 'regular'; degree: number }
  | { family: 'kxor'; n: number; k: number; m?: number; ratio?: number }
  | { family: 'ordering'; elements: number; total?: boolean };

/** The families of `nsad generate` that write CNF files, in the order of its help. */
export const CNF_FAMILIES = ['random-ksat', 'planted', 'php', 'tseitin', 'coloring', 'kxor', 'ordering'] as const;

/** How many files to generate, from which seed (file i uses seed + i), and whether to decide them. */
export interface BatchOptions {
  count: number;
  seed: number;
  /**
   * Decide the files whose status neither the construction nor an exact algorithm fixes (random
   * k-SAT, colouring, k-XOR beyond the elimination limit) with the reference solver.
   */
  solve?: boolean;
  timeLimitSec?: number;
  /** Called after each file (progress on stderr in the CLI). */
  onFile?: (done: number, total: number, entry: ManifestEntry, solveMs?: number) => void;
}

/** One generated file: its name, DIMACS text (with provenance comments) and manifest entry. */
export interface GeneratedFile {
  name: string;
  text: string;
  entry: ManifestEntry;
}

const RNG_NAME = 'pure-rand xoroshiro128+ seeded with fmix32(seed), 32 draws discarded: src/cnf/seed.ts';

/**
 * The sizes `nsad generate` writes, per file: beyond them a spec is refused up front (UserError,
 * before any work), never run into an out-of-memory. A generated formula is held whole in memory
 * (about 60 bytes a clause plus 8 a literal) and written as one DIMACS text, so the clause and
 * literal counts are what bound it; G(n, p) also draws once per vertex pair.
 */
export const GENERATION_LIMITS = {
  variables: 10_000_000,
  clauses: 5_000_000,
  literals: 20_000_000,
  /** Vertex pairs G(n, p) draws (one float each): n(n−1)/2. */
  gnpPairs: 50_000_000,
} as const;

const deterministic = (spec: FamilySpec): boolean => spec.family === 'php' || spec.family === 'ordering';

/** The options of `nsad generate` that reproduce `spec` (without count/seed/out). */
export function specArgs(spec: FamilySpec): string {
  switch (spec.family) {
    case 'random-ksat':
      return `random-ksat --vars ${spec.n} ${spec.ratio !== undefined ? `--ratio ${spec.ratio}` : `--clauses ${spec.m}`} --k ${spec.k}`;
    case 'planted':
      return `planted --vars ${spec.n} --ratio ${spec.ratio}${spec.k !== undefined && spec.k !== 3 ? ` --k ${spec.k}` : ''}${spec.hidden === 2 ? ' --hidden 2' : ''}`;
    case 'php':
      return `php --holes ${spec.holes}${spec.functional ? ' --functional' : ''}${spec.onto ? ' --onto' : ''}`;
    case 'tseitin':
      return `tseitin --vertices ${spec.vertices} --degree ${spec.degree} --charge ${spec.charge}`;
    case 'coloring':
      return `coloring --vertices ${spec.vertices} --colors ${spec.colors} --graph ${spec.graph} ${spec.graph === 'gnp' ? `--p ${spec.p}` : `--degree ${spec.degree}`}`;
    case 'kxor':
      return `kxor --vars ${spec.n} ${spec.ratio !== undefined ? `--ratio ${spec.ratio}` : `--clauses ${spec.m}`} --k ${spec.k}`;
    case 'ordering':
      return `ordering --elements ${spec.elements}${spec.total ? ' --total' : ''}`;
  }
}

/** The full command line for a batch (no `--out`: files are position-independent). */
export function batchCommand(spec: FamilySpec, count: number, seed: number, solve: boolean): string {
  const s = deterministic(spec) ? '' : ` --count ${count} --seed ${seed}`;
  return `nsad generate ${specArgs(spec)}${s}${solve && solvable(spec) ? ' --solve' : ''}`;
}

/** Families whose files may need the reference solver for their status. */
const solvable = (spec: FamilySpec): boolean => spec.family === 'random-ksat' || spec.family === 'coloring' || spec.family === 'kxor';

/** Upper bounds of a file's variables, clauses and literals (exact for most families; G(n, p): every pair). */
export function sizeBound(spec: FamilySpec): { variables: number; clauses: number; literals: number } {
  const pairs = (n: number): number => (n * (n - 1)) / 2;
  switch (spec.family) {
    case 'random-ksat':
    case 'kxor': {
      const m = spec.m ?? clausesForRatio(spec.n, spec.ratio!);
      const per = spec.family === 'kxor' ? 2 ** (spec.k - 1) : 1;
      return { variables: spec.n, clauses: m * per, literals: m * per * spec.k };
    }
    case 'planted': {
      const m = clausesForRatio(spec.n, spec.ratio);
      return { variables: spec.n, clauses: m, literals: m * (spec.k ?? 3) };
    }
    case 'php': {
      const h = spec.holes;
      const pigeons = h + 1;
      const clauses = pigeons + h * pairs(pigeons) + (spec.functional ? pigeons * pairs(h) : 0) + (spec.onto ? h : 0);
      return { variables: h * pigeons, clauses, literals: 2 * clauses + pigeons * h + (spec.onto ? h * pigeons : 0) };
    }
    case 'tseitin': {
      const per = 2 ** (spec.degree - 1);
      return { variables: (spec.vertices * spec.degree) / 2, clauses: spec.vertices * per, literals: spec.vertices * per * spec.degree };
    }
    case 'coloring': {
      const k = spec.colors;
      const edges = spec.graph === 'gnp' ? pairs(spec.vertices) : (spec.vertices * spec.degree) / 2;
      const clauses = spec.vertices * (1 + pairs(k)) + edges * k;
      return { variables: spec.vertices * k, clauses, literals: spec.vertices * k + 2 * (clauses - spec.vertices) };
    }
    case 'ordering': {
      const n = spec.elements;
      const clauses = pairs(n) * (spec.total ? 2 : 1) + n * (n - 1) * (n - 2) + n;
      return { variables: n * (n - 1), clauses, literals: 2 * pairs(n) * (spec.total ? 2 : 1) + 3 * n * (n - 1) * (n - 2) + n * (n - 1) };
    }
  }
}

/**
 * Refuse a spec whose files would exceed GENERATION_LIMITS (one UserError naming the size and the
 * limit). A G(n, p) colouring is bounded by its vertex pairs here and by its drawn edges later
 * (`one` checks the graph before writing clauses).
 */
export function checkGenerationLimits(spec: FamilySpec): void {
  const family = spec.family;
  if (family === 'coloring' && spec.graph === 'gnp' && (spec.vertices * (spec.vertices - 1)) / 2 > GENERATION_LIMITS.gnpPairs)
    throw new UserError(`generate coloring: G(n, p) with ${spec.vertices} vertices draws ${(spec.vertices * (spec.vertices - 1)) / 2} vertex pairs, beyond the limit of ${GENERATION_LIMITS.gnpPairs}`);
  const b = sizeBound(spec);
  const sized = family === 'coloring' && spec.graph === 'gnp' ? 'up to ' : '';
  for (const [what, v, lim] of [
    ['variables', b.variables, GENERATION_LIMITS.variables],
    ['clauses', b.clauses, GENERATION_LIMITS.clauses],
    ['literals', b.literals, GENERATION_LIMITS.literals],
  ] as const)
    if (v > lim && !(family === 'coloring' && spec.graph === 'gnp' && what !== 'variables'))
      throw new UserError(`generate ${specArgs(spec)}: ${sized}${Math.round(v)} ${what} a file, beyond the limit of ${lim} (docs/formats.md "Limits, in one place")`);
}

function validate(spec: FamilySpec, opts: BatchOptions): void {
  if (!Number.isSafeInteger(opts.count) || opts.count < 1) throw new UserError(`--count must be a positive integer, got ${opts.count}`);
  if (!Number.isSafeInteger(opts.seed) || !Number.isSafeInteger(opts.seed + opts.count - 1))
    throw new UserError(`--seed must be a safe integer (seed + count − 1 too), got ${opts.seed}`);
  if (deterministic(spec) && opts.count !== 1) throw new UserError(`${spec.family}: the formula is deterministic; --count must be 1`);
  if ((spec.family === 'random-ksat' || spec.family === 'kxor') && (spec.m === undefined) === (spec.ratio === undefined))
    throw new UserError(`${spec.family}: give exactly one of --clauses and --ratio`);
  checkGenerationLimits(spec);
}

type Draft = { name: string; cnf: Cnf; comments: string[]; entry: Omit<ManifestEntry, 'sha256' | 'file'> };

/** The comment lines every file carries after its description: family, seed, command. */
const provenance = (family: string, seed: number | null, cmd: string): string[] => [
  `family: ${family}`,
  seed === null ? 'seed: none (deterministic)' : `seed: ${seed} (${RNG_NAME})`,
  `command: ${cmd}`,
];

function one(spec: FamilySpec, seed: number): Draft {
  const cmd = `nsad generate ${specArgs(spec)}${deterministic(spec) ? '' : ` --count 1 --seed ${seed}`}`;
  switch (spec.family) {
    case 'random-ksat': {
      const m = spec.m ?? clausesForRatio(spec.n, spec.ratio!);
      const cnf = randomKSat({ n: spec.n, m, k: spec.k }, generatorRng(seed));
      const params: Record<string, number> = { n: spec.n, m, k: spec.k };
      if (spec.ratio !== undefined) params['ratio'] = spec.ratio;
      const comments = [
        `nsad: uniform random ${spec.k}-SAT, ${spec.n} variables, ${m} clauses${spec.ratio !== undefined ? ` (ratio ${spec.ratio})` : ''}`,
        `family: random-ksat n=${spec.n} m=${m} k=${spec.k}${spec.ratio !== undefined ? ` ratio=${spec.ratio}` : ''}`,
        `seed: ${seed} (${RNG_NAME})`,
        `command: ${cmd}`,
      ];
      return {
        name: `rand${spec.k}-n${spec.n}-m${m}-s${seed}.cnf`,
        cnf,
        comments,
        entry: { family: 'random-ksat', params, seed, n: cnf.n, m: cnf.clauses.length, status: 'unknown', statusSource: 'not solved', command: cmd },
      };
    }
    case 'planted': {
      const k = spec.k ?? 3;
      const hidden = spec.hidden ?? 1;
      const { cnf, assignment } = planted({ n: spec.n, ratio: spec.ratio, k, hidden }, generatorRng(seed));
      const m = cnf.clauses.length;
      const h2 = hidden === 2;
      const comments = [
        `nsad: planted ${k}-SAT${h2 ? ' (2-hidden: clauses satisfied by the planted assignment and by its complement)' : ''}, ${spec.n} variables, ${m} clauses (ratio ${spec.ratio}), satisfiable by construction`,
        `family: planted n=${spec.n} m=${m} k=${k} ratio=${spec.ratio}${h2 ? ' hidden=2' : ''}`,
        `seed: ${seed} (${RNG_NAME})`,
        `command: ${cmd}`,
        `planted: ${assignment.join(' ')}`,
      ];
      const params: Record<string, number> = { n: spec.n, m, k, ratio: spec.ratio };
      if (h2) params['hidden'] = 2;
      return {
        name: `planted${k}${h2 ? 'h2' : ''}-n${spec.n}-m${m}-s${seed}.cnf`,
        cnf,
        comments,
        entry: { family: 'planted', params, seed, n: cnf.n, m, status: 'sat', statusSource: 'construction', command: cmd, planted: assignment },
      };
    }
    case 'php': {
      const h = spec.holes;
      const variant = { functional: spec.functional === true, onto: spec.onto === true };
      const cnf = php(h, variant);
      const tags = [variant.onto ? 'onto' : '', variant.functional ? 'functional' : ''].filter((t) => t !== '');
      if (tags.length === 0) {
        const comments = [
          `nsad: pigeonhole principle PHP(${h + 1}, ${h}): ${h + 1} pigeons, ${h} holes, unsatisfiable`,
          `family: php holes=${h}; variable (i-1)*${h}+j = pigeon i in hole j`,
          `seed: none (deterministic)`,
          `command: ${cmd}`,
        ];
        return {
          name: `php-h${h}.cnf`,
          cnf,
          comments,
          entry: { family: 'php', params: { holes: h }, seed: null, n: cnf.n, m: cnf.clauses.length, status: 'unsat', statusSource: 'construction', command: cmd },
        };
      }
      const params: Record<string, number | string | boolean> = { holes: h };
      if (variant.functional) params['functional'] = true;
      if (variant.onto) params['onto'] = true;
      return {
        name: `php-${tags.join('-')}-h${h}.cnf`,
        cnf,
        comments: [
          `nsad: ${tags.join(' ')} pigeonhole principle PHP(${h + 1}, ${h}): ${h + 1} pigeons, ${h} holes${variant.functional ? ', at most one hole a pigeon' : ''}${variant.onto ? ', every hole used' : ''}; unsatisfiable`,
          ...provenance(`php holes=${h}${variant.functional ? ' functional' : ''}${variant.onto ? ' onto' : ''}; variable (i-1)*${h}+j = pigeon i in hole j`, null, cmd),
        ],
        entry: { family: 'php', params, seed: null, n: cnf.n, m: cnf.clauses.length, status: 'unsat', statusSource: 'construction', command: cmd },
      };
    }
    case 'tseitin': {
      const rng = generatorRng(seed);
      const g = randomRegular(spec.vertices, spec.degree, rng);
      const charge = randomCharge(spec.vertices, spec.charge, rng);
      const cnf = tseitin(g, charge);
      const sat = tseitinSatisfiable(g, charge);
      const { vertices: nv, degree: d } = spec;
      return {
        name: `tseitin-d${d}-n${nv}-${spec.charge}-s${seed}.cnf`,
        cnf,
        comments: [
          `nsad: Tseitin formula on a random ${d}-regular graph, ${nv} vertices, ${g.edges.length} edges (variable e = edge e), ${spec.charge} total charge: ${sat ? 'satisfiable' : 'unsatisfiable'} (every component's charge even iff satisfiable)`,
          ...provenance(`tseitin vertices=${nv} degree=${d} charge=${spec.charge}`, seed, cmd),
          `edges: ${g.edges.map(([u, v]) => `${u}-${v}`).join(' ')}`,
          `charge: ${charge.join('')}`,
        ],
        entry: { family: 'tseitin', params: { vertices: nv, degree: d, charge: spec.charge }, seed, n: cnf.n, m: cnf.clauses.length, status: sat ? 'sat' : 'unsat', statusSource: 'construction', command: cmd },
      };
    }
    case 'coloring': {
      const rng = generatorRng(seed);
      const g = spec.graph === 'gnp' ? gnp(spec.vertices, spec.p, rng) : randomRegular(spec.vertices, spec.degree, rng);
      const b = sizeBound({ ...spec, graph: 'regular', degree: 0 });
      const clauses = b.clauses + g.edges.length * spec.colors;
      if (clauses > GENERATION_LIMITS.clauses || b.literals + 2 * g.edges.length * spec.colors > GENERATION_LIMITS.literals)
        throw new UserError(`generate coloring: the drawn graph has ${g.edges.length} edges; its ${spec.colors}-colouring formula has ${clauses} clauses, beyond the limits (${GENERATION_LIMITS.clauses} clauses, ${GENERATION_LIMITS.literals} literals a file)`);
      const cnf = coloring(g, spec.colors);
      const graphName = spec.graph === 'gnp' ? `G(n, p) with p = ${spec.p}` : `random ${spec.degree}-regular graph`;
      const params: Record<string, number | string> = { vertices: spec.vertices, colors: spec.colors, graph: spec.graph, edges: g.edges.length };
      if (spec.graph === 'gnp') params['p'] = spec.p;
      else params['degree'] = spec.degree;
      return {
        name: `col${spec.colors}-${spec.graph === 'gnp' ? `gnp-n${spec.vertices}-p${spec.p}` : `reg${spec.degree}-n${spec.vertices}`}-s${seed}.cnf`,
        cnf,
        comments: [
          `nsad: ${spec.colors}-colouring of a ${graphName}, ${spec.vertices} vertices, ${g.edges.length} edges; variable v*${spec.colors}+c+1 = vertex v has colour c`,
          ...provenance(`coloring vertices=${spec.vertices} colors=${spec.colors} graph=${spec.graph}${spec.graph === 'gnp' ? ` p=${spec.p}` : ` degree=${spec.degree}`}`, seed, cmd),
          `edges: ${g.edges.map(([u, v]) => `${u}-${v}`).join(' ')}`,
        ],
        entry: { family: 'coloring', params, seed, n: cnf.n, m: cnf.clauses.length, status: 'unknown', statusSource: 'not solved', command: cmd },
      };
    }
    case 'kxor': {
      const m = spec.m ?? clausesForRatio(spec.n, spec.ratio!);
      const x = randomKXor({ n: spec.n, m, k: spec.k }, generatorRng(seed));
      const params: Record<string, number> = { n: spec.n, constraints: m, k: spec.k };
      if (spec.ratio !== undefined) params['ratio'] = spec.ratio;
      const known = x.satisfiable !== null;
      return {
        name: `xor${spec.k}-n${spec.n}-m${m}-s${seed}.cnf`,
        cnf: x.cnf,
        comments: [
          `nsad: random ${spec.k}-XOR, ${spec.n} variables, ${m} parity constraints${spec.ratio !== undefined ? ` (ratio ${spec.ratio})` : ''}, ${2 ** (spec.k - 1)} clauses each${known ? `: ${x.satisfiable ? 'satisfiable' : 'unsatisfiable'} (Gaussian elimination over GF(2))` : ''}`,
          ...provenance(`kxor n=${spec.n} constraints=${m} k=${spec.k}${spec.ratio !== undefined ? ` ratio=${spec.ratio}` : ''}`, seed, cmd),
        ],
        entry: {
          family: 'kxor',
          params,
          seed,
          n: x.cnf.n,
          m: x.cnf.clauses.length,
          status: known ? (x.satisfiable ? 'sat' : 'unsat') : 'unknown',
          statusSource: known ? 'Gaussian elimination over GF(2)' : 'not solved',
          command: cmd,
        },
      };
    }
    case 'ordering': {
      const n = spec.elements;
      const cnf = ordering(n, spec.total === true);
      const params: Record<string, number | boolean> = { elements: n };
      if (spec.total) params['total'] = true;
      return {
        name: `op${spec.total ? '-total' : ''}-n${n}.cnf`,
        cnf,
        comments: [
          `nsad: ${spec.total ? 'total ' : ''}ordering principle on ${n} elements (every element has a predecessor in a strict order), unsatisfiable; variable (i-1)*${n - 1}+j' = i precedes j`,
          ...provenance(`ordering elements=${n}${spec.total ? ' total' : ''}`, null, cmd),
        ],
        entry: { family: 'ordering', params, seed: null, n: cnf.n, m: cnf.clauses.length, status: 'unsat', statusSource: 'construction', command: cmd },
      };
    }
  }
}

/**
 * Generate the files of one family one at a time (a batch is never held whole in memory).
 * Post: file i is a pure function of (spec, opts.seed + i); with `solve`, entries whose status is
 * not known by construction or elimination get the reference solver's ('unknown' if its time
 * limit passed).
 */
export function* generateEach(spec: FamilySpec, opts: BatchOptions, prefix = ''): Generator<GeneratedFile> {
  validate(spec, opts);
  for (let i = 0; i < opts.count; i++) {
    const seed = opts.seed + i;
    const g = one(spec, seed);
    const text = writeDimacs(g.cnf, g.comments);
    const entry: ManifestEntry = { file: prefix + g.name, ...g.entry, sha256: sha256(text) };
    let solveMs: number | undefined;
    if (opts.solve === true && entry.status === 'unknown') {
      const r = solveSat(g.cnf, opts.timeLimitSec !== undefined ? { timeLimitSec: opts.timeLimitSec } : {});
      entry.status = r.status;
      entry.statusSource = r.status === 'unknown' ? `reference solver ${r.solver}: ${r.reason ?? 'no answer'}` : `reference solver ${r.solver}`;
      solveMs = r.timeMs;
    }
    // Key order of the entry is fixed here so manifests are byte-stable.
    const file = { name: g.name, text, entry: orderEntry(entry) };
    opts.onFile?.(i + 1, opts.count, file.entry, solveMs);
    yield file;
  }
}

/** Generate `opts.count` files of one family in memory (tests, the committed suite; see generateEach). */
export function generateBatch(spec: FamilySpec, opts: BatchOptions, prefix = ''): GeneratedFile[] {
  return [...generateEach(spec, opts, prefix)];
}

function orderEntry(e: ManifestEntry): ManifestEntry {
  const o: ManifestEntry = {
    file: e.file,
    family: e.family,
    params: e.params,
    seed: e.seed,
    n: e.n,
    m: e.m,
    status: e.status,
    statusSource: e.statusSource,
    command: e.command,
    sha256: e.sha256,
  };
  if (e.planted !== undefined) o.planted = e.planted;
  return o;
}

/** Write a batch into `dir` (atomically, file by file) and merge it into `dir/manifest.json`. */
export function writeBatch(dir: string, files: readonly GeneratedFile[], command: string): string[] {
  const manifest = readManifest(dir);
  const paths: string[] = [];
  for (const f of files) {
    const p = join(dir, f.entry.file);
    writeFileAtomic(p, f.text);
    paths.push(p);
  }
  writeManifest(dir, mergeManifest(manifest, files.map((f) => f.entry), command));
  return paths;
}
