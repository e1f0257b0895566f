/**
 * Deciding "does ∂^c F(x̄) have two distinct elements?" (docs/theory.md §6), with a certificate for `two`
 * and an honest `restsOn` for `singleton`.
 *
 * 1. Localize: G(h) = F'(x̄; h), positively homogeneous, ∂^c F(x̄) = ∂^c G(0)   (localize.ts).
 * 2. One Clarke subgradient: g = gradient of the piece entered along a random direction y whose
 *    pattern is strict (exact check, resample on a tie; docs/theory.md §2 claim 5).
 * 3. G is linear iff D(x) = G(x) − g·x vanishes on [-1,1]^p (Euler: on the piece around y,
 *    G = g·x; a linear G equals it everywhere; conversely D ≢ 0 means two pieces, two gradients).
 * 4. Presolve the DAG of G (presolve.ts), encode big-M (src/milp/relu-encoding.ts).
 * 5. Search for `two` with a threshold: feasibility of σ·D(x) ≥ 1 on the unit box, σ = ±1 (cheap;
 *    measured: the optimization form did not finish on uf20, the feasibility form did).
 *    A solver's x* is only a hint: a rational point y' near it with a strict pattern is found and
 *    checked exactly; its piece gradient g' ≠ g gives the certificate, which src/verify checks
 *    before `two` is answered. A `two` never rests on a solver's word.
 * 6. Prove `singleton` separately. Exact (`exact: true`): no zero pre-activation at x̄ with a
 *    nonzero tangent (F is linear near x̄), or presolve's exact algebra and exact interval bounds
 *    reduce D to 0 (a reduction that used float64 symbolic bounds is redone without them).
 *    Numerical (a floating-point solver's word, never `exact`):
 *    - a network the caller built by the SAT reduction (`reduction: true`; never read from
 *      `meta`), at x̄ = 0 with g = 0 (then D = F ≥ 0): every satisfying assignment has a ±1 point
 *      with F ≥ 1, so infeasibility of F(x) ≥ 1 on [-1,1]^n says the formula is unsatisfiable,
 *      hence F ≡ 0 and ∂^c F(0) = {0} (docs/theory.md §6 "Thresholds");
 *    - otherwise the optimization form max σ·D over the unit box, both signs, optimum ≤ tolerance.
 *    By default a numerical singleton is answered `unknown` with `hint: 'singleton'`, the solver
 *    status and `slack` (numericalSlack); `trustSolver` answers `singleton` with `exact: false`.
 * Any limit hit, or a solver hint that fails the exact check, gives `unknown`.
 */
import { Rational, ZERO, vecEq } from '../exact/rational';
import { Rng } from '../exact/rng';
import type { Network } from '../network/network';
import { checkPoint } from '../network/evaluate';
import { networkToJson } from '../network/format';
import type { MilpBackend, MilpModel, SolveResult, SolverName, SolveStatus } from '../milp/model';
import type { ProofSink } from '../certificate/proof';
import { runBabPhase } from './bab/phase';
import { encodeReluDag, type EncodingForm } from '../milp/relu-encoding';
import { getBackend, DEFAULT_SOLVER } from '../milp/backends';
import { certificateToJson, type ClarkeCertificate } from '../certificate/certificate';
import { verifyCertificate } from '../verify';
import { addScaled, evaluateDag, type LinExpr, type ReluDag } from '../network/dag';
import { genericDirection, localize, tangentPass, type Localized, type TangentPass } from './localize';
import { floatDiffers, floatTangent, signsAtBar } from './float-tangent';
import { dagGradient, presolve, type PresolveOptions, type PresolveStats, type Presolved } from './presolve';

export type ClarkeAnswerKind = 'two' | 'singleton' | 'unknown';

/** The default backend: the fastest on the benchmark (src/milp/backends). */
export { DEFAULT_SOLVER } from '../milp/backends';
/** Optimum below which the optimization form counts as 0 (the solvers' default absolute gap). */
export const SINGLETON_TOLERANCE = 1e-6;

/** A MILP backend, or 'bab': the exact branch and bound on the network (src/clarke/bab). */
export type ClarkeSolver = SolverName | 'bab';
/**
 * The default procedure of the Clarke question: the branch and bound, which on the benchmark
 * (docs/benchmarks.md, bench/results/clarke-bab.md) decides every SATLIB sample up to n = 100 with
 * exact answers, where the fastest MILP backend (DEFAULT_SOLVER) stops near n = 50.
 */
export const DEFAULT_CLARKE_SOLVER: ClarkeSolver = 'bab';

export interface DecideOptions {
  /** The point x̄ (default 0). */
  at?: Rational[];
  solver?: ClarkeSolver;
  /**
   * Receives the lines of an exact proof (nsad-clarke-proof) when the answer is an exact
   * `singleton` proven by the branch and bound: with `solver: 'bab'`, or after a MILP backend's
   * numerical singleton (then bab re-proves it exactly). Lines written for other answers are void.
   */
  proofSink?: ProofSink;
  /** Total wall-clock budget in seconds (default 60), counted from `startedAt`. */
  timeLimitSec?: number;
  /** performance.now() when the budget started (default: when decideClarke is called). */
  startedAt?: number;
  /** Seed of the random directions (default 1). */
  seed?: number;
  /** Threads for the branch and bound after its one-second warm-up (src/clarke/bab/parallel.ts); default 1. */
  jobs?: number;
  presolve?: PresolveOptions;
  /**
   * The caller built this network by the SAT reduction (F ≥ 0, F ≥ 1 at the ±1 point of every
   * satisfying assignment): `decideCnf`, or `nsad clarke --cnf` after rebuilding and comparing it
   * exactly. Never read from the file's `meta` (anyone can write that field). Default false.
   */
  reduction?: boolean;
  /**
   * Accept a `singleton` that rests on a floating-point solver's word (optimality or
   * infeasibility status within its tolerances): answered `singleton` with `exact: false`.
   * Default false: such a case is answered `unknown` with `hint: 'singleton'` and `slack`.
   */
  trustSolver?: boolean;
  /** Directions tried by the multiscale probe before any solver (phaseProbeTwo); 0 = off. Default 96 (8 before bab, which finds thin pieces itself). */
  probeSamples?: number;
  /** Called with each model before it is solved (the CLI's --export takes the first). */
  onModel?: (model: MilpModel, label: string) => void;
  /** Inject a backend (tests); default getBackend(solver). */
  backend?: MilpBackend;
  /** Progress lines (the CLI sends them to stderr). */
  progress?: (line: string) => void;
}

/** The branch and bound's work on an answer (docs/benchmarks.md defines the counts). */
export interface BabSummary {
  /** Search time (ms), and the independent checker's time on the proof (ms, singleton only). */
  searchMs: number;
  checkMs?: number;
  /** Network bounds computed (boxes bounded), leaves closed exactly. */
  bounds: number;
  leaves: number;
  /** CDCL: decisions, conflicts, lemmas learned, lemmas in the proof; orthants searched by the tree. */
  decisions: number;
  conflicts: number;
  lemmas: number;
  proofLemmas: number;
  subSearches: number;
}

export interface SolveLog {
  label: string;
  status: SolveStatus;
  rawStatus: string;
  objective: number | null;
  timeMs: number;
  binaries: number;
  constraints: number;
}

export interface ClarkeAnswer {
  answer: ClarkeAnswerKind;
  /**
   * True iff the answer rests on exact reasoning only: `two` with a certificate checked by
   * src/verify, or `singleton` by an exact special case (docs/theory.md §6.x "What each answer rests
   * on"). False for a singleton accepted on a solver's word (--trust-solver) and for `unknown`.
   */
  exact: boolean;
  /**
   * On `unknown`: `singleton` when a floating-point solver says the subdifferential is a singleton
   * but that is not proven exactly (the default refuses to print it as an answer).
   */
  hint?: 'singleton';
  /** The status of the solve a numerical singleton rests on (e.g. "optimal (Optimal)"). */
  solverStatus?: string;
  /**
   * How far the true optimum of the deciding model may be from the solver's reported one, given
   * the model's big-M constants and the solver's tolerances (formula: `numericalSlack`).
   */
  slack?: number;
  /** two: [g1, g2] (those of the certificate); singleton: [g]. */
  subgradients?: Rational[][];
  certificate?: ClarkeCertificate;
  restsOn: string;
  solver: ClarkeSolver;
  /** Leaves of the proof sent to proofSink (exact singleton by bab); absent otherwise. */
  proofLeaves?: number;
  /** What the branch and bound did (solver bab). */
  bab?: BabSummary;
  timeMs: number;
  /** Binaries of the first model (after presolve); 0 when no solver was needed. */
  binaries: number;
  /** Relu neurons of the tangent network before presolve (one binary each in a naive model). */
  binariesBefore: number;
  constraints: number;
  presolve?: PresolveStats;
  solves: SolveLog[];
  /** Whether the reduction rule of docs/theory.md §6 was available. */
  reduction: boolean;
}

/**
 * A bound on how far a floating-point MILP solver's optimum may be from the true optimum of the
 * model of σ·D over the box (docs/theory.md §8 "Tolerances"). With tolerance ε (integrality and
 * feasibility, the backend's `tolerance`), a returned solution may set a binary to ε instead of 0
 * (or 1 − ε instead of 1) and violate each row by ε. For a relu neuron k with big-M bounds
 * z_k ∈ [l_k, u_k] and M_k = max(|l_k|, |u_k|), the rows y ≤ u·a, y ≤ z − l·(1 − a) then let its
 * output y_k differ from relu(z_k) by at most δ_k = ε·M_k + 2ε (the binary's slack, the row's
 * slack, and the row defining z_k). An error δ_k in y_k moves the objective by at most s_k·δ_k,
 * where s_k is the sum over paths from k to the output of the products of |weights| (computed
 * backwards over the DAG). Adding the absolute optimality gap ε:
 *
 *     slack = ε + Σ_k s_k · (ε·M_k + 2ε).
 *
 * It is an estimate of scale, not a proof (the solver's internal arithmetic is not modelled): it
 * says when a reported optimum "≈ 0" cannot be told apart from a small positive one. On the
 * doubling network relu(min(x2, x1 − 2^m·x2)) it is ≥ 2^m·ε, tens for m = 25.
 */
export function numericalSlack(dag: ReluDag, lo: readonly number[], hi: readonly number[], objective: LinExpr, tolerance: number): number {
  const eps = Math.max(tolerance, 1e-9);
  const p = dag.inputDim;
  const n = dag.neurons.length;
  const s = new Float64Array(n);
  for (const [v, c] of objective.terms) if (v >= p) s[v - p] += Math.abs(c.toNumber());
  for (let k = n - 1; k >= 0; k--) {
    if (s[k] === 0) continue;
    for (const [v, c] of dag.neurons[k]!.terms) if (v >= p) s[v - p] += Math.abs(c.toNumber()) * s[k]!;
  }
  let slack = eps;
  for (let k = 0; k < n; k++) {
    const M = Math.max(Math.abs(lo[k] ?? 0), Math.abs(hi[k] ?? 0));
    slack += s[k]! * (eps * M + 2 * eps);
  }
  return slack;
}

/** The vector times the lcm of its denominators: an integer vector on the same ray. */
function integral(v: readonly Rational[]): Rational[] {
  let D = 1n;
  for (const x of v) {
    let a = D;
    let b = x.d;
    while (b !== 0n) [a, b] = [b, a % b];
    D = (D / a) * x.d;
  }
  return D === 1n ? v.slice() : v.map((x) => Rational.int(x.n * (D / x.d)));
}

/**
 * A rational point near the solver's x* with a strict pattern and a piece gradient ≠ g.
 * Pre: xs finite. Post: result.gradient ≠ g and tangentPass(h) is strict, or null.
 */
export function certifyWitness(
  net: Network,
  preAtBar: readonly (readonly Rational[])[],
  xs: readonly number[],
  g: readonly Rational[],
  rng: Rng,
  extraTries = 200,
): { h: Rational[]; gradient: Rational[]; strict: boolean } | null {
  // v·1e6 overflows to ±Infinity for |v| > ~1.8e302 (BigInt would throw): keep v itself there.
  const round6 = (v: number): Rational => (Number.isFinite(v * 1e6) ? Rational.of(BigInt(Math.round(v * 1e6)), 1_000_000n) : Rational.fromNumber(v));
  const bases = [xs.map(round6), xs.map((v) => Rational.fromNumber(v))];
  const signs = bases[0]!.map((b) => b.sign());
  // Candidates: the rounded point, small perturbations of it, then — keeping each coordinate's
  // sign — random magnitudes (log-uniform over 2^±8): points of a region where some
  // pre-activation vanishes identically are never strict, other points of the same orthant may be.
  // Each candidate is scaled to integers (a positive multiple of a direction has the same pattern
  // and piece, G being positively homogeneous): the exact pass then runs on integers, no gcds.
  function* candidates(): Generator<Rational[]> {
    for (const base of bases) {
      yield integral(base);
      for (let attempt = 0; attempt < 14; attempt++) {
        const k = 9 - Math.floor(attempt / 2); // 1e-9 … 1e-3
        const den = 1000n * 10n ** BigInt(k);
        yield integral(base.map((b) => b.add(Rational.of(rng.bigint(-1000n, 1000n), den))));
      }
    }
    for (let attempt = 0; attempt < extraTries; attempt++)
      yield integral(
        signs.map((s) => {
          const m = Rational.of(rng.bigint(1n, 1n << 16n), 1n << 8n);
          return s === 0 ? Rational.of(rng.bigint(-1000n, 1000n), 1_000_000n) : s > 0 ? m : m.neg();
        }),
      );
  }
  // Float filter first (src/clarke/float-tangent.ts): one exact pass per candidate whose float
  // pattern is strict and whose float gradient differs from g.
  const barSigns = signsAtBar(preAtBar);
  const gf = g.map((v) => v.toNumber());
  // In two batches: the rounded point and its small perturbations, then the random magnitudes
  // (most witnesses are certified from the first batch, which costs 30 float passes).
  const gen = candidates();
  const take = (n: number): Rational[][] => {
    const out: Rational[][] = [];
    while (out.length < n) {
      const r = gen.next();
      if (r.done) break;
      out.push(r.value);
    }
    return out;
  };
  let fallback: { h: Rational[]; gradient: Rational[]; strict: boolean } | null = null;
  for (const size of [2 * 15, Infinity]) {
    const batch = take(size);
    const filtered: Array<{ h: Rational[]; ties: number }> = [];
    const rest: Rational[][] = [];
    for (const h of batch) {
      const ft = floatTangent(net, barSigns, h.map((v) => v.toNumber()));
      if (floatDiffers(ft.gradient, gf)) filtered.push({ h, ties: ft.ties });
      else if (rest.length < 40) rest.push(h);
    }
    // Fewest float ties first (stable): a point on a kink (a ±1 corner of the reduction) has ties
    // that do not vanish; a point just off it does not.
    filtered.sort((a, b) => a.ties - b.ties);
    // Prefer a strict pattern (the plain certificate); else accept vanishing ties (see tangentPass).
    let afterFallback = 0;
    for (const [i, h] of [...filtered.map((f) => f.h), ...rest].entries()) {
      // Once a certificate with ties is in hand, only a candidate whose float pattern is strict
      // can improve on it (sorted: the first with float ties ends the strict ones). On the
      // reduction, whose ties vanish identically, this saves the exact passes that cannot succeed.
      if (fallback && (i >= filtered.length || filtered[i]!.ties > 0)) break;
      const pass = tangentPass(net, preAtBar, h);
      if (pass.gradient && !vecEq(pass.gradient, g)) {
        if (pass.ties === 0) return { h, gradient: pass.gradient, strict: true };
        fallback ??= { h, gradient: pass.gradient, strict: false };
      }
      // A few more tries for a strict pattern; on networks with ties that vanish identically (the
      // reduction) no point is strict, and each try is an exact pass.
      if (fallback && ++afterFallback > 4) break;
    }
    if (fallback) break;
  }
  return fallback;
}

/** Everything the phases share: options, the point, the RNG, the solver log, the clock. */
export interface DecideRun {
  net: Network;
  opts: DecideOptions;
  xbar: Rational[];
  atZero: boolean;
  rng: Rng;
  /** Half-width of the box of presolve's bounds and of the model (docs/theory.md §6). */
  box: number;
  solverName: ClarkeSolver;
  t0: number;
  deadline: number;
  log: (line: string) => void;
  solves: SolveLog[];
  /** Filled by the first model built. */
  binaries: number;
  binariesBefore: number;
  constraints: number;
  reduction: boolean;
}

type AnswerCore = Pick<ClarkeAnswer, 'answer' | 'exact' | 'restsOn' | 'subgradients' | 'certificate' | 'presolve' | 'hint' | 'solverStatus' | 'slack' | 'proofLeaves' | 'bab'>;

/** Close a run with an answer (fills the shared fields). */
export function finish(run: DecideRun, a: AnswerCore): ClarkeAnswer {
  return {
    solver: run.solverName,
    binaries: run.binaries,
    binariesBefore: run.binariesBefore,
    constraints: run.constraints,
    solves: run.solves,
    reduction: run.reduction,
    ...a,
    timeMs: performance.now() - run.t0,
  };
}

/** Phase 1 — localize: the tangent DAG of G at x̄ and one direction with a certifiable pattern. */
export interface LocalizePhase {
  loc: Localized;
  /** A direction whose piece gradient is a Clarke subgradient (strict, or ties vanishing), or null. */
  gen: { h: Rational[]; pass: TangentPass } | null;
}

export function phaseLocalize(run: DecideRun): LocalizePhase {
  const loc = localize(run.net, run.xbar);
  run.binariesBefore = loc.dag.neurons.length;
  const gen = genericDirection(run.net, loc.preAtBar, run.rng);
  return { loc, gen };
}

/** Phase 2 — presolve the tangent DAG (exact algebra, bounds on the box). */
export function phasePresolve(run: DecideRun, lp: LocalizePhase, options: PresolveOptions | undefined = run.opts.presolve): Presolved {
  const pres = presolve(lp.loc.dag, options);
  const stats = pres.stats;
  run.log(`presolve: ${stats.before} → ${stats.after} relu neurons (${stats.timeMs.toFixed(0)} ms)`);
  return pres;
}

/** Phase 3 — one Clarke subgradient g and the objective D(x) = G(x) − g·x. */
export interface SubgradientPhase {
  g: Rational[];
  /** Whether a `two` can be certified (the first direction has a certifiable pattern). */
  certifiable: boolean;
  objective: LinExpr;
}

export function phaseSubgradient(run: DecideRun, lp: LocalizePhase, pres: Presolved): SubgradientPhase | null {
  let g: Rational[] | null = lp.gen ? lp.gen.pass.gradient! : null;
  const certifiable = lp.gen !== null;
  if (g === null) {
    // No strict direction of F (a pre-activation vanishes identically near x̄): take g from the
    // presolved DAG, where such neurons have been simplified away; `two` cannot be certified then.
    // A bounded number of draws: this search ends (docs/theory.md §2 claim 5).
    const R = 1n << 20n;
    const p = run.net.inputDim;
    for (let t = 0; t < 64 && g === null; t++) {
      const y = Array.from({ length: p }, () => Rational.int(run.rng.bigint(-R, R)));
      g = dagGradient(pres.dag, evaluateDag(pres.dag, y).pre);
    }
    if (g === null) return null;
  }
  const gv = g;
  const acc = { terms: new Map<number, Rational>(), c: ZERO };
  addScaled(acc, pres.dag.output, Rational.int(1));
  gv.forEach((gi, i) => {
    if (!gi.isZero()) addScaled(acc, { terms: new Map([[i, gi]]), c: ZERO }, Rational.int(-1));
  });
  return { g: gv, certifiable, objective: acc };
}

/** Runs one model through the backend, within the run's deadline, and logs it. */
export async function solveForm(
  run: DecideRun,
  pres: Presolved,
  objective: LinExpr,
  form: EncodingForm,
  label: string,
): Promise<{ res: SolveResult; inputVars: number[]; model: MilpModel }> {
  const enc = encodeReluDag(pres.dag, pres.lo, pres.hi, objective, form, { name: label, box: run.box });
  if (run.solves.length === 0 && run.binaries === 0 && run.constraints === 0) {
    run.binaries = enc.binaries;
    run.constraints = enc.constraints;
  }
  run.opts.onModel?.(enc.model, label);
  const remaining = (run.deadline - performance.now()) / 1000;
  let res: SolveResult;
  if (enc.triviallyInfeasible) {
    res = { status: 'infeasible', objective: null, x: null, timeMs: 0, solver: run.solverName as SolverName, rawStatus: 'infeasible by construction (−c·relu ≥ t > 0)', tolerance: 0 };
  } else if (remaining < 0.2) {
    res = { status: 'time-limit', objective: null, x: null, timeMs: 0, solver: run.solverName as SolverName, rawStatus: 'time limit reached before this solve', tolerance: 0 };
  } else {
    run.log(`${label}: ${enc.binaries} binaries, ${enc.constraints} constraints, ${run.solverName}, limit ${remaining.toFixed(1)} s`);
    const backend = run.opts.backend ?? getBackend(run.solverName as SolverName);
    res = await backend.solve(enc.model, {
      timeLimitSec: remaining,
      firstFeasible: form.kind === 'feasibility',
      mipRelGap: form.kind === 'maximize' ? 0 : undefined,
    });
  }
  run.solves.push({ label, status: res.status, rawStatus: res.rawStatus, objective: res.objective, timeMs: res.timeMs, binaries: enc.binaries, constraints: enc.constraints });
  run.log(`${label}: ${res.status} (${res.rawStatus}) in ${(res.timeMs / 1000).toFixed(2)} s`);
  return { res, inputVars: enc.inputVars, model: enc.model };
}

/** A `two` from a second direction whose piece gradient differs from g, checked by src/verify. */
function twoFromWitness(
  run: DecideRun,
  lp: LocalizePhase,
  sg: SubgradientPhase,
  pres: Presolved | null,
  w: { h: Rational[]; gradient: Rational[]; strict: boolean },
  how: string,
): ClarkeAnswer {
  const gen = lp.gen!;
  const certificate: ClarkeCertificate = { at: run.xbar.slice(), directions: [gen.h, w.h], gradients: [sg.g, w.gradient] };
  const check = verifyCertificate(networkToJson(run.net), certificateToJson(certificate));
  if (!check.valid) throw new Error(`internal: a certificate built from exact checks failed the verifier: ${check.reason}`);
  return finish(run, {
    answer: 'two',
    exact: true,
    subgradients: [sg.g, w.gradient],
    certificate,
    presolve: pres?.stats,
    restsOn:
      (gen.pass.ties === 0 && w.strict
        ? 'certificate checked exactly by src/verify (strict activation patterns)'
        : 'certificate checked exactly by src/verify (patterns with ties whose pre-activations vanish identically, checked exactly)') + `; second direction ${how}`,
  });
}

/** Turn a solver's point into an exactly checked certificate of `two`, or null. */
export function certifyTwo(
  run: DecideRun,
  lp: LocalizePhase,
  sg: SubgradientPhase,
  pres: Presolved,
  res: SolveResult,
  inputVars: number[],
): ClarkeAnswer | null {
  if (!res.x || !sg.certifiable) return null;
  const xs = inputVars.map((i) => res.x![i]!);
  if (!xs.every(Number.isFinite)) return null;
  const w = certifyWitness(run.net, lp.loc.preAtBar, xs, sg.g, run.rng);
  if (!w) return null;
  return twoFromWitness(run, lp, sg, pres, w, `near ${run.solverName}'s point`);
}

/**
 * Phase 3b — an exact multiscale probe for `two`, before any solver: random directions whose
 * coordinates have random signs and magnitudes 2^e, e uniform in [−64, 64]. A piece of G is an
 * open cone; thin ones (x2/x1 < 2^−m on the doubling network of issue 10) are missed by directions
 * of one scale but hit by these with a probability that does not shrink with m up to ~60. Every
 * hit is checked exactly (tangentPass, then src/verify); a miss proves nothing. Bounded: at most
 * `samples` exact passes, within min(1 s, a twentieth of the time budget).
 */
export function phaseProbeTwo(run: DecideRun, lp: LocalizePhase, sg: SubgradientPhase, pres: Presolved | null, samples = 96): ClarkeAnswer | null {
  if (!sg.certifiable || samples <= 0) return null;
  const p = run.net.inputDim;
  // At most 1 s or a twentieth of the budget (at least 50 ms): on large networks each pass costs O(nnz).
  const stopAt = performance.now() + Math.min(1000, Math.max(50, (run.deadline - performance.now()) / 20));
  // Each direction is filtered in floats (src/clarke/float-tangent.ts) before its exact pass: a
  // direction whose float piece gradient equals g's is skipped (it costs one exact pass only when
  // the floats see a second piece, or cannot tell).
  const barSigns = signsAtBar(lp.loc.preAtBar);
  const gf = sg.g.map((v) => v.toNumber());
  for (let t = 0; t < samples && performance.now() < stopAt; t++) {
    const h = Array.from({ length: p }, () => {
      const e = run.rng.int(-64, 64);
      const mant = run.rng.bigint(1n << 20n, 1n << 21n);
      const mag = e >= 0 ? Rational.int(mant << BigInt(e)) : Rational.of(mant, 1n << BigInt(-e));
      return run.rng.int(0, 1) === 0 ? mag : mag.neg();
    });
    const ft = floatTangent(run.net, barSigns, h.map((v) => v.toNumber()));
    // With bab behind it a miss costs nothing but time, so the float verdict "same piece" is
    // taken even where cancellation makes floats unreliable; before a MILP backend only where the
    // float signs are safe (the probe is then what finds the thin pieces, docs/theory.md §6).
    if (!floatDiffers(ft.gradient, gf) && (run.solverName === 'bab' || ft.margin > 1e-9)) continue;
    // The exact pass (and the certificate) on the integer direction of the same ray: no fractions.
    const hi = integral(h);
    const pass = tangentPass(run.net, lp.loc.preAtBar, hi);
    if (pass.gradient && !vecEq(pass.gradient, sg.g)) return twoFromWitness(run, lp, sg, pres, { h: hi, gradient: pass.gradient, strict: pass.ties === 0 }, 'found by the exact multiscale probe');
  }
  return null;
}

/** Phase 4 — search for `two`: feasibility of σ·D(x) ≥ 1 on the box; a hit is certified exactly. */
export interface SearchTwoPhase {
  two: ClarkeAnswer | null;
  /** Result of each sign's feasibility solve. */
  results: Map<number, SolveResult>;
  notes: string[];
}

export async function phaseSearchTwo(run: DecideRun, lp: LocalizePhase, sg: SubgradientPhase, pres: Presolved): Promise<SearchTwoPhase> {
  const gZero = sg.g.every((v) => v.isZero());
  const signs: Array<1 | -1> = run.reduction && gZero ? [1] : [1, -1];
  const results = new Map<number, SolveResult>();
  const notes: string[] = [];
  for (const sign of signs) {
    const label = `feasibility ${sign > 0 ? '+' : '-'}(G(x) - g.x) >= 1`;
    const { res, inputVars } = await solveForm(run, pres, sg.objective, { kind: 'feasibility', sign, threshold: 1 }, label);
    results.set(sign, res);
    if (res.status === 'optimal' || res.status === 'feasible' || res.x) {
      const two = certifyTwo(run, lp, sg, pres, res, inputVars);
      if (two) return { two, results, notes };
      if (res.status === 'optimal' || res.status === 'feasible')
        notes.push(
          sg.certifiable
            ? `${run.solverName} reported ${label} feasible but no certifiable point near its solution was found`
            : `${run.solverName} reported ${label} feasible, but no direction with a certifiable pattern was found for the first subgradient`,
        );
    }
  }
  return { two: null, results, notes };
}

/**
 * A singleton that rests on a floating-point solver's word: by default `unknown` with
 * `hint: 'singleton'`, the solver status and the slack; with `trustSolver`, `singleton` with
 * `exact: false`. Either way `restsOn` says what was computed.
 */
function numericalSingleton(run: DecideRun, sg: SubgradientPhase, pres: Presolved, restsOn: string, solverStatus: string, slack: number): ClarkeAnswer {
  if (run.opts.trustSolver)
    return finish(run, { answer: 'singleton', exact: false, subgradients: [sg.g], presolve: pres.stats, restsOn: `${restsOn}; accepted on the solver's word (--trust-solver)`, solverStatus, slack });
  return finish(run, {
    answer: 'unknown',
    exact: false,
    hint: 'singleton',
    subgradients: [sg.g],
    presolve: pres.stats,
    restsOn: `${restsOn}; not proven exactly (the true optimum may differ from the reported one by up to ${slack.toPrecision(3)}), so not answered as singleton (--trust-solver accepts it)`,
    solverStatus,
    slack,
  });
}

/**
 * Phase 5 — prove `singleton`, or say `unknown`. Exact special cases are handled before phase 4
 * (decideClarke); here only a solver's word is available: the reduction rule ("F ≥ 1 infeasible on
 * the box", when the caller built the network by the SAT reduction) or the optimization form
 * max σ·D ≤ tolerance. Both rest on floating-point arithmetic (numericalSingleton).
 */
export async function phaseProveSingleton(
  run: DecideRun,
  lp: LocalizePhase,
  sg: SubgradientPhase,
  pres: Presolved,
  st: SearchTwoPhase,
): Promise<ClarkeAnswer> {
  const stats = pres.stats;
  const notes = st.notes;
  const gZero = sg.g.every((v) => v.isZero());
  const box = run.box;
  if (run.reduction && gZero) {
    const r = st.results.get(1)!;
    if (r.status === 'infeasible') {
      const slack = numericalSlack(pres.dag, pres.lo, pres.hi, sg.objective, r.tolerance);
      return numericalSingleton(
        run,
        sg,
        pres,
        `F(x) >= 1 infeasible on ${box === 1 ? '[-1,1]^n' : `[-${box},${box}]^n`} per ${run.solverName} (${r.rawStatus}, tolerance ${r.tolerance}); the network was built by the SAT reduction (caller), so this says the formula is unsatisfiable, hence F = 0 and the Clarke subdifferential at 0 is {0} (docs/theory.md §6)${stats.floatFixes > 0 ? `; ${stats.floatFixes} neuron(s) fixed on float64 symbolic bounds` : ''}`,
        `${r.status} (${r.rawStatus})`,
        slack,
      );
    }
    return finish(run, { answer: 'unknown', exact: false, presolve: stats, restsOn: notes.join('; ') || `${run.solverName}: ${r.rawStatus}` });
  }

  // The optimization form, both signs. A phase-4 report that σ·D ≥ 1 is feasible contradicts an
  // optimum ≤ tolerance: the singleton claim rests on the solver's word alone, so a solver that
  // contradicted itself gives `unknown`. Any point with a positive objective is checked exactly
  // (a `two` never needs the solver to be right, only to point near a second piece).
  const phase1Feasible = [...st.results.values()].some((r) => r.status === 'optimal' || r.status === 'feasible');
  let worst = 0;
  let tol = 0;
  const statuses: string[] = [];
  for (const sign of [1, -1] as const) {
    const label = `maximize ${sign > 0 ? '+' : '-'}(G(x) - g.x)`;
    const { res, inputVars } = await solveForm(run, pres, sg.objective, { kind: 'maximize', sign }, label);
    if (res.x && res.objective !== null && res.objective > 0) {
      const two = certifyTwo(run, lp, sg, pres, res, inputVars);
      if (two) return two;
      if (res.objective > SINGLETON_TOLERANCE) {
        notes.push(`${run.solverName} found max ${sign > 0 ? '+' : '-'}D = ${res.objective} but its point failed the exact check`);
        return finish(run, { answer: 'unknown', exact: false, presolve: stats, restsOn: notes.join('; ') });
      }
    }
    if (res.status !== 'optimal' || res.objective === null)
      return finish(run, { answer: 'unknown', exact: false, presolve: stats, restsOn: [...notes, `${label}: ${res.rawStatus}`].join('; ') });
    worst = Math.max(worst, res.objective);
    tol = Math.max(tol, res.tolerance);
    statuses.push(`${res.status} (${res.rawStatus})`);
  }
  if (phase1Feasible)
    return finish(run, {
      answer: 'unknown',
      exact: false,
      presolve: stats,
      restsOn: [...notes, `${run.solverName} then found max ±(G(x) − g·x) = ${worst} ≤ ${SINGLETON_TOLERANCE}: its two answers contradict each other`].join('; '),
    });
  const slack = numericalSlack(pres.dag, pres.lo, pres.hi, sg.objective, tol);
  return numericalSingleton(
    run,
    sg,
    pres,
    `max ±(G(x) − g·x) over ${box === 1 ? '[-1,1]^p' : `[-${box},${box}]^p`} = ${worst} ≤ ${SINGLETON_TOLERANCE}, reported optimal by ${run.solverName} (tolerance ${tol}); numerical`,
    statuses.join(', '),
    slack,
  );
}

/**
 * Decide whether ∂^c F(x̄) has two elements: the phases above in order, each returning its
 * evidence; the first that settles the question answers.
 */
export async function decideClarke(net: Network, opts: DecideOptions = {}): Promise<ClarkeAnswer> {
  // The budget counts from `startedAt` when the caller began earlier (the CLI: reading the file).
  const t0 = opts.startedAt ?? performance.now();
  const p = net.inputDim;
  const xbar = opts.at ?? Array.from({ length: p }, () => ZERO);
  checkPoint(net, xbar, '--at');
  const atZero = xbar.every((v) => v.isZero());
  // The box of the bounds (presolve) and of the model (encoding) must be the same: presolve's big-M
  // bounds hold on [-B, B]^p only. The reduction rule needs B ≥ 1 (it looks for F ≥ 1 at ±1 points).
  const box = opts.presolve?.box ?? 1;
  // The reduction rule's premise (F ≥ 0, F ≥ 1 at the ±1 point of every satisfying assignment) is
  // a property of how the network was built; it cannot be checked from the network alone, so only
  // a caller that built (or rebuilt and compared) the network may assert it. `meta` is never read.
  const reduction = opts.reduction === true && atZero && net.isBiasFree() && box >= 1;
  const run: DecideRun = {
    net,
    opts,
    xbar,
    atZero,
    rng: new Rng(opts.seed ?? 1),
    box,
    // An injected MILP backend (tests, experiments) means the MILP path unless a solver is named.
    solverName: opts.solver ?? (opts.backend ? DEFAULT_SOLVER : DEFAULT_CLARKE_SOLVER),
    t0,
    deadline: t0 + (opts.timeLimitSec ?? 60) * 1000,
    log: opts.progress ?? (() => {}),
    solves: [],
    binaries: 0,
    binariesBefore: 0,
    constraints: 0,
    reduction,
  };

  const lp = phaseLocalize(run);
  if (lp.loc.dag.neurons.length === 0) {
    const smooth = finish(run, {
      answer: 'singleton',
      exact: true,
      subgradients: lp.gen ? [lp.gen.pass.gradient!] : undefined,
      // localize keeps a relu node for every zero pre-activation except those whose tangent
      // expression is identically 0 (relu(0) = 0 on the whole tangent space): G is linear.
      restsOn: 'exact: no pre-activation at x̄ is zero with a nonzero tangent, so F is linear near x̄',
    });
    // Every exact answer has its checkable artefact: a proof file was asked for, so bab writes the
    // (one leaf per sign) proof that G − g·h = 0.
    if (opts.proofSink && lp.gen) {
      const b = await phaseBab(run, lp, { g: lp.gen.pass.gradient!, certifiable: true, objective: { terms: new Map(), c: ZERO } }, null, null);
      if (b.answer === 'singleton') return { ...b, restsOn: `${smooth.restsOn}; proof file: ${b.restsOn}` };
    }
    return smooth;
  }
  if (run.solverName === 'bab' && lp.gen && !opts.onModel) {
    // The branch and bound works on its own canonical DAG (src/clarke/bab/problem.ts) and closes a
    // linear G at the root, so presolve (for the MILP models) is skipped: g is the first
    // direction's piece gradient, the probe looks for a second piece, then bab decides. (A model
    // to export, --export, still goes through presolve below.)
    const sgBab: SubgradientPhase = { g: lp.gen.pass.gradient!, certifiable: true, objective: { terms: new Map(), c: ZERO } };
    // A short probe (8 directions, filtered in floats): on networks with many pieces at x̄ (a
    // dense trained network at 0) it answers `two` at once; bab finds thin pieces itself (the
    // doubling network at m = 40, test/bab), and on the reduction the probe costs 8 float passes.
    const probe = phaseProbeTwo(run, lp, sgBab, null, opts.probeSamples ?? 8);
    if (probe) return probe;
    return await phaseBab(run, lp, sgBab, null, null);
  }
  let pres = phasePresolve(run, lp);
  let sg = phaseSubgradient(run, lp, pres);
  if (sg !== null && isZeroExpr(sg.objective) && pres.stats.floatFixes > 0) {
    // Presolve reached D = 0 only through neurons fixed on float64 bounds: not exact. Redo it with
    // exact interval bounds only, and let the later phases decide.
    run.log(`presolve: ${pres.stats.floatFixes} float-bound fixes; redone with exact bounds only`);
    pres = phasePresolve(run, lp, { ...run.opts.presolve, symbolic: false });
    sg = phaseSubgradient(run, lp, pres);
  }
  if (sg === null)
    return finish(run, { answer: 'unknown', exact: false, restsOn: 'no point with a strict activation pattern found (bounded search, docs/theory.md §2 claim 5)', presolve: pres.stats });
  if (isZeroExpr(sg.objective) && pres.stats.floatFixes === 0) {
    const byPresolve = finish(run, {
      answer: 'singleton',
      exact: true,
      subgradients: [sg.g],
      presolve: pres.stats,
      restsOn: 'exact: presolve (exact algebra, exact interval bounds) reduces G(x) − g·x to 0',
    });
    // A proof file was asked for: bab writes one (short: D = 0 is closed at the roots).
    if (opts.proofSink) {
      const b = await phaseBab(run, lp, sg, pres, null);
      if (b.answer === 'singleton') return { ...b, restsOn: `${byPresolve.restsOn}; proof file: ${b.restsOn}` };
    }
    return byPresolve;
  }
  const probe = phaseProbeTwo(run, lp, sg, pres, opts.probeSamples ?? 96);
  if (probe) {
    // No solver was needed; a caller that exports the model (--export) still gets the question's
    // first model, built but not solved.
    if (opts.onModel) {
      const label = 'feasibility +(G(x) - g.x) >= 1';
      opts.onModel(encodeReluDag(pres.dag, pres.lo, pres.hi, sg.objective, { kind: 'feasibility', sign: 1, threshold: 1 }, { name: label, box }).model, label);
    }
    return probe;
  }
  if (run.solverName === 'bab') return await phaseBab(run, lp, sg, pres, null);
  const st = await phaseSearchTwo(run, lp, sg, pres);
  if (st.two) return st.two;
  const ans = await phaseProveSingleton(run, lp, sg, pres, st);
  // A numerical singleton (the solver's word) becomes exact when bab proves it (--proof).
  if (opts.proofSink && (ans.hint === 'singleton' || (ans.answer === 'singleton' && !ans.exact))) return await phaseBab(run, lp, sg, pres, ans);
  return ans;
}

/**
 * Phase 5 (`--solver bab`, or a numerical singleton to be proven): the branch and bound on the
 * network (src/clarke/bab), with the same g; `two` through the same certificate path as a solver's
 * point, `singleton` only with an exact proof (streamed to opts.proofSink).
 */
async function phaseBab(run: DecideRun, lp: LocalizePhase, sg: SubgradientPhase, pres: Presolved | null, numerical: ClarkeAnswer | null): Promise<ClarkeAnswer> {
  const b = await runBabPhase(run.net, run.xbar, sg.g, (xs) => (sg.certifiable ? certifyWitness(run.net, lp.loc.preAtBar, xs, sg.g, run.rng) : null), {
    jobs: run.opts.jobs,
    timeLimitSec: (run.deadline - performance.now()) / 1000,
    proofSink: run.opts.proofSink,
    log: run.log,
  });
  const bab: BabSummary = {
    searchMs: b.bab.timeMs,
    checkMs: b.kind === 'singleton' ? b.checkMs : undefined,
    bounds: b.bab.nodes,
    leaves: b.bab.leaves,
    decisions: b.bab.decisions,
    conflicts: b.bab.conflicts,
    lemmas: b.bab.lemmas,
    proofLemmas: b.bab.proofLemmas,
    subSearches: b.bab.subSearches,
  };
  if (b.kind === 'two') return { ...twoFromWitness(run, lp, sg, pres, b.witness, b.how), bab };
  if (b.kind === 'singleton')
    return finish(run, {
      answer: 'singleton',
      exact: true,
      subgradients: [sg.g],
      presolve: pres?.stats,
      proofLeaves: b.bab.leaves,
      bab,
      restsOn: numerical ? `${b.restsOn} (${run.solverName} had answered: ${numerical.restsOn})` : b.restsOn,
    });
  if (numerical) return finish(run, { ...numerical, bab, restsOn: `${numerical.restsOn}; bab did not prove it exactly: ${b.restsOn}` });
  return finish(run, { answer: 'unknown', exact: false, presolve: pres?.stats, bab, restsOn: b.restsOn });
}

function isZeroExpr(e: LinExpr): boolean {
  return e.terms.size === 0 && e.c.isZero();
}
