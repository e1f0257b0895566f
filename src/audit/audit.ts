/**
 * Audit of a (trained, imported) ReLU network on given inputs (docs/audit.md): where do the inputs
 * sit exactly on a kink, does the frameworks' backprop (relu'(0) = 0) then return a Clarke
 * subgradient, and where does float rounding decide a sign that exact arithmetic decides otherwise.
 *
 * Per input x, everything that decides a sign is exact (Rational):
 *  - the pre-activations z_{l,i}(x) (src/network/evaluate.ts) and the neurons with z = 0;
 *  - for each such neuron, whether it vanishes identically near x: localization (docs/theory.md §6)
 *    writes z(x + h) = z'(x; h) for small h, with z'(x; ·) a linear expression in the tangent
 *    network's inputs and relu nodes; an expression that cancels to 0 proves `yes`; a direction h
 *    with z'(x; h) ≠ 0 proves `no` (z(x + t h) = t z'(x; h) ≠ 0 for small t > 0); if neither is
 *    found in the seeded directions tried, `undecided` (deciding it is a Clarke-type question);
 *  - the float passes (src/audit/float-pass.ts) compared sign by sign with the exact pattern;
 *  - backprop with relu'(0) = 0 (docs/theory.md §1), exact, and with relu'(0) = 1 (does the choice
 *    matter at x?); at a kink input one Clarke subgradient by one backprop at a nearby generic point
 *    (src/conservative/clarke-one.ts, docs/theory.md §2 claim 5) and the Clarke answer two/singleton
 *    (src/clarke/decide.ts) — with which the backprop is compared: equal to a Clarke subgradient
 *    (`yes`), different from the unique one of an exact singleton (`no`), else `unknown`.
 * An input with no zero pre-activation, or only zeros that vanish identically nearby, has F affine
 * near it, and backprop with relu'(0) = 0 returns ∇F(x): the vanishing neurons are locally the
 * constant 0, which relu'(0) = 0 reproduces, and every other neuron keeps its sign near x.
 */
import { Rational, vecEq } from '../exact/rational';
import { Rng } from '../exact/rng';
import type { Network } from '../network/network';
import { checkPoint } from '../network/evaluate';
import type { FloatDtype } from '../formats/ieee';
import { clarkeOne } from '../conservative/clarke-one';
import { localize } from '../clarke/localize';
import { evaluateDag } from '../network/dag';
import { decideClarke, type ClarkeAnswerKind } from '../clarke/decide';
import { clarkeSet, clarkeContains, tiedForms, type TiedForms } from '../clarke/set';
import { backward } from '../ad/backward';
import { constantPolicy } from '../ad/relu-prime';
import type { SolverName } from '../milp/model';
import { roundNetwork, floatForward, floatSign, type RoundedNet } from './float-pass';
import { TimeLimitReached, UserError } from '../errors';
import { IntNetwork } from './exact-int';

export type Vanishes = 'yes' | 'no' | 'undecided';
export type Verdict = 'yes' | 'no' | 'unknown';

export interface AuditOptions {
  /** Formats of the emulated float passes (default float32 and float16). */
  floats?: FloatDtype[];
  /** Run decideClarke at kink inputs (default true). */
  clarke?: boolean;
  solver?: SolverName;
  /** Solver budget per kink input, seconds (default 10). */
  timeLimitSec?: number;
  seed?: number;
  /** Directions tried per kink input to show a zero neuron does not vanish (default 16). */
  directions?: number;
  /** Recorded in the report: the inputs were rounded to this format before the audit (roundRows). */
  inputRounding?: FloatDtype;
  /** Keep the exact pre-activations of every input in the report (default true). */
  keepPre?: boolean;
  /**
   * At kink inputs (with `clarke`), enumerate the Clarke set and decide exact membership of
   * backprop's vector for relu'(0) = 0, ½ and 1 (docs/theory.md §9; default true).
   */
  set?: boolean;
  /** Limit on the pieces enumerated per kink input (default AUDIT_MAX_PIECES): past it, the set is partial. */
  maxPieces?: number;
  progress?: (line: string) => void;
}

export interface ZeroNeuron {
  layer: number;
  neuron: number;
  vanishes: Vanishes;
}

export interface SignDisagreement {
  layer: number;
  neuron: number;
  exact: number;
  /** Sign of the float pre-activation; NaN when the float pass produced NaN. */
  float: number;
  /** The float pre-activation (number) and the exact one (rational string). */
  floatValue: number;
  exactValue: string;
}

export interface FloatResult {
  value: number;
  inputExact: boolean;
  disagreements: SignDisagreement[];
}

export interface InputAudit {
  index: number;
  where: string;
  value: Rational;
  pre?: Rational[][];
  zeros: ZeroNeuron[];
  /** Some zero pre-activation does not provably vanish identically nearby. */
  kink: boolean;
  floats: Partial<Record<FloatDtype, FloatResult>>;
  backprop: {
    /** relu'(0) = 0, exact. */
    gradient: Rational[];
    /** Whether relu'(0) = 1 gives a different vector at x. */
    reluPrimeMatters: boolean;
    /** One Clarke subgradient (at kink inputs). */
    clarkeOne?: Rational[];
    equalsClarkeOne?: boolean;
    inClarke: Verdict;
    why: string;
  };
  clarke?: { answer: ClarkeAnswerKind; exact: boolean; restsOn: string; timeMs: number; subgradients?: Rational[][] };
  /** The Clarke set at a kink input (clarkeSet; its certificate re-checked by src/verify/set.ts). */
  clarkeSet?: ClarkeSetSummary;
  /** Is backprop's vector in ∂^c F(x), for each relu'(0) (clarkeContains, exact, re-checked)? */
  membership?: BackpropMembership[];
  timeMs: number;
}

/** What the audit keeps of a Clarke set. */
export interface ClarkeSetSummary {
  complete: boolean;
  /** Distinct piece gradients (the set is their convex hull). */
  gradients: number;
  /** Activation patterns of the tied neurons with a nonempty cone. */
  pieces: number;
  /** Extreme points among the gradients (null: not classified). */
  extremePoints: number | null;
  /** Neurons with pre-activation exactly 0 at x. */
  tied: number;
  restsOn: string;
  timeMs: number;
}

/** The relu'(0) values whose backprop the audit places in or out of the Clarke set. */
export const AUDIT_RELU_PRIMES = ['0', '1/2', '1'] as const;
export type AuditReluPrime = (typeof AUDIT_RELU_PRIMES)[number];
/** Default of AuditOptions.maxPieces. */
export const AUDIT_MAX_PIECES = 2000;

export interface BackpropMembership {
  reluPrime: AuditReluPrime;
  gradient: Rational[];
  /** yes: exact convex weights over certified pieces; no: a separating direction; undecided: a limit. */
  answer: 'yes' | 'no' | 'undecided';
  restsOn: string;
  timeMs: number;
}

export interface LayerSummary {
  layer: number;
  width: number;
  /** Zero pre-activations over all inputs. */
  zeros: number;
  /** Of those, the ones that do not provably vanish identically nearby. */
  kinks: number;
  disagreements: Partial<Record<FloatDtype, number>>;
}

export interface AuditSummary {
  inputs: number;
  inputsWithZero: number;
  kinkInputs: number;
  zeroNeurons: number;
  vanishing: Record<Vanishes, number>;
  floats: Partial<Record<FloatDtype, { inputsWithDisagreement: number; neuronDisagreements: number; inputsRounded: number; nanInputs: number }>>;
  backprop: { reluPrimeMatters: number; inClarke: Record<Verdict, number> };
  /** Kink inputs by membership answer, per relu'(0). */
  membership: Record<AuditReluPrime, { yes: number; no: number; undecided: number }>;
  /** Kink inputs whose Clarke set was enumerated completely / partially; pieces and gradients summed. */
  clarkeSets: { complete: number; partial: number; gradients: number; pieces: number };
  clarke: Record<ClarkeAnswerKind, number> & { exact: number };
  layers: LayerSummary[];
}

export interface AuditReport {
  network: { inputDim: number; widths: number[]; weights: number; imported?: unknown };
  options: { floats: FloatDtype[]; clarke: boolean; solver?: string; timeLimitSec: number; seed: number; directions: number; inputRounding?: FloatDtype };
  inputs: InputAudit[];
  summary: AuditSummary;
  timeMs: number;
}

/** Decide, for each zero neuron at x, whether it vanishes identically near x (see header). */
export function zeroNeurons(net: Network, x: readonly Rational[], pre: readonly (readonly Rational[])[], directions: number, rng: Rng): ZeroNeuron[] {
  const zeros: Array<[number, number]> = [];
  pre.forEach((z, l) => z.forEach((v, i) => {
    if (v.isZero()) zeros.push([l, i]);
  }));
  if (zeros.length === 0) return [];
  const loc = localize(net, x);
  const nodeOf = new Map<string, number>();
  loc.origin.forEach(([l, i], k) => nodeOf.set(`${l}:${i}`, k));
  const seen = new Set<number>();
  const pending = new Set(nodeOf.values());
  const R = 1n << 20n;
  for (let t = 0; t < directions && pending.size > 0; t++) {
    const h = Array.from({ length: net.inputDim }, () => Rational.int(rng.bigint(-R, R)));
    const { pre: dz } = evaluateDag(loc.dag, h);
    for (const k of [...pending]) if (!dz[k]!.isZero()) {
      seen.add(k);
      pending.delete(k);
    }
  }
  return zeros.map(([l, i]) => {
    const k = nodeOf.get(`${l}:${i}`);
    return { layer: l, neuron: i, vanishes: k === undefined ? 'yes' : seen.has(k) ? 'no' : 'undecided' };
  });
}

export async function auditNetwork(net: Network, rows: readonly (readonly Rational[])[], opts: AuditOptions = {}, where?: readonly string[]): Promise<AuditReport> {
  const t0 = performance.now();
  const floats = opts.floats ?? ['float32', 'float16'];
  const useClarke = opts.clarke ?? true;
  const timeLimitSec = opts.timeLimitSec ?? 10;
  const seed = opts.seed ?? 1;
  const directions = opts.directions ?? 16;
  const keepPre = opts.keepPre ?? true;
  const useSet = opts.set ?? true;
  const maxPieces = opts.maxPieces ?? AUDIT_MAX_PIECES;
  const log = opts.progress ?? (() => {});
  const rounded: RoundedNet[] = floats.map((d) => roundNetwork(net, d));
  const exact = new IntNetwork(net);
  const widths = net.widths;
  const inputs: InputAudit[] = [];
  for (let n = 0; n < rows.length; n++) {
    const t1 = performance.now();
    const x = rows[n]!;
    checkPoint(net, x, where?.[n] ?? `input ${n}`);
    const f = exact.forward(x, true);
    const fwd = { pre: f.pre!, value: f.value };
    const rng = new Rng(seed + n);
    const zeros = zeroNeurons(net, x, fwd.pre, directions, rng);
    const kink = zeros.some((z) => z.vanishes !== 'yes');
    const fl: Partial<Record<FloatDtype, FloatResult>> = {};
    rounded.forEach((rn) => {
      const fp = floatForward(rn, x);
      const disagreements: SignDisagreement[] = [];
      fp.pre.forEach((z, l) => z.forEach((v, i) => {
        const e = fwd.pre[l]![i]!;
        const s = floatSign(v);
        if (s !== e.sign()) disagreements.push({ layer: l, neuron: i, exact: e.sign(), float: s, floatValue: v, exactValue: e.toString() });
      }));
      fl[rn.dtype] = { value: fp.value, inputExact: fp.inputExact, disagreements };
    });
    // relu'(0) = 0 passes the positive neurons only; relu'(0) = 1 also the zero ones.
    const b0 = { gradient: exact.backward(f.signs.map((sg) => Int8Array.from(sg, (v) => (v > 0 ? 1 : 0)))) };
    const zerosAny = zeros.length > 0;
    const b1 = zerosAny ? exact.backward(f.signs.map((sg) => Int8Array.from(sg, (v) => (v >= 0 ? 1 : 0)))) : b0.gradient;
    const bp: InputAudit['backprop'] = {
      gradient: b0.gradient,
      reluPrimeMatters: !vecEq(b0.gradient, b1),
      inClarke: 'yes',
      why: zerosAny
        ? 'every zero pre-activation vanishes identically near x: F is affine near x and relu\'(0) = 0 reproduces those neurons exactly'
        : 'no zero pre-activation: F is affine near x and backprop returns its gradient',
    };
    let clarke: InputAudit['clarke'];
    if (zerosAny && useClarke) {
      // One input's failure (a solver error, no generic direction found) is reported, not fatal.
      try {
        const a = await decideClarke(net, { at: [...x], solver: opts.solver, timeLimitSec, seed });
        clarke = { answer: a.answer, exact: a.exact, restsOn: a.restsOn, timeMs: a.timeMs, subgradients: a.subgradients };
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        clarke = { answer: 'unknown', exact: false, restsOn: `decideClarke failed: ${e.message}`, timeMs: 0 };
      }
    }
    if (kink) {
      let co: Rational[] | null = null;
      try {
        co = clarkeOne(net, x, seed).subgradient;
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
      }
      if (co) {
        bp.clarkeOne = co;
        bp.equalsClarkeOne = vecEq(b0.gradient, co);
      }
      const known = [...(co ? [co] : []), ...(clarke && clarke.exact ? clarke.subgradients ?? [] : [])];
      if (known.some((g) => vecEq(g, b0.gradient))) {
        bp.inClarke = 'yes';
        bp.why = bp.equalsClarkeOne ? 'equals the Clarke subgradient found by one backprop at a nearby generic point' : 'equals a subgradient of the exactly checked Clarke answer';
      } else if (clarke && clarke.exact && clarke.answer === 'singleton') {
        bp.inClarke = 'no';
        bp.why = `the Clarke subdifferential is the singleton {g} (${clarke.restsOn}) and backprop returns another vector`;
      } else {
        bp.inClarke = 'unknown';
        bp.why = clarke
          ? `differs from the Clarke subgradients found; the Clarke answer is ${clarke.answer}${clarke.exact ? '' : ' (not exact)'}, so membership is not decided`
          : co
            ? 'differs from the Clarke subgradient found at a nearby generic point; run with the Clarke decision to settle it'
            : 'no generic point near x was found (clarke-one gave up) and the Clarke decision was not run';
      }
    }
    let setSummary: ClarkeSetSummary | undefined;
    let membership: BackpropMembership[] | undefined;
    if (kink && useClarke && useSet) {
      // The whole set, then each backprop vector against it (one exact LP when the set is
      // complete; column generation with a bound otherwise), all on one reduction of the tied
      // forms. Every answer's certificate is re-checked by src/verify/set.ts inside clarkeSet /
      // clarkeContains.
      const t2 = performance.now();
      const v = (rp: AuditReluPrime): Rational[] => (rp === '0' ? b0.gradient : rp === '1' ? b1 : backward(net, x, constantPolicy(Rational.of(1n, 2n))).gradient);
      let forms: TiedForms | null = null;
      try {
        forms = tiedForms(net, x, t2 + timeLimitSec * 1000);
      } catch (e) {
        if (!(e instanceof TimeLimitReached)) throw e;
        // Hundreds of dense tied rows: the exact reduction alone outlasts the limit. Stated, not guessed.
        const why = `time limit (${timeLimitSec} s) reached during ${e.during} (${zeros.length} tied neurons); no piece enumerated`;
        setSummary = { complete: false, gradients: 0, pieces: 0, extremePoints: null, tied: zeros.length, restsOn: why, timeMs: performance.now() - t2 };
        membership = AUDIT_RELU_PRIMES.map((rp) => ({ reluPrime: rp, gradient: v(rp), answer: 'undecided' as const, restsOn: why, timeMs: 0 }));
      }
      if (forms !== null) {
        const left = (): number => Math.max(0.001, timeLimitSec - (performance.now() - t2) / 1000);
        const set = clarkeSet(net, { at: [...x], maxPieces, timeLimitSec: left(), seed, forms });
        setSummary = {
          complete: set.complete,
          gradients: set.gradients.length,
          pieces: set.pieces,
          extremePoints: set.extremePoints,
          tied: set.tied.length,
          restsOn: set.restsOn,
          timeMs: performance.now() - t2,
        };
        membership = AUDIT_RELU_PRIMES.map((rp) => {
          const t3 = performance.now();
          const m = clarkeContains(net, v(rp), { at: [...x], set, forms: forms!, timeLimitSec, seed });
          return { reluPrime: rp, gradient: m.vector, answer: m.answer, restsOn: m.restsOn, timeMs: performance.now() - t3 };
        });
      }
      const m0 = membership![0]!;
      if (m0.answer !== 'undecided') {
        bp.inClarke = m0.answer;
        bp.why = `${m0.answer === 'yes' ? 'in' : 'not in'} the Clarke set, decided exactly: ${m0.restsOn}`;
      } else if (bp.inClarke === 'unknown') bp.why += `; exact membership undecided within the limits (${m0.restsOn})`;
    }
    const audit: InputAudit = {
      index: n,
      where: where?.[n] ?? `input ${n}`,
      value: fwd.value,
      ...(keepPre ? { pre: fwd.pre } : {}),
      zeros,
      kink,
      floats: fl,
      backprop: bp,
      ...(clarke ? { clarke } : {}),
      ...(setSummary ? { clarkeSet: setSummary } : {}),
      ...(membership ? { membership } : {}),
      timeMs: performance.now() - t1,
    };
    inputs.push(audit);
    const dis = floats.map((d) => `${d} ${fl[d]!.disagreements.length}`).join(', ');
    log(`input ${n + 1}/${rows.length}: ${zeros.length} zero pre-activation(s)${kink ? ' (kink)' : ''}; sign disagreements ${dis}${clarke ? `; Clarke ${clarke.answer}` : ''} (${audit.timeMs.toFixed(0)} ms)`);
  }
  return {
    network: { inputDim: net.inputDim, widths, weights: net.weightCount, ...(net.meta.imported ? { imported: net.meta.imported } : {}) },
    options: { floats, clarke: useClarke, solver: opts.solver, timeLimitSec, seed, directions, ...(opts.inputRounding ? { inputRounding: opts.inputRounding } : {}) },
    inputs,
    summary: summarize(widths, floats, inputs),
    timeMs: performance.now() - t0,
  };
}

export function summarize(widths: readonly number[], floats: readonly FloatDtype[], inputs: readonly InputAudit[]): AuditSummary {
  const layers: LayerSummary[] = widths.map((w, l) => ({ layer: l, width: w, zeros: 0, kinks: 0, disagreements: Object.fromEntries(floats.map((d) => [d, 0])) }));
  const s: AuditSummary = {
    inputs: inputs.length,
    inputsWithZero: 0,
    kinkInputs: 0,
    zeroNeurons: 0,
    vanishing: { yes: 0, no: 0, undecided: 0 },
    floats: Object.fromEntries(floats.map((d) => [d, { inputsWithDisagreement: 0, neuronDisagreements: 0, inputsRounded: 0, nanInputs: 0 }])),
    backprop: { reluPrimeMatters: 0, inClarke: { yes: 0, no: 0, unknown: 0 } },
    membership: Object.fromEntries(AUDIT_RELU_PRIMES.map((rp) => [rp, { yes: 0, no: 0, undecided: 0 }])) as AuditSummary['membership'],
    clarkeSets: { complete: 0, partial: 0, gradients: 0, pieces: 0 },
    clarke: { two: 0, singleton: 0, unknown: 0, exact: 0 },
    layers,
  };
  for (const a of inputs) {
    if (a.zeros.length > 0) s.inputsWithZero++;
    if (a.kink) s.kinkInputs++;
    s.zeroNeurons += a.zeros.length;
    for (const z of a.zeros) {
      s.vanishing[z.vanishes]++;
      layers[z.layer]!.zeros++;
      if (z.vanishes !== 'yes') layers[z.layer]!.kinks++;
    }
    for (const d of floats) {
      const f = a.floats[d]!;
      const t = s.floats[d]!;
      if (f.disagreements.length > 0) t.inputsWithDisagreement++;
      t.neuronDisagreements += f.disagreements.length;
      if (!f.inputExact) t.inputsRounded++;
      if (f.disagreements.some((x) => Number.isNaN(x.float)) || Number.isNaN(f.value)) t.nanInputs++;
      for (const x of f.disagreements) layers[x.layer]!.disagreements[d] = (layers[x.layer]!.disagreements[d] ?? 0) + 1;
    }
    if (a.backprop.reluPrimeMatters) s.backprop.reluPrimeMatters++;
    if (a.kink) s.backprop.inClarke[a.backprop.inClarke]++;
    for (const m of a.membership ?? []) s.membership[m.reluPrime][m.answer]++;
    if (a.clarkeSet) {
      s.clarkeSets[a.clarkeSet.complete ? 'complete' : 'partial']++;
      s.clarkeSets.gradients += a.clarkeSet.gradients;
      s.clarkeSets.pieces += a.clarkeSet.pieces;
    }
    if (a.clarke) {
      s.clarke[a.clarke.answer]++;
      if (a.clarke.exact) s.clarke.exact++;
    }
  }
  return s;
}

