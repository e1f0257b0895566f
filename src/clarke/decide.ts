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
 * 6. Prove `singleton` separately:
 *    - network of the SAT reduction at x̄ = 0 with g = 0 (then D = F ≥ 0): every satisfying
 *      assignment has a ±1 point with F ≥ 1, so infeasibility of F(x) ≥ 1 on [-1,1]^n proves the
 *      formula unsatisfiable, hence F ≡ 0 and ∂^c F(0) = {0} (docs/theory.md §6 "Thresholds");
 *    - otherwise the optimization form max σ·D over the unit box, both signs, optimum ≤ tolerance:
 *      this rests on the solver's optimality status and tolerance and `restsOn` says so.
 *    - exact special cases: no zero pre-activation at x̄ (F is linear near x̄), or presolve's exact
 *      algebra reduces D to 0.
 * Any limit hit, or a solver hint that fails the exact check, gives `unknown`.
 */
import { Rational, ZERO, vecEq } from '../exact/rational';
import { Rng } from '../exact/rng';
import type { Network } from '../network/network';
import { checkPoint } from '../network/evaluate';
import { networkToJson } from '../network/format';
import type { MilpBackend, MilpModel, SolveResult, SolverName, SolveStatus } from '../milp/model';
import { encodeReluDag, type EncodingForm } from '../milp/relu-encoding';
import { getBackend, DEFAULT_SOLVER } from '../milp/backends';
import { certificateToJson, type ClarkeCertificate } from '../certificate/certificate';
import { verifyCertificate } from '../verify';
import { addScaled, evaluateDag, type LinExpr } from '../network/dag';
import { genericDirection, localize, tangentPass, type Localized, type TangentPass } from './localize';
import { dagGradient, presolve, type PresolveOptions, type PresolveStats, type Presolved } from './presolve';

export type ClarkeAnswerKind = 'two' | 'singleton' | 'unknown';

/** The default backend: the fastest on the benchmark (src/milp/backends). */
export { DEFAULT_SOLVER } from '../milp/backends';
/** Optimum below which the optimization form counts as 0 (the solvers' default absolute gap). */
export const SINGLETON_TOLERANCE = 1e-6;

export interface DecideOptions {
  /** The point x̄ (default 0). */
  at?: Rational[];
  solver?: SolverName;
  /** Total wall-clock budget in seconds for all solver calls (default 60). */
  timeLimitSec?: number;
  /** Seed of the random directions (default 1). */
  seed?: number;
  presolve?: PresolveOptions;
  /**
   * Treat the network as an output of the SAT reduction (F ≥ 0, F ≥ 1 at the ±1 point of every
   * satisfying assignment). Default: detected from `net.meta.construction` ("sat-to-relu/…").
   */
  reduction?: boolean;
  /** Called with each model before it is solved (the CLI's --export takes the first). */
  onModel?: (model: MilpModel, label: string) => void;
  /** Inject a backend (tests); default getBackend(solver). */
  backend?: MilpBackend;
  /** Progress lines (the CLI sends them to stderr). */
  progress?: (line: string) => void;
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
  /** two: [g1, g2] (those of the certificate); singleton: [g]. */
  subgradients?: Rational[][];
  certificate?: ClarkeCertificate;
  restsOn: string;
  solver: SolverName;
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

function isReductionNetwork(net: Network): boolean {
  const c = net.meta.construction;
  return typeof c === 'string' && c.startsWith('sat-to-relu');
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
  function* candidates(): Generator<Rational[]> {
    for (const base of bases) {
      yield base;
      for (let attempt = 0; attempt < 14; attempt++) {
        const k = 9 - Math.floor(attempt / 2); // 1e-9 … 1e-3
        const den = 1000n * 10n ** BigInt(k);
        yield base.map((b) => b.add(Rational.of(rng.bigint(-1000n, 1000n), den)));
      }
    }
    for (let attempt = 0; attempt < extraTries; attempt++)
      yield signs.map((s) => {
        const m = Rational.of(rng.bigint(1n, 1n << 16n), 1n << 8n);
        return s === 0 ? Rational.of(rng.bigint(-1000n, 1000n), 1_000_000n) : s > 0 ? m : m.neg();
      });
  }
  // Prefer a strict pattern (the plain certificate); else accept vanishing ties (see tangentPass).
  let fallback: { h: Rational[]; gradient: Rational[]; strict: boolean } | null = null;
  let afterFallback = 0;
  for (const h of candidates()) {
    const pass = tangentPass(net, preAtBar, h);
    if (pass.gradient && !vecEq(pass.gradient, g)) {
      if (pass.ties === 0) return { h, gradient: pass.gradient, strict: true };
      fallback ??= { h, gradient: pass.gradient, strict: false };
    }
    if (fallback && ++afterFallback > 40) break;
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
  solverName: SolverName;
  t0: number;
  deadline: number;
  log: (line: string) => void;
  solves: SolveLog[];
  /** Filled by the first model built. */
  binaries: number;
  binariesBefore: number;
  constraints: number;
  reduction: boolean;
  reductionPremise: string;
}

type AnswerCore = Pick<ClarkeAnswer, 'answer' | 'restsOn' | 'subgradients' | 'certificate' | 'presolve'>;

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
export function phasePresolve(run: DecideRun, lp: LocalizePhase): Presolved {
  const pres = presolve(lp.loc.dag, run.opts.presolve);
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
    res = { status: 'infeasible', objective: null, x: null, timeMs: 0, solver: run.solverName, rawStatus: 'infeasible by construction (−c·relu ≥ t > 0)', tolerance: 0 };
  } else if (remaining < 0.2) {
    res = { status: 'time-limit', objective: null, x: null, timeMs: 0, solver: run.solverName, rawStatus: 'time limit reached before this solve', tolerance: 0 };
  } else {
    run.log(`${label}: ${enc.binaries} binaries, ${enc.constraints} constraints, ${run.solverName}, limit ${remaining.toFixed(1)} s`);
    const backend = run.opts.backend ?? getBackend(run.solverName);
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
  const gen = lp.gen!;
  const certificate: ClarkeCertificate = { at: run.xbar.slice(), directions: [gen.h, w.h], gradients: [sg.g, w.gradient] };
  const check = verifyCertificate(networkToJson(run.net), certificateToJson(certificate));
  if (!check.valid) throw new Error(`internal: a certificate built from exact checks failed the verifier: ${check.reason}`);
  return finish(run, {
    answer: 'two',
    subgradients: [sg.g, w.gradient],
    certificate,
    presolve: pres.stats,
    restsOn:
      gen.pass.ties === 0 && w.strict
        ? 'certificate checked exactly by src/verify (strict activation patterns)'
        : 'certificate checked exactly by src/verify (patterns with ties whose pre-activations vanish identically, checked exactly)',
  });
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

/** Phase 5 — prove `singleton` (reduction rule, or the optimization form), or say `unknown`. */
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
  if (run.reduction && gZero) {
    const r = st.results.get(1)!;
    const box = run.box;
    if (r.status === 'infeasible')
      return finish(run, {
        answer: 'singleton',
        subgradients: [sg.g],
        presolve: stats,
        restsOn: `F(x) >= 1 infeasible on ${box === 1 ? '[-1,1]^n' : `[-${box},${box}]^n`} per ${run.solverName} (${r.rawStatus}, tolerance ${r.tolerance}); for a network of the SAT reduction this proves the formula unsatisfiable, hence F = 0 and the Clarke subdifferential at 0 is {0} (docs/theory.md §6); exact up to the solver's infeasibility proof${stats.floatFixes > 0 ? ` and ${stats.floatFixes} neuron(s) fixed on float64 symbolic bounds` : ''} and the premise: ${run.reductionPremise}`,
      });
    return finish(run, { answer: 'unknown', presolve: stats, restsOn: notes.join('; ') || `${run.solverName}: ${r.rawStatus}` });
  }

  // The optimization form, both signs. A phase-4 report that σ·D ≥ 1 is feasible contradicts an
  // optimum ≤ tolerance: the singleton claim rests on the solver's word alone, so a solver that
  // contradicted itself gives `unknown`.
  const phase1Feasible = [...st.results.values()].some((r) => r.status === 'optimal' || r.status === 'feasible');
  let worst = 0;
  let tol = 0;
  for (const sign of [1, -1] as const) {
    const label = `maximize ${sign > 0 ? '+' : '-'}(G(x) - g.x)`;
    const { res, inputVars } = await solveForm(run, pres, sg.objective, { kind: 'maximize', sign }, label);
    if (res.x && res.objective !== null && res.objective > SINGLETON_TOLERANCE) {
      const two = certifyTwo(run, lp, sg, pres, res, inputVars);
      if (two) return two;
      notes.push(`${run.solverName} found max ${sign > 0 ? '+' : '-'}D = ${res.objective} but its point failed the exact check`);
      return finish(run, { answer: 'unknown', presolve: stats, restsOn: notes.join('; ') });
    }
    if (res.status !== 'optimal' || res.objective === null)
      return finish(run, { answer: 'unknown', presolve: stats, restsOn: [...notes, `${label}: ${res.rawStatus}`].join('; ') });
    worst = Math.max(worst, res.objective);
    tol = Math.max(tol, res.tolerance);
  }
  if (phase1Feasible)
    return finish(run, {
      answer: 'unknown',
      presolve: stats,
      restsOn: [...notes, `${run.solverName} then found max ±(G(x) − g·x) = ${worst} ≤ ${SINGLETON_TOLERANCE}: its two answers contradict each other`].join('; '),
    });
  const box = run.box;
  return finish(run, {
    answer: 'singleton',
    subgradients: [sg.g],
    presolve: stats,
    restsOn: `max ±(G(x) − g·x) over ${box === 1 ? '[-1,1]^p' : `[-${box},${box}]^p`} = ${worst} ≤ ${SINGLETON_TOLERANCE}, proven optimal by ${run.solverName} (feasibility tolerance ${tol}); numerical`,
  });
}

/**
 * Decide whether ∂^c F(x̄) has two elements: the phases above in order, each returning its
 * evidence; the first that settles the question answers.
 */
export async function decideClarke(net: Network, opts: DecideOptions = {}): Promise<ClarkeAnswer> {
  const t0 = performance.now();
  const p = net.inputDim;
  const xbar = opts.at ?? Array.from({ length: p }, () => ZERO);
  checkPoint(net, xbar, '--at');
  const atZero = xbar.every((v) => v.isZero());
  // The box of the bounds (presolve) and of the model (encoding) must be the same: presolve's big-M
  // bounds hold on [-B, B]^p only. The reduction rule needs B ≥ 1 (it looks for F ≥ 1 at ±1 points).
  const box = opts.presolve?.box ?? 1;
  const reduction = (opts.reduction ?? isReductionNetwork(net)) && atZero && net.isBiasFree() && box >= 1;
  // The reduction rule's premise (F ≥ 0, F ≥ 1 at the ±1 point of every satisfying assignment) is
  // a property of how the network was built; it cannot be checked from the network alone. When it
  // is only read from meta (a field anyone can write), restsOn must say so.
  const reductionPremise =
    opts.reduction === true
      ? 'the network was built by the SAT reduction (caller)'
      : `meta.construction says the network is an output of the SAT reduction (${String(net.meta.construction)}); taken on trust, not re-checked`;
  const run: DecideRun = {
    net,
    opts,
    xbar,
    atZero,
    rng: new Rng(opts.seed ?? 1),
    box,
    solverName: opts.solver ?? DEFAULT_SOLVER,
    t0,
    deadline: t0 + (opts.timeLimitSec ?? 60) * 1000,
    log: opts.progress ?? (() => {}),
    solves: [],
    binaries: 0,
    binariesBefore: 0,
    constraints: 0,
    reduction,
    reductionPremise,
  };

  const lp = phaseLocalize(run);
  if (lp.loc.dag.neurons.length === 0) {
    return finish(run, {
      answer: 'singleton',
      subgradients: lp.gen ? [lp.gen.pass.gradient!] : undefined,
      // localize keeps a relu node for every zero pre-activation except those whose tangent
      // expression is identically 0 (relu(0) = 0 on the whole tangent space): G is linear.
      restsOn: 'exact: no pre-activation at x̄ is zero with a nonzero tangent, so F is linear near x̄',
    });
  }
  const pres = phasePresolve(run, lp);
  const sg = phaseSubgradient(run, lp, pres);
  if (sg === null) return finish(run, { answer: 'unknown', restsOn: 'no point with a strict activation pattern found', presolve: pres.stats });
  if (sg.objective.terms.size === 0 && sg.objective.c.isZero()) {
    return finish(run, {
      answer: 'singleton',
      subgradients: [sg.g],
      presolve: pres.stats,
      restsOn:
        pres.stats.floatFixes === 0
          ? 'exact: presolve (exact algebra, exact interval bounds) reduces G(x) − g·x to 0'
          : `presolve reduces G(x) − g·x to 0; ${pres.stats.floatFixes} neuron(s) fixed on float64 symbolic bounds (relative margin 1e-9)`,
    });
  }
  const st = await phaseSearchTwo(run, lp, sg, pres);
  if (st.two) return st.two;
  return phaseProveSingleton(run, lp, sg, pres, st);
}
