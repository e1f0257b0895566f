/**
 * Claims 3, 4, 5 (docs/theory.md §2) at scale: deciding whether ∂^c F(0) has two elements is
 * NP-hard (via the reduction of §4), while two conservative elements (§5) and one Clarke
 * subgradient (claim 5) are cheap.
 *
 * Instances: random 3-SAT at ratio 4.26 for n = 20, 100, 125, …, 250 (full mode; quick mode a shorter
 * range), satisfiable and unsatisfiable formulas counted and plotted separately, and the SATLIB
 * families uf/uuf 20…100 in instances/satlib, and the generated formula families of
 * src/cnf/generators (Tseitin, ordering, pigeonhole variants, k-XOR, colouring, planted; issue 21),
 * each with its status as theory or the generator fixes it. For each formula (experiments/formula.ts): the Clarke
 * decision with every method of `--methods` (experiments/methods.ts: MILP backends, bab once
 * available), two conservative elements (decideConservative), one Clarke subgradient (clarkeOne),
 * the reference SAT solver. Every Clarke `two` certificate is verified by src/verify and decoded into
 * a satisfying assignment; every answer is checked against the reference solver; disagreements are
 * reported loudly in the table, the claims and stderr.
 *
 * Time limits: a method that does not answer within the limit gives `unknown`. Such a formula is
 * never dropped: it is a censored observation (true time ≥ the elapsed time), drawn as an open
 * marker at the limit, counted in the tables, and enters the per-n median at its elapsed time —
 * which can only flatten the growth curve, never steepen it. A median that is itself censored is
 * shown as "≥".
 *
 * Growth: per method, ln(median time) against n (exponential model) and against ln n (polynomial),
 * each with the slope's 95% confidence interval; per formula, ln(time) against ln(network weights)
 * (the size the complexity claims are stated in). The claims' "holds?" follow stated rules
 * (runner/fit.ts GROWTH_RULE and the rules below), not judgement.
 */
import { Rng } from '../src/exact/rng';
import type { Cnf } from '../src/cnf/cnf';
import { randomKSat, clausesForRatio } from '../src/cnf/generators/random-ksat';
import { parseDimacs, readCnfFile } from '../src/cnf/dimacs';
import { generateBatch, specArgs, type FamilySpec } from '../src/cnf/generate';
import { satlibFiles, satlibStatus, SATLIB_FAMILIES, type SatlibFamily } from '../src/cnf/satlib';
import { taskSeed } from './runner/shard';
import { fmt, growthFit, logLogSlope, median, GROWTH_RULE, exponentialGrowthHolds, describeExponential, type LineFit, type GrowthFit } from './runner/fit';
import { markdownTable } from './runner/table';
import type { Claim, Experiment, ExperimentOptions, Json, Row, Task } from './runner/types';
import { runFormula } from './formula';
import { defaultMethods, fastestMethod } from './methods';
import { basename } from 'node:path';

interface HardTask extends Task {
  kind: 'random' | 'satlib' | 'family';
  n?: number;
  index?: number;
  family?: string;
  file?: string;
  /** kind 'family': the index of the family group in Params.families. */
  group?: number;
}

/** A group of generated formulas: a family spec, how many seeds (count 1 for deterministic families). */
interface FamilyGroup {
  spec: FamilySpec;
  count: number;
}

/** Base seed of the family rows (group g uses FAMILY_SEED + 100·g, + 1, …). */
const FAMILY_SEED = 2100;

interface Params {
  ns: number[];
  perN: number;
  methods: string[];
  /**
   * Largest n a method is run on. A backend that times out on every formula beyond some size only
   * burns its limit there (glpk: docs/benchmarks.md#solvers); its rows beyond the cap say
   * `skipped`, distinct from `unknown`.
   */
  maxN: Record<string, number>;
  satlib: { family: SatlibFamily; count: number }[];
  /** Generated formula families (issue 21): where a family easy for MiniSat is hard for the Clarke search, or the reverse. */
  families: FamilyGroup[];
}

export const RATIO = 4.26;

/** The methods when `--methods` is not given (recorded in the options by the runner). */
function methodsOf(o: ExperimentOptions): string[] {
  return o.methods ?? (o.tiny ? ['highs'] : defaultMethods());
}

/**
 * Quick mode must finish in minutes and still show the growth. Since the conflict-driven search
 * (docs/theory.md §8.1) the exact decision costs well under a second up to n ≈ 150 — mostly fixed
 * costs (reduction, localization, certificate or proof check), nearly flat in n — and the
 * exponential shows from n ≈ 150 on, as it does for MiniSat's conflicts: the quick range is
 * n = 120…220, 6 formulas per n (measured 2026-12-05 under load: bab medians 0.49 s at n = 120,
 * 6.4 s at n = 220, ×1.028 per variable, r² 0.94; 1 min 51 s). HiGHS and glpk are capped at n = 20
 * and 10 (beyond, they meet the limit on most unsatisfiable formulas: docs/benchmarks.md#solvers),
 * so in quick mode they run only on the SATLIB sample. With MILP only (HiGHS), unsatisfiable
 * formulas hit a 20 s limit from n ≈ 25 on, so the range stops at 28.
 *
 * Full mode: n = 20 (where HiGHS still answers, for the comparison) and 100…250 in steps of 25,
 * 20 per n, and the SATLIB families. The range of nsad 0.2 (n = 10…100, its search 50–70 s at
 * n = 100) no longer shows the growth: the whole range now costs what n = 30 did.
 */
export function params(o: ExperimentOptions): Params {
  const methods = methodsOf(o);
  if (o.tiny) return { ns: [3, 4, 5], perN: 1, methods, maxN: {}, satlib: [], families: [] };
  if (o.quick) {
    const fast = fastestMethod(methods) === 'bab';
    return {
      ns: fast ? [120, 140, 160, 180, 200, 220] : [8, 12, 16, 20, 24, 28],
      perN: fast ? 6 : 3,
      methods,
      maxN: fast ? { highs: 20, glpk: 10, lpsolver: 10 } : { glpk: 16, lpsolver: 10 },
      satlib: [
        { family: 'uf20-91', count: 1 },
        { family: 'uf50-218', count: 1 },
      ],
      families: fast ? QUICK_FAMILIES : [],
    };
  }
  return {
    ns: [20, 100, 125, 150, 175, 200, 225, 250],
    perN: 20,
    methods,
    maxN: { highs: 20, glpk: 10, lpsolver: 10 },
    satlib: SATLIB_FAMILIES.map((family) => ({ family, count: 20 })),
    families: FULL_FAMILIES,
  };
}

/** Quick mode: one formula of each family at a size the search decides in about a second. */
const QUICK_FAMILIES: FamilyGroup[] = [
  { spec: { family: 'tseitin', vertices: 40, degree: 3, charge: 'odd' }, count: 1 },
  { spec: { family: 'ordering', elements: 8 }, count: 1 },
  { spec: { family: 'php', holes: 5, functional: true }, count: 1 },
  { spec: { family: 'kxor', n: 40, k: 3, ratio: 0.9 }, count: 1 },
  { spec: { family: 'coloring', vertices: 40, colors: 3, graph: 'gnp', p: 0.1 }, count: 1 },
];

/**
 * Full mode: Tseitin formulas on random 3-regular graphs with odd charge (unsatisfiable,
 * exponentially long resolution proofs: hard for MiniSat and for any clause-learning search)
 * at growing sizes, and one group of each other family at sizes MiniSat decides in milliseconds.
 */
const FULL_FAMILIES: FamilyGroup[] = [
  ...[20, 30, 40, 50, 60].map((vertices): FamilyGroup => ({ spec: { family: 'tseitin', vertices, degree: 3, charge: 'odd' }, count: 3 })),
  { spec: { family: 'ordering', elements: 8 }, count: 1 },
  { spec: { family: 'ordering', elements: 12 }, count: 1 },
  { spec: { family: 'php', holes: 6, functional: true }, count: 1 },
  { spec: { family: 'php', holes: 7, onto: true, functional: true }, count: 1 },
  { spec: { family: 'kxor', n: 100, k: 3, ratio: 0.9 }, count: 3 },
  { spec: { family: 'coloring', vertices: 100, colors: 3, graph: 'gnp', p: 0.045 }, count: 3 },
  { spec: { family: 'planted', n: 200, ratio: 4.26, hidden: 2 }, count: 3 },
];

/** The formulas of family group g (deterministic: its seeds are fixed by g). */
function familyFiles(p: Params, g: number) {
  const grp = p.families[g]!;
  return generateBatch(grp.spec, { count: grp.count, seed: FAMILY_SEED + 100 * g, solve: false });
}

const pad = (k: number, w = 3): string => String(k).padStart(w, '0');

/** Row field of method `m`. */
const F = (m: string, f: string): string => `clarke_${m}_${f}`;
const DECIDED = new Set(['two', 'singleton']);

interface Obs {
  ms: number;
  censored: boolean;
}

/** The time of method `m` on row `r`: null when the method did not run there (skipped). */
function obs(r: Row, m: string): Obs | null {
  const a = r[F(m, 'answer')];
  if (typeof a !== 'string' || a === 'skipped') return null;
  return { ms: r[F(m, 'ms')] as number, censored: !DECIDED.has(a) };
}

/** Median of observations; `censored` when the median element is itself censored (a lower bound). */
function censoredMedian(xs: Obs[]): { ms: number; censored: boolean } {
  if (xs.length === 0) return { ms: NaN, censored: false };
  const s = xs.slice().sort((a, b) => a.ms - b.ms);
  const k = s.length >> 1;
  const ms = median(s.map((x) => x.ms));
  // With an even count the median averages two middle values; it is a lower bound if either is.
  const censored = s.length % 2 ? s[k]!.censored : s[k - 1]!.censored || s[k]!.censored;
  return { ms, censored };
}

const hardness: Experiment<HardTask, Row> = {
  name: 'hardness',
  title: 'Claims 3–5: two Clarke subgradients are hard, two conservative elements and one Clarke subgradient are cheap',
  describe(o) {
    const p = params(o);
    const caps = Object.entries(p.maxN).filter(([m]) => p.methods.includes(m));
    return (
      `Random 3-SAT at ratio ${RATIO}, n = ${p.ns.join(', ')}, ${p.perN} formulas per n; SATLIB ${p.satlib.length ? p.satlib.map((s) => `${s.family} (first ${s.count})`).join(', ') : 'none'}; generated families ${p.families.length ? p.families.map((f) => `\`${specArgs(f.spec)}\`${f.count > 1 ? ` ×${f.count}` : ''}`).join(', ') : 'none'}. ` +
      `Per formula: reduction (docs/theory.md §4); the Clarke question by ${p.methods.join(', ')} (decideClarke, ${o.timeLimitSec} s limit per method and formula${caps.length ? `; ${caps.map(([m, n]) => `${m} only for n ≤ ${n}`).join(', ')}` : ''}); ` +
      `two conservative elements (decideConservative); one Clarke subgradient (clarkeOne); reference SAT solver (MiniSat via logic-solver). ` +
      `Checks: certificates verified by src/verify and decoded to satisfying assignments; every answer against the SAT solver.`
    );
  },
  defaultTimeLimitSec: (quick) => (quick ? 60 : 300),
  defaultMethods: methodsOf,
  parallel: true,
  tasks(o: ExperimentOptions): HardTask[] {
    const p = params(o);
    const out: HardTask[] = [];
    for (const n of p.ns) for (let i = 0; i < p.perN; i++) out.push({ id: `r426-n${pad(n)}-${pad(i, 2)}`, kind: 'random', n, index: i });
    for (const s of p.satlib)
      for (const f of satlibFiles(s.family).slice(0, s.count)) out.push({ id: `satlib-${basename(f, '.cnf')}`, kind: 'satlib', family: s.family, file: basename(f) });
    p.families.forEach((grp, g) => {
      // Names only (the formulas are generated again by the task that runs them).
      for (const f of familyFiles(p, g)) out.push({ id: `family-${basename(f.name, '.cnf')}`, kind: 'family', family: grp.spec.family, file: f.name, group: g });
    });
    return out;
  },
  async run(t, o) {
    const p = params(o);
    const seed = taskSeed(o.seed, t.id);
    let cnf: Cnf;
    let known: { status: string; source: string; spec: string } | null = null;
    if (t.kind === 'random') cnf = randomKSat({ n: t.n!, m: clausesForRatio(t.n!, RATIO), k: 3 }, new Rng(seed));
    else if (t.kind === 'family') {
      const f = familyFiles(p, t.group!).find((x) => x.name === t.file);
      if (!f) throw new Error(`family formula ${t.file} not generated by group ${t.group}`);
      cnf = parseDimacs(f.text, f.name);
      known = { status: f.entry.status, source: f.entry.statusSource, spec: specArgs(p.families[t.group!]!.spec) };
    } else {
      const path = satlibFiles(t.family as SatlibFamily).find((f) => basename(f) === t.file);
      if (!path) throw new Error(`SATLIB file ${t.family}/${t.file} not found`);
      cnf = readCnfFile(path);
    }
    const run = p.methods.filter((m) => cnf.n <= (p.maxN[m] ?? Infinity));
    const r = await runFormula(cnf, { solvers: run, timeLimitSec: o.timeLimitSec, seed: o.seed });
    for (const m of p.methods) if (!run.includes(m)) r[F(m, 'answer')] = 'skipped';
    const dis = r.disagreements as string[];
    if (t.kind === 'satlib' && r.sat !== satlibStatus(t.family as SatlibFamily)) dis.push(`SAT solver says ${r.sat}, SATLIB family ${t.family} says ${satlibStatus(t.family as SatlibFamily)}`);
    // A status the construction fixes (Tseitin, ordering, php, planted, k-XOR by elimination) must be MiniSat's too.
    if (known && known.status !== 'unknown' && r.sat !== 'unknown' && r.sat !== known.status) dis.push(`SAT solver says ${r.sat}, the ${t.family} construction says ${known.status} (${known.source})`);
    if (dis.length) process.stderr.write(`\nhardness ${t.id}: DISAGREEMENT: ${dis.join('; ')}\n`);
    const fam: Record<string, Json> = known ? { generator: known.spec, knownStatus: known.status, knownBy: known.source } : {};
    return { id: t.id, kind: t.kind, family: t.family ?? `random ratio ${RATIO}`, seed, ...fam, ...r };
  },
  report(rows, o) {
    const p = params(o);
    const limitMs = o.timeLimitSec * 1000;
    const methods = p.methods.filter((m) => rows.some((r) => typeof r[F(m, 'answer')] === 'string'));
    const primary = fastestMethod(methods.length ? methods : p.methods);
    const rnd = rows.filter((r) => r.kind === 'random');
    const lib = rows.filter((r) => r.kind === 'satlib');
    const fam = rows.filter((r) => r.kind === 'family');
    const ns = [...new Set(rnd.map((r) => r.n as number))].sort((a, b) => a - b);
    const cheap = [
      { key: 'conservativeMs', label: 'two conservative elements' },
      { key: 'clarkeOneMs', label: 'one Clarke subgradient' },
      { key: 'satMs', label: 'reference SAT solver (MiniSat)' },
    ];
    const label = (m: string): string => `Clarke decision, ${m === 'bab' ? 'branch-and-bound (bab)' : `MILP ${m}`}`;
    const cheapObs = (r: Row, key: string): Obs | null => (typeof r[key] === 'number' ? { ms: r[key] as number, censored: false } : null);
    // Per n (and per satisfiability): the censored median of each method.
    type Series = { key: string; label: string; get: (r: Row) => Obs | null; clarke: boolean };
    const series: Series[] = [
      ...methods.map((m) => ({ key: m, label: label(m), get: (r: Row) => obs(r, m), clarke: true })),
      ...cheap.map((c) => ({ key: c.key, label: c.label, get: (r: Row) => cheapObs(r, c.key), clarke: false })),
    ];
    const medAt = (rs: Row[], s: Series) => censoredMedian(rs.map(s.get).filter((x): x is Obs => x !== null));
    // The growth fits use the sizes whose median is a measurement; a censored median (a lower
    // bound) is drawn and tabulated but not fitted: entering it at the limit would flatten the
    // curve exactly where growth is steepest.
    const fits = series.map((s) => {
      const meds = ns.map((n) => ({ n, m: medAt(rnd.filter((r) => r.n === n), s) }));
      const censoredNs = meds.filter((x) => x.m.censored).map((x) => x.n);
      const pts = meds.filter((x) => !x.m.censored).map((x) => ({ n: x.n, t: x.m.ms })).filter((x) => Number.isFinite(x.t) && x.t > 0);
      const sizePts = rows.map((r) => ({ w: r.weights as number, o: s.get(r) })).filter((x) => x.o !== null && !x.o.censored);
      return { ...s, censoredNs, fit: growthFit(pts.map((x) => x.n), pts.map((x) => x.t)), size: logLogSlope(sizePts.map((x) => x.w), sizePts.map((x) => x.o!.ms)) };
    });
    // The same exponential fit per satisfiability (a satisfiable formula can end early, an
    // unsatisfiable one needs the whole proof), reported beside the rule's fit, not used by it.
    const bySat = methods.flatMap((m) => {
      const s = series.find((x) => x.key === m)!;
      return (['sat', 'unsat'] as const).map((sat) => {
        const meds = ns.map((n) => ({ n, m: medAt(rnd.filter((r) => r.n === n && r.sat === sat), s) }));
        const pts = meds.filter((x) => !x.m.censored && Number.isFinite(x.m.ms) && x.m.ms > 0);
        return { label: `${s.label}, ${sat === 'sat' ? 'satisfiable' : 'unsatisfiable'} formulas only`, censoredNs: meds.filter((x) => x.m.censored).map((x) => x.n), fit: growthFit(pts.map((x) => x.n), pts.map((x) => x.m.ms)) };
      });
    }).filter((f) => f.fit.exponential.n >= 3);
    const ci = (f: LineFit): string => (Number.isFinite(f.slopeCi[0]) ? `${fmt(f.slope)} [${fmt(f.slopeCi[0])}, ${fmt(f.slopeCi[1])}]` : fmt(f.slope));
    const medCell = (m: { ms: number; censored: boolean }, scale = 1): string => (Number.isFinite(m.ms) ? `${m.censored ? '≥ ' : ''}${fmt(m.ms / scale)}` : '—');
    const countCell = (rs: Row[], m: string): string => {
      const os = rs.map((r) => obs(r, m)).filter((x): x is Obs => x !== null);
      if (os.length === 0) return 'skipped';
      const exact = rs.filter((r) => DECIDED.has(r[F(m, 'answer')] as string) && r[F(m, 'exact')] === true).length;
      return `${os.filter((x) => !x.censored).length}/${os.length} (${exact} exact)`;
    };
    const perN = markdownTable({
      columns: ['n', 'formulas', 'sat / unsat', 'neurons (median)', ...methods.flatMap((m) => [`${m}: answered (exact)`, `${m}: median s (sat / unsat)`]), 'conservative median ms', 'clarkeOne median ms', 'SAT median ms'],
      rows: ns.map((n) => {
        const rs = rnd.filter((r) => r.n === n);
        const sat = rs.filter((r) => r.sat === 'sat');
        const uns = rs.filter((r) => r.sat === 'unsat');
        return [
          n,
          rs.length,
          `${sat.length} / ${uns.length}`,
          median(rs.map((r) => r.neurons as number)),
          ...methods.flatMap((m) => {
            const s = series.find((x) => x.key === m)!;
            return [countCell(rs, m), `${medCell(medAt(rs, s), 1000)} (${medCell(medAt(sat, s), 1000)} / ${medCell(medAt(uns, s), 1000)})`];
          }),
          ...cheap.map((c) => medCell(medAt(rs, series.find((x) => x.key === c.key)!))),
        ];
      }),
    });
    // Bases per variable lie near 1: four significant digits keep the interval's ends apart.
    const baseCell = (e: LineFit & { base: number }): string =>
      Number.isFinite(e.slopeCi[0]) ? `×${fmt(e.base, 4)} [×${fmt(Math.exp(e.slopeCi[0]), 4)}, ×${fmt(Math.exp(e.slopeCi[1]), 4)}] (${fmt(e.r2)})` : `×${fmt(e.base, 4)} (${fmt(e.r2)})`;
    const fitRow = (f: { label: string; censoredNs: number[]; fit: GrowthFit }, sizeCell: string): string[] => [
      f.label,
      `${f.fit.exponential.n}${f.censoredNs.length ? ` (n = ${f.censoredNs.join(', ')}: ≥ limit)` : ''}`,
      baseCell(f.fit.exponential),
      `${ci(f.fit.polynomial)} (${fmt(f.fit.polynomial.r2)})`,
      f.fit.better,
      sizeCell,
    ];
    const fitTable = markdownTable({
      columns: ['method', 'sizes fitted (censored medians)', 'exponential: ×base per variable [95% CI] (r²)', 'polynomial: degree [95% CI] (r²)', 'better', 'per formula: time ∝ weights^k, k [95% CI] (r²)'],
      rows: [...fits.map((f) => fitRow(f, `${ci(f.size)} (${fmt(f.size.r2)})`)), ...bySat.map((f) => fitRow(f, '—'))],
    });
    const libTable = lib.length
      ? markdownTable({
          columns: ['file', 'n', 'm', 'SAT solver', 'neurons', ...methods.map((m) => `${m}: answer (s)`), 'certificate', 'conservative ms', 'clarkeOne ms'],
          rows: lib.map((r) => [
            r.id.replace('satlib-', ''),
            r.n as number,
            r.m as number,
            r.sat as string,
            r.neurons as number,
            ...methods.map((m) => (r[F(m, 'answer')] === 'skipped' ? 'skipped' : `${r[F(m, 'answer')]}${r[F(m, 'exact')] === false && DECIDED.has(r[F(m, 'answer')] as string) ? ' (float)' : ''} (${fmt((r[F(m, 'ms')] as number) / 1000)})`)),
            methods.some((m) => r[F(m, 'certValid')] === false) ? '**REJECTED**' : methods.some((m) => r[F(m, 'certValid')] === true) ? 'verified' : '',
            fmt(r.conservativeMs as number),
            fmt(r.clarkeOneMs as number),
          ]),
        })
      : 'No SATLIB rows in this run.\n';
    // Families: MiniSat's time beside each method's, and their ratio (where the search and
    // clause learning part ways: a family easy for MiniSat but hard for the search is a finding).
    const famMethods = methods.filter((m) => fam.some((r) => obs(r, m) !== null));
    const famTable = fam.length
      ? markdownTable({
          columns: ['formula', 'generator', 'n', 'm', 'status (how known)', 'MiniSat ms', ...famMethods.map((m) => `${m}: answer (s)`), ...famMethods.map((m) => `${m} / MiniSat`)],
          rows: fam.map((r) => [
            r.id.replace('family-', ''),
            `\`${r.generator as string}\``,
            r.n as number,
            r.m as number,
            `${r.sat as string} (${r.knownStatus === 'unknown' ? 'MiniSat' : (r.knownBy as string)})`,
            fmt(r.satMs as number),
            ...famMethods.map((m) => (r[F(m, 'answer')] === 'skipped' ? 'skipped' : `${r[F(m, 'answer')]}${r[F(m, 'exact')] === false && DECIDED.has(r[F(m, 'answer')] as string) ? ' (float)' : ''} (${fmt((r[F(m, 'ms')] as number) / 1000)})`)),
            ...famMethods.map((m) => {
              const o = obs(r, m);
              return o === null ? '' : `${o.censored ? '≥ ' : ''}×${fmt(o.ms / Math.max(r.satMs as number, 1e-3))}`;
            }),
          ]),
        })
      : 'No formula-family rows in this run.\n';
    const problems = rows.flatMap((r) => (r.disagreements as string[]).map((d) => `${r.id}: ${d}`));
    const twos = rows.flatMap((r) => methods.filter((m) => r[F(m, 'answer')] === 'two'));
    const verified = rows.flatMap((r) => methods.filter((m) => r[F(m, 'certValid')] === true));
    const unknowns = rows.flatMap((r) => methods.filter((m) => r[F(m, 'answer')] === 'unknown' || r[F(m, 'answer')] === 'error').map((m) => `${r.id}/${m}`));
    const floatSingletons = rows.flatMap((r) => methods.filter((m) => r[F(m, 'answer')] === 'singleton' && r[F(m, 'exact')] !== true));
    const notes =
      `\n${twos.length} Clarke "two" answers, ${verified.length} certificates verified by src/verify; ` +
      `${floatSingletons.length} "singleton" answers rest on a float solver's status (exact: false; trusted for timing, checked against MiniSat); ` +
      `${unknowns.length} unknown/error answers (time limit ${o.timeLimitSec} s): censored observations, drawn as open markers at the limit, in the medians at their elapsed time ("≥" where the median itself is censored).\n` +
      `Confidence intervals: Student t, 95%, k − 2 degrees of freedom, on the log scale; they assume independent errors of equal variance around the fitted line.\n` +
      (problems.length ? `\n**DISAGREEMENTS (${problems.length}):**\n${problems.map((x) => `- ${x}`).join('\n')}\n` : '\nNo disagreement: every decided Clarke answer matches the reference SAT solver, every certificate verifies and decodes to a satisfying assignment, every conservative element is reproduced by backprop, and clarkeOne returned 0 on every unsatisfiable formula.\n');

    // Figure 1: the median time per method against n, one log-scale figure, fitted exponentials
    // of the Clarke methods dotted; censored medians as open markers.
    const medData = ns.flatMap((n) =>
      series.map((s) => {
        const m = medAt(rnd.filter((r) => r.n === n), s);
        return { n, s: m.ms / 1000, censored: m.censored, method: s.label };
      }),
    ).filter((d) => Number.isFinite(d.s) && d.s > 0);
    const fitData = fits
      .filter((f) => f.clarke && f.fit.better !== 'insufficient')
      .flatMap((f) => ns.map((n) => ({ n, s: Math.exp(f.fit.exponential.intercept + f.fit.exponential.slope * n) / 1000, method: f.label })));
    const yS = { field: 's', type: 'quantitative', scale: { type: 'log' }, title: 'time per formula, seconds (log scale)' };
    const xN = { field: 'n', type: 'quantitative', title: 'variables n (clauses m = round(4.26 n))' };
    const medianPlot = {
      title: { text: `Median time against n, random 3-SAT at ratio ${RATIO}`, subtitle: `dotted: fitted exponential of each Clarke method; open markers: median censored at the ${o.timeLimitSec} s limit` },
      layer: [
        { data: { values: medData }, mark: { type: 'line' }, encoding: { x: xN, y: yS, color: { field: 'method', type: 'nominal', title: null }, strokeDash: { field: 'method', type: 'nominal', title: null } } },
        { data: { values: medData.filter((d) => !d.censored) }, mark: { type: 'point', filled: true, size: 50 }, encoding: { x: xN, y: yS, color: { field: 'method', type: 'nominal', title: null }, shape: { field: 'method', type: 'nominal', title: null } } },
        { data: { values: medData.filter((d) => d.censored) }, mark: { type: 'point', filled: false, size: 80, strokeWidth: 2 }, encoding: { x: xN, y: yS, color: { field: 'method', type: 'nominal', title: null }, shape: { field: 'method', type: 'nominal', title: null } } },
        { data: { values: fitData }, mark: { type: 'line', strokeDash: [1, 3], strokeWidth: 1.5, opacity: 0.8 }, encoding: { x: xN, y: yS, color: { field: 'method', type: 'nominal', title: null } } },
      ],
    };
    // Figure 2: every Clarke decision, satisfiable and unsatisfiable side by side; censored runs
    // as open markers at their elapsed time (≈ the limit, drawn as a rule).
    const pointData = rows.flatMap((r) =>
      methods.flatMap((m) => {
        const x = obs(r, m);
        return x ? [{ n: r.n as number, s: x.ms / 1000, method: label(m), censored: x.censored, formulas: r.sat === 'sat' ? 'satisfiable' : r.sat === 'unsat' ? 'unsatisfiable' : 'SAT solver: unknown', source: r.kind === 'satlib' ? 'SATLIB' : 'random' }] : [];
      }),
    );
    const pEnc = { x: xN, y: yS, color: { field: 'method', type: 'nominal', title: 'method' }, shape: { field: 'source', type: 'nominal', title: 'instances' } };
    const pointsPlot = {
      title: { text: 'Every Clarke decision: satisfiable vs unsatisfiable formulas', subtitle: `filled: answered; open: no answer within ${o.timeLimitSec} s (censored; red rule = the limit)` },
      data: { values: pointData },
      facet: { column: { field: 'formulas', type: 'nominal', title: null } },
      spec: {
        width: 300,
        height: 260,
        layer: [
          { transform: [{ filter: 'datum.censored' }], mark: { type: 'point', filled: false, size: 70, strokeWidth: 2 }, encoding: pEnc },
          { transform: [{ filter: '!datum.censored' }], mark: { type: 'point', filled: true, size: 40, opacity: 0.8 }, encoding: pEnc },
          { mark: { type: 'rule', color: 'firebrick', strokeDash: [6, 4] }, encoding: { y: { datum: o.timeLimitSec } } },
        ],
      },
    };
    // Figure 3: per formula, time against the size of the network (log-log), with the fits.
    const sizeSeries = fits.filter((f) => f.key === primary || !f.clarke);
    const sizeData = rows.flatMap((r) => sizeSeries.flatMap((f) => {
      const x = f.get(r);
      return x ? [{ w: r.weights as number, s: x.ms / 1000, method: `${f.label} (k = ${fmt(f.size.slope)})`, censored: x.censored }] : [];
    }));
    const ws = rows.map((r) => r.weights as number);
    const wMin = Math.min(...ws);
    const wMax = Math.max(...ws);
    const sizeFit = sizeSeries.filter((f) => Number.isFinite(f.size.slope)).flatMap((f) =>
      [wMin, Math.sqrt(wMin * wMax), wMax].map((w) => ({ w, s: 10 ** (f.size.intercept + f.size.slope * Math.log10(w)) / 1000, method: `${f.label} (k = ${fmt(f.size.slope)})` })),
    );
    const xW = { field: 'w', type: 'quantitative', scale: { type: 'log' }, title: 'network size: nonzero weights (log scale)' };
    const sizePlot = {
      title: { text: 'Time against network size, per formula (log-log)', subtitle: 'lines: least-squares fit log t = a + k·log(weights) over the answered runs; k ≈ 1 is linear time; open markers: censored at the limit, not fitted' },
      layer: [
        { data: { values: sizeData.filter((d) => !d.censored) }, mark: { type: 'point', filled: true, size: 30, opacity: 0.7 }, encoding: { x: xW, y: yS, color: { field: 'method', type: 'nominal', title: null }, shape: { field: 'method', type: 'nominal', title: null } } },
        { data: { values: sizeData.filter((d) => d.censored) }, mark: { type: 'point', filled: false, size: 60, strokeWidth: 2 }, encoding: { x: xW, y: yS, color: { field: 'method', type: 'nominal', title: null }, shape: { field: 'method', type: 'nominal', title: null } } },
        { data: { values: sizeFit }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: xW, y: yS, color: { field: 'method', type: 'nominal', title: null }, strokeDash: { field: 'method', type: 'nominal', title: null } } },
      ],
    };

    // Claims and their rules.
    const prim = fits.find((f) => f.key === primary);
    const growth = prim ? exponentialGrowthHolds(prim.fit) : { holds: false, why: 'no Clarke method ran' };
    const consFit = fits.find((f) => f.key === 'conservativeMs')!.size;
    const oneFit = fits.find((f) => f.key === 'clarkeOneMs')!.size;
    const consTwo = rows.filter((r) => r.conservative === 'two').length;
    const consOk = rows.length > 0 && consTwo === rows.length && rows.every((r) => r.conservativeReproduced === true);
    const unsat = rows.filter((r) => r.sat === 'unsat');
    const oneOk = rows.length > 0 && unsat.every((r) => r.clarkeOneZero === true);
    const notSuperlinear = (f: LineFit): boolean => Number.isFinite(f.slopeCi[0]) && f.slopeCi[0] <= 1.1;
    const maxN = rows.length ? Math.max(...rows.map((r) => r.n as number)) : 0;
    const answered = prim ? rows.filter((r) => { const x = obs(r, primary); return x && !x.censored; }).length : 0;
    const ran = prim ? rows.filter((r) => obs(r, primary) !== null).length : 0;
    const claims: Claim[] = [
      {
        ref: '3',
        claim: 'Two Clarke subgradients are hard',
        statement: 'deciding |∂^c F(0)| ≥ 2 for ternary bias-free F is NP-complete (reduction from 3-SAT)',
        measured: prim
          ? `${rows.length} formulas, n ≤ ${maxN} (${rnd.filter((r) => r.sat === 'sat').length} sat, ${rnd.filter((r) => r.sat === 'unsat').length} unsat random): ${label(primary)} median time ${describeExponential(prim.fit.exponential)}, up to ${medCell(medAt(rnd.filter((r) => r.n === ns[ns.length - 1]), prim), 1000)} s median at n = ${ns[ns.length - 1]}; ${answered}/${ran} answered within ${o.timeLimitSec} s; ${verified.length}/${twos.length} certificates verified; ${problems.length} disagreements`
          : 'no Clarke method ran',
        holds: rows.length === 0 || !prim ? 'unknown' : problems.length > 0 ? 'no' : growth.holds ? 'yes' : 'partly',
        rule: `claim 3 (${label(primary)}): "no" on any disagreement with the SAT solver or rejected certificate; else ${GROWTH_RULE}; otherwise "partly". Here: ${growth.why}.`,
      },
      {
        ref: '4',
        claim: 'Two conservative elements are easy',
        statement: 'two distinct elements of D^a_F(0) (or a singleton proof) in linear time',
        measured: `two elements on ${consTwo}/${rows.length} reduced formulas (up to ${rows.length ? Math.max(...ws) : 0} weights), max ${fmt(Math.max(...rows.map((r) => r.conservativeMs as number)))} ms; time ∝ weights^k, k = ${ci(consFit)} (95% CI)`,
        holds: rows.length === 0 ? 'unknown' : !consOk ? 'no' : notSuperlinear(consFit) ? 'yes' : 'partly',
        rule: 'claim 4: "no" unless every reduced formula gets two conservative elements, each reproduced by one backprop; then "yes" iff the 95% CI of k in time ∝ weights^k (per-formula log-log fit) reaches down to ≤ 1.1 (not detectably superlinear), else "partly".',
      },
      {
        ref: '5',
        claim: 'One Clarke subgradient is cheap',
        statement: 'backprop at a point with no zero pre-activation gives an element of ∂^c F(0)',
        measured: `clarkeOne on ${rows.length} reduced formulas: max ${fmt(Math.max(...rows.map((r) => r.clarkeOneMs as number)))} ms, time ∝ weights^k, k = ${ci(oneFit)} (95% CI); 0 on every unsatisfiable one (${unsat.length}): ${oneOk ? 'yes' : 'NO'}`,
        holds: rows.length === 0 ? 'unknown' : !oneOk ? 'no' : notSuperlinear(oneFit) ? 'yes' : 'partly',
        rule: 'claim 5: "no" if clarkeOne returns a nonzero vector on an unsatisfiable formula (where ∂^c F(0) = {0}); else "yes" iff the 95% CI of k in time ∝ weights^k reaches down to ≤ 1.1, else "partly".',
      },
    ];
    return {
      markdown: `## Random 3-SAT at ratio ${RATIO}\n\nCells "answered (exact)": answers within the limit / runs (of which resting on exact reasoning only). Median times over all formulas of that n, then over the satisfiable / unsatisfiable ones.\n\n${perN}\n## Growth fits\n\nExponential and polynomial: ln(median time) against n and ln n, over the sizes whose median is a measurement (censored medians are lower bounds, listed, not fitted). Last column: ln(time) against ln(weights), every answered run (censored runs not fitted). The last rows fit the satisfiable and the unsatisfiable formulas' medians separately (shown, not used by the rule). "better" only says which of the two lines fits the medians more closely over this range; for the cheap methods (fractions of a millisecond, per-call overhead dominating at small n) it says nothing about their growth, which is judged by k against the network size (claims 4 and 5).\n\n${fitTable}\n## SATLIB samples\n\n${libTable}\n## Formula families (src/cnf/generators)\n\nGenerated formulas whose status theory or the generator fixes (Tseitin with odd charge, ordering and pigeonhole: unsatisfiable; planted: satisfiable; k-XOR: Gaussian elimination), reduced and decided like the rest; MiniSat's time is the in-process median of repeated calls. "≥" marks a method stopped by the limit (its ratio is a lower bound).\n\n${famTable}${notes}`,
      plots: [
        { name: 'time-vs-n', spec: medianPlot },
        { name: 'clarke-times', spec: pointsPlot },
        { name: 'time-vs-size', spec: sizePlot },
      ],
      claims,
      summary: {
        methods: methods as Json,
        primary,
        fits: fits.map((f) => ({ method: f.label, ...f.fit, perFormulaVsWeights: f.size })) as unknown as Json,
        problems: problems as Json,
        unknowns: unknowns as Json,
        twos: twos.length,
        verified: verified.length,
        floatSingletons: floatSingletons.length,
      },
    };
  },
};
export default hardness;
