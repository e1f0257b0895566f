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
 *    SOLVERS.md: the optimization form did not finish on uf20, the feasibility form did).
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
import { genericDirection, localize, tangentPass } from './localize';
import { dagGradient, presolve, type PresolveOptions, type PresolveStats } from './presolve';

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

export async function decideClarke(net: Network, opts: DecideOptions = {}): Promise<ClarkeAnswer> {
  const t0 = performance.now();
  const limit = opts.timeLimitSec ?? 60;
  const deadline = t0 + limit * 1000;
  const solverName = opts.solver ?? DEFAULT_SOLVER;
  const log = opts.progress ?? (() => {});
  const p = net.inputDim;
  const xbar = opts.at ?? Array.from({ length: p }, () => ZERO);
  checkPoint(net, xbar, '--at');
  const rng = new Rng(opts.seed ?? 1);
  const loc = localize(net, xbar);
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
  const solves: SolveLog[] = [];
  const base = {
    solver: solverName,
    binaries: 0,
    binariesBefore: loc.dag.neurons.length,
    constraints: 0,
    solves,
    reduction,
  };
  const done = (a: Pick<ClarkeAnswer, 'answer' | 'restsOn' | 'subgradients' | 'certificate' | 'presolve'>): ClarkeAnswer => ({
    ...base,
    ...a,
    timeMs: performance.now() - t0,
  });

  const gen = genericDirection(net, loc.preAtBar, rng);
  if (loc.dag.neurons.length === 0) {
    return done({
      answer: 'singleton',
      subgradients: gen ? [gen.pass.gradient!] : undefined,
      // localize keeps a relu node for every zero pre-activation except those whose tangent
      // expression is identically 0 (relu(0) = 0 on the whole tangent space): G is linear.
      restsOn: 'exact: no pre-activation at x̄ is zero with a nonzero tangent, so F is linear near x̄',
    });
  }
  const pres = presolve(loc.dag, opts.presolve);
  const stats = pres.stats;
  log(`presolve: ${stats.before} → ${stats.after} relu neurons (${stats.timeMs.toFixed(0)} ms)`);

  // One Clarke subgradient g.
  let g: Rational[] | null = gen ? gen.pass.gradient! : null;
  const certifiable = gen !== null;
  if (g === null) {
    // No strict direction of F (a pre-activation vanishes identically near x̄): take g from the
    // presolved DAG, where such neurons have been simplified away; `two` cannot be certified then.
    const R = 1n << 20n;
    for (let t = 0; t < 64 && g === null; t++) {
      const y = Array.from({ length: p }, () => Rational.int(rng.bigint(-R, R)));
      g = dagGradient(pres.dag, evaluateDag(pres.dag, y).pre);
    }
    if (g === null)
      return done({ answer: 'unknown', restsOn: 'no point with a strict activation pattern found', presolve: stats });
  }
  const gv = g;
  const gZero = gv.every((v) => v.isZero());
  const objective: LinExpr = (() => {
    const acc = { terms: new Map<number, Rational>(), c: ZERO };
    addScaled(acc, pres.dag.output, Rational.int(1));
    gv.forEach((gi, i) => {
      if (!gi.isZero()) addScaled(acc, { terms: new Map([[i, gi]]), c: ZERO }, Rational.int(-1));
    });
    return acc;
  })();
  if (objective.terms.size === 0 && objective.c.isZero()) {
    return done({
      answer: 'singleton',
      subgradients: [gv],
      presolve: stats,
      restsOn:
        stats.floatFixes === 0
          ? 'exact: presolve (exact algebra, exact interval bounds) reduces G(x) − g·x to 0'
          : `presolve reduces G(x) − g·x to 0; ${stats.floatFixes} neuron(s) fixed on float64 symbolic bounds (relative margin 1e-9)`,
    });
  }

  const backend = opts.backend ?? getBackend(solverName);
  let first = true;
  const solve = async (form: EncodingForm, label: string): Promise<{ res: SolveResult; inputVars: number[] }> => {
    const enc = encodeReluDag(pres.dag, pres.lo, pres.hi, objective, form, { name: label, box });
    if (first) {
      base.binaries = enc.binaries;
      base.constraints = enc.constraints;
      first = false;
    }
    opts.onModel?.(enc.model, label);
    const remaining = (deadline - performance.now()) / 1000;
    let res: SolveResult;
    if (enc.triviallyInfeasible) {
      res = { status: 'infeasible', objective: null, x: null, timeMs: 0, solver: solverName, rawStatus: 'infeasible by construction (−c·relu ≥ t > 0)', tolerance: 0 };
    } else if (remaining < 0.2) {
      res = { status: 'time-limit', objective: null, x: null, timeMs: 0, solver: solverName, rawStatus: 'time limit reached before this solve', tolerance: 0 };
    } else {
      log(`${label}: ${enc.binaries} binaries, ${enc.constraints} constraints, ${solverName}, limit ${remaining.toFixed(1)} s`);
      res = await backend.solve(enc.model, {
        timeLimitSec: remaining,
        firstFeasible: form.kind === 'feasibility',
        mipRelGap: form.kind === 'maximize' ? 0 : undefined,
      });
    }
    solves.push({ label, status: res.status, rawStatus: res.rawStatus, objective: res.objective, timeMs: res.timeMs, binaries: enc.binaries, constraints: enc.constraints });
    log(`${label}: ${res.status} (${res.rawStatus}) in ${(res.timeMs / 1000).toFixed(2)} s`);
    return { res, inputVars: enc.inputVars };
  };

  // Turn a solver hint into a checked certificate, or null.
  const tryTwo = (res: SolveResult, inputVars: number[]): ClarkeAnswer | null => {
    if (!res.x || !certifiable) return null;
    const xs = inputVars.map((i) => res.x![i]!);
    if (!xs.every(Number.isFinite)) return null;
    const w = certifyWitness(net, loc.preAtBar, xs, gv, rng);
    if (!w) return null;
    const certificate: ClarkeCertificate = { at: xbar.slice(), directions: [gen!.h, w.h], gradients: [gv, w.gradient] };
    const check = verifyCertificate(networkToJson(net), certificateToJson(certificate));
    if (!check.valid) throw new Error(`internal: a certificate built from exact checks failed the verifier: ${check.reason}`);
    return done({
      answer: 'two',
      subgradients: [gv, w.gradient],
      certificate,
      presolve: stats,
      restsOn:
        gen!.pass.ties === 0 && w.strict
          ? 'certificate checked exactly by src/verify (strict activation patterns)'
          : 'certificate checked exactly by src/verify (patterns with ties whose pre-activations vanish identically, checked exactly)',
    });
  };

  const notes: string[] = [];
  // Phase 1: search for `two` by feasibility with threshold 1 on the unit box.
  const signs: Array<1 | -1> = reduction && gZero ? [1] : [1, -1];
  const phase1 = new Map<number, SolveResult>();
  for (const sign of signs) {
    const label = `feasibility ${sign > 0 ? '+' : '-'}(G(x) - g.x) >= 1`;
    const { res, inputVars } = await solve({ kind: 'feasibility', sign, threshold: 1 }, label);
    phase1.set(sign, res);
    if (res.status === 'optimal' || res.status === 'feasible' || res.x) {
      const two = tryTwo(res, inputVars);
      if (two) return two;
      if (res.status === 'optimal' || res.status === 'feasible')
        notes.push(
          certifiable
            ? `${solverName} reported ${label} feasible but no certifiable point near its solution was found`
            : `${solverName} reported ${label} feasible, but no direction with a certifiable pattern was found for the first subgradient`,
        );
    }
  }
  if (reduction && gZero) {
    const r = phase1.get(1)!;
    if (r.status === 'infeasible')
      return done({
        answer: 'singleton',
        subgradients: [gv],
        presolve: stats,
        restsOn: `F(x) >= 1 infeasible on ${box === 1 ? '[-1,1]^n' : `[-${box},${box}]^n`} per ${solverName} (${r.rawStatus}, tolerance ${r.tolerance}); for a network of the SAT reduction this proves the formula unsatisfiable, hence F = 0 and the Clarke subdifferential at 0 is {0} (docs/theory.md §6); exact up to the solver's infeasibility proof${stats.floatFixes > 0 ? ` and ${stats.floatFixes} neuron(s) fixed on float64 symbolic bounds` : ''} and the premise: ${reductionPremise}`,
      });
    return done({ answer: 'unknown', presolve: stats, restsOn: notes.join('; ') || `${solverName}: ${r.rawStatus}` });
  }

  // Phase 2: prove `singleton` by the optimization form, both signs.
  // A phase-1 report that σ·D ≥ 1 is feasible contradicts an optimum ≤ tolerance: the singleton
  // claim rests on the solver's word alone, so a solver that contradicted itself gives `unknown`.
  const phase1Feasible = [...phase1.values()].some((r) => r.status === 'optimal' || r.status === 'feasible');
  let worst = 0;
  let tol = 0;
  for (const sign of [1, -1] as const) {
    const label = `maximize ${sign > 0 ? '+' : '-'}(G(x) - g.x)`;
    const { res, inputVars } = await solve({ kind: 'maximize', sign }, label);
    if (res.x && res.objective !== null && res.objective > SINGLETON_TOLERANCE) {
      const two = tryTwo(res, inputVars);
      if (two) return two;
      notes.push(`${solverName} found max ${sign > 0 ? '+' : '-'}D = ${res.objective} but its point failed the exact check`);
      return done({ answer: 'unknown', presolve: stats, restsOn: notes.join('; ') });
    }
    if (res.status !== 'optimal' || res.objective === null)
      return done({ answer: 'unknown', presolve: stats, restsOn: [...notes, `${label}: ${res.rawStatus}`].join('; ') });
    worst = Math.max(worst, res.objective);
    tol = Math.max(tol, res.tolerance);
  }
  if (phase1Feasible)
    return done({
      answer: 'unknown',
      presolve: stats,
      restsOn: [...notes, `${solverName} then found max ±(G(x) − g·x) = ${worst} ≤ ${SINGLETON_TOLERANCE}: its two answers contradict each other`].join('; '),
    });
  return done({
    answer: 'singleton',
    subgradients: [gv],
    presolve: stats,
    restsOn: `max ±(G(x) − g·x) over ${box === 1 ? '[-1,1]^p' : `[-${box},${box}]^p`} = ${worst} ≤ ${SINGLETON_TOLERANCE}, proven optimal by ${solverName} (feasibility tolerance ${tol}); numerical`,
  });
}
