/**
 * `babDecide`: branch and bound on the tangent network (docs/theory.md §6, §8), deciding whether
 * D(h) = G(h) − g·h vanishes on [-1,1]^p (then ∂^c F(x̄) = {g}, with an exact proof) or not (then a
 * rational point h with σ·D(h) > 0, exactly evaluated, from which the caller builds a certificate).
 *
 * For each sign σ (+1, then −1), one of two strategies:
 *   - 'cdcl' (default): conflict-driven search over the signs of the inputs (./cdcl.ts) with the
 *     network as its theory (./theory.ts): a box closed by an exact bound becomes a lemma over the
 *     few sign constraints the bound read; lemmas propagate, conflicts are analysed into new
 *     lemmas by geometric resolution, the search backjumps and restarts. Orthants the bound cannot
 *     settle are searched by the bisection tree. The proof (format version 2) lists the lemmas the
 *     final refutation uses, each with its own proof, then the refutation of the whole box;
 *   - 'tree': the bisection tree alone (./tree.ts), the search of nsad 0.2 (proof version 1).
 * Every leaf is closed by an exact bound before it is written (./leaf.ts); the proof goes to
 * `proofSink` at the end, whole (nothing is written on a witness or a limit).
 */
import { Rational, ZERO, ONE } from '../../exact/rational';
import type { Network } from '../../network/network';
import {
  headerLine,
  treeOpenLine,
  treeEndLine,
  lemmaLine,
  rupLemmaLine,
  deleteLine,
  citeLine,
  resolutionLine,
  inputSplitLine,
  type ProofSink,
  type ProofSign,
} from '../../certificate/proof';
import { LeafCloser } from './leaf';
import { babProblem, objective, type BabProblem } from './problem';
import { treeSearch, MAX_DEPTH_TREE, type TreeLimits, type TreeStats } from './tree';
import { NetworkTheory } from './theory';
import { Cdcl, litSign, stepCount, type Lemma, type LemmaProof } from './cdcl';

export { sparseLayers, babProblem, type BabProblem } from './problem';

export interface BabProgress {
  sign: ProofSign;
  nodes: number;
  leaves: number;
  /** Depth of the current box (tree) or decision level (cdcl). */
  open: number;
  /** Float upper bound of σ·D on the current box (tree only; NaN otherwise). */
  bound: number;
  conflicts?: number;
  lemmas?: number;
  elapsedMs: number;
}

export type BabStrategy = 'cdcl' | 'tree';
/**
 * How derived lemmas are written (format version 2): 'rup' (default) — the cube alone, the
 * checker re-derives it by unit propagation over the lemmas before it; 'resolution' — with its
 * resolution steps as proof lines (larger files, a checker with no propagation of its own).
 */
export type ProofStyle = 'rup' | 'resolution';

export interface BabOptions {
  /** The point x̄ (default 0). */
  at?: readonly Rational[];
  /** The candidate subgradient g (required). */
  gradient: readonly Rational[];
  /** Signs to prove (default [1, -1]). */
  signs?: readonly ProofSign[];
  timeLimitSec?: number;
  nodeLimit?: number;
  progress?: (p: BabProgress) => void;
  /** Receives the proof lines (at the end, on a proof); absent: no proof text is produced. */
  proofSink?: ProofSink;
  /** Free-form provenance written into the proof header. */
  producer?: Record<string, unknown>;
  /** Default 'cdcl'. */
  strategy?: BabStrategy;
  /**
   * cdcl: call the network bound at every fixpoint of propagation (true) or only on full
   * orthants (false, default: on the measured families the lemmas found there are as short, and
   * far fewer bounds are computed).
   */
  eagerTheory?: boolean;
  /** Default 'rup'. */
  proofStyle?: ProofStyle;
}

export interface BabStats {
  /** Boxes bounded (tree nodes and theory bounds). */
  nodes: number;
  /** Leaves closed by an exact bound (written or cited). */
  leaves: number;
  /** Leaves whose float bound said closed but the exact check refused (then split further). */
  exactRejects: number;
  maxDepth: number;
  dagNodes: number;
  /** cdcl: decisions, conflicts, lemmas learned (all), lemmas in the proof, tree searches of orthants. */
  decisions: number;
  conflicts: number;
  lemmas: number;
  proofLemmas: number;
  subSearches: number;
  timeMs: number;
}

export type BabResult =
  | ({ kind: 'witness'; point: Rational[]; sign: ProofSign; value: Rational } & BabStats)
  | ({ kind: 'proof'; signs: ProofSign[]; networkSha256: string } & BabStats)
  | ({ kind: 'unknown'; reason: string } & BabStats);

/** Deeper boxes end in `unknown` (the recursion stays well within the JS stack). */
export const MAX_DEPTH = MAX_DEPTH_TREE;

export function babDecide(net: Network, opts: BabOptions): BabResult {
  const t0 = performance.now();
  const p = net.inputDim;
  const at = opts.at ?? Array.from({ length: p }, () => ZERO);
  const prob = babProblem(net, at);
  return babDecideProblem(prob, at, opts, t0);
}

/**
 * The tree of the whole box: a lemma's proof (a refutation by resolution, or lines), or — from the
 * parallel search — splits at 0 on `vars` whose leaves cite the lemma closing each cube (cube
 * index bit j set: x_{vars[j]} ≥ 0).
 */
export type MainProof = LemmaProof | { kind: 'cubes'; vars: number[]; leaf: number[] };

/** One sign's proof: its lines (lemmas, then the tree of the whole box) and counts. */
export interface SignProof {
  lines: string[];
  nodes: number;
  leaves: number;
  lemmas: number;
}

const signedLiteral = (l: number): number => (litSign(l) > 0 ? (l >> 1) + 1 : -((l >> 1) + 1));

/**
 * The proof of the empty cube from a CDCL refutation: only the lemmas it uses (backwards from
 * the root, like DRAT-trim's core), renumbered in order of creation, each before its first use.
 */
export function cdclProofLines(lemmas: readonly Lemma[], root: MainProof, style: ProofStyle): SignProof {
  // A refutation that is one lemma over the whole box: that lemma's proof is the tree itself.
  let main: MainProof = root;
  if (root.kind === 'resolution' && root.steps.length === 0 && lemmas[root.base]!.cube.length === 0) main = lemmas[root.base]!.proof;
  const refs = (pr: MainProof): number[] => {
    if (pr.kind === 'cubes') return pr.leaf.slice();
    if (pr.kind !== 'resolution') return [];
    const out = [pr.base];
    for (let k = 2; k < pr.steps.length; k += 3) out.push(pr.steps[k]!);
    return out;
  };
  const used = new Set<number>();
  const stack = refs(main);
  while (stack.length > 0) {
    const k = stack.pop()!;
    if (used.has(k)) continue;
    used.add(k);
    stack.push(...refs(lemmas[k]!.proof));
  }
  const kept = [...used].sort((a, b) => a - b);
  const renum = new Map(kept.map((k, j) => [k, j]));
  const out: SignProof = { lines: [], nodes: 0, leaves: 0, lemmas: kept.length };
  const emit = (pr: LemmaProof): void => {
    if (pr.kind === 'resolution' && style === 'rup') {
      // Unit propagation re-derives it from the lemmas before it (src/verify/rup.ts).
      out.nodes++;
      out.leaves++;
      return;
    }
    if (pr.kind === 'lines') {
      for (const l of pr.lines) out.lines.push(l);
      out.nodes += pr.nodes;
      out.leaves += pr.leaves;
      return;
    }
    const st = pr.steps;
    for (let k = 0; k < st.length; k += 3) out.lines.push(resolutionLine(st[k]!, litSign(st[k + 1]!), renum.get(st[k + 2]!)!));
    out.lines.push(citeLine(renum.get(pr.base)!));
    out.nodes += stepCount(st) + 1;
    out.leaves += stepCount(st) + 1;
  };
  // Each lemma's last use by a later one: after it, a deletion line keeps the checker's unit
  // propagation over the live lemmas only (the refs of a derivation are all live when it is checked).
  const dying = new Map<number, number[]>();
  if (style === 'rup') {
    const lastUse = new Map<number, number>();
    for (const k of kept) for (const r of refs(lemmas[k]!.proof)) lastUse.set(r, k);
    for (const r of refs(main)) lastUse.delete(r); // the refutation at the end needs these
    for (const [r, k] of lastUse) if (dying.has(k)) dying.get(k)!.push(r);
    else dying.set(k, [r]);
  }
  for (const k of kept) {
    const pr = lemmas[k]!.proof;
    const cube = Array.from(lemmas[k]!.cube, signedLiteral);
    if (pr.kind === 'resolution' && style === 'rup') out.lines.push(rupLemmaLine(cube));
    else out.lines.push(lemmaLine(renum.get(k)!, cube));
    emit(pr);
    const d = dying.get(k);
    if (d) {
      out.lines.push(deleteLine(d.map((r) => renum.get(r)!).sort((a, b) => a - b)));
      out.nodes++;
    }
  }
  if (main.kind === 'cubes') {
    // The parallel search (./parallel.ts): splits at 0 on its cube variables, each cube cited.
    const { vars, leaf } = main;
    const rec = (j: number, idx: number): void => {
      out.nodes++;
      if (j === vars.length) {
        out.lines.push(citeLine(renum.get(leaf[idx]!)!));
        out.leaves++;
        return;
      }
      out.lines.push(inputSplitLine(vars[j]!, ZERO));
      rec(j + 1, idx);
      rec(j + 1, idx | (1 << j));
    };
    rec(0, 0);
    return out;
  }
  if (main.kind === 'resolution' && style === 'rup') {
    // The refutation itself: the empty cube by unit propagation, then the whole box cites it.
    out.lines.push(rupLemmaLine([]), citeLine(kept.length));
    out.lemmas++;
    out.nodes += 2;
    out.leaves += 2;
    return out;
  }
  emit(main);
  return out;
}

/** What the signs' searches share: the problem, the options, the clock, the counts. */
export interface RunContext {
  prob: BabProblem;
  at: readonly Rational[];
  opts: BabOptions;
  t0: number;
  deadline: number;
  timeLimitSec: number;
  stats: BabStats;
  limits: TreeLimits;
  lastProgress: number;
}

/** A sign's search ends with a proof, a witness, a limit, or (warm-up of the parallel search) unfinished. */
export type SignOutcome =
  | { kind: 'proof'; proof: SignProof }
  | { kind: 'witness'; point: Rational[]; value: Rational }
  | { kind: 'unknown'; reason: string }
  | { kind: 'pending'; cdcl: Cdcl; sigma: ProofSign };

export function runContext(prob: BabProblem, at: readonly Rational[], opts: BabOptions, t0: number): RunContext {
  const timeLimitSec = opts.timeLimitSec ?? 60;
  const deadline = t0 + timeLimitSec * 1000;
  return {
    prob,
    at,
    opts,
    t0,
    deadline,
    // The budget left to this search (a caller may have spent part of its own): shown rounded.
    timeLimitSec: Number(timeLimitSec.toPrecision(3)),
    stats: { nodes: 0, leaves: 0, exactRejects: 0, maxDepth: 0, dagNodes: prob.dag.nodes.length, decisions: 0, conflicts: 0, lemmas: 0, proofLemmas: 0, subSearches: 0, timeMs: 0 },
    limits: { deadline, budget: { nodes: 0, limit: opts.nodeLimit ?? Infinity }, maxDepth: MAX_DEPTH, timeLimitSec: Number(timeLimitSec.toPrecision(3)) },
    lastProgress: performance.now(),
  };
}

/**
 * One sign's search in this thread. With `warmUntil` (the parallel search's warm-up), a search
 * still running then returns `pending` with its CDCL state instead of `unknown`.
 */
export function searchSign(ctx: RunContext, sigma: ProofSign, warmUntil?: number): SignOutcome {
  const { prob, opts, stats } = ctx;
  const p = prob.p;
  const obj = objective(prob, opts.gradient, sigma);
  const closer = new LeafCloser(prob, obj);
  const treeStats: TreeStats = { nodes: 0, leaves: 0, maxDepth: 0 };
  const absorb = (): void => {
    stats.nodes += treeStats.nodes;
    stats.leaves += treeStats.leaves;
    stats.maxDepth = Math.max(stats.maxDepth, treeStats.maxDepth);
    stats.exactRejects += closer.exactRejects;
  };
  if ((opts.strategy ?? 'cdcl') === 'tree') {
    const treeProgress = (depth: number, bound: number): void => {
      const now = performance.now();
      if (!opts.progress || now - ctx.lastProgress < 2000) return;
      ctx.lastProgress = now;
      opts.progress({ sign: sigma, nodes: stats.nodes + treeStats.nodes, leaves: stats.leaves + treeStats.leaves, open: depth, bound, elapsedMs: now - ctx.t0 });
    };
    const t = treeSearch(
      prob,
      obj,
      closer,
      { lo: Array.from({ length: p }, () => Rational.int(-1)), hi: Array.from({ length: p }, () => ONE), tracked: () => false },
      ctx.limits,
      treeStats,
      treeProgress,
    );
    absorb();
    if (t.kind === 'closed') return { kind: 'proof', proof: { lines: t.lines, nodes: t.nodes, leaves: t.leaves, lemmas: 0 } };
    return t;
  }
  const theory = new NetworkTheory(prob, obj, closer, ctx.limits, treeStats);
  const cdcl: Cdcl = new Cdcl(p, theory, {
    eagerTheory: opts.eagerTheory ?? false,
    deadline: Math.min(ctx.deadline, warmUntil ?? Infinity),
    timeLimitSec: ctx.timeLimitSec,
    progress: opts.progress
      ? (st) =>
          opts.progress!({ sign: sigma, nodes: stats.nodes + treeStats.nodes, leaves: stats.leaves + treeStats.leaves, open: st.maxLevel, bound: NaN, conflicts: st.conflicts, lemmas: cdcl.lemmas.length, elapsedMs: performance.now() - ctx.t0 })
      : undefined,
  });
  const r = cdcl.solve();
  absorb();
  stats.decisions += cdcl.stats.decisions;
  stats.conflicts += cdcl.stats.conflicts;
  stats.lemmas += cdcl.lemmas.length;
  stats.subSearches += theory.subSearches;
  if (r.kind === 'witness') {
    const w = r.point as { point: Rational[]; value: Rational };
    return { kind: 'witness', point: w.point, value: w.value };
  }
  if (r.kind === 'unknown') {
    if (warmUntil !== undefined && performance.now() < ctx.deadline && r.reason.startsWith('time limit')) return { kind: 'pending', cdcl, sigma };
    return r;
  }
  if (r.kind !== 'unsat') throw new Error('internal: a search without assumptions ended under assumptions');
  return { kind: 'proof', proof: cdclProofLines(r.lemmas, r.root, opts.proofStyle ?? 'rup') };
}

/** The result of the run: the first sign that did not end in a proof decides; else the proof, sent to the sink. */
export function finishRun(ctx: RunContext, outcomes: ReadonlyArray<{ sigma: ProofSign; outcome: SignOutcome }>): BabResult {
  const { stats, prob, opts } = ctx;
  const finish = <T extends object>(r: T): T & BabStats => ({ ...r, ...stats, timeMs: performance.now() - ctx.t0 });
  const proofs: SignProof[] = [];
  for (const { sigma, outcome } of outcomes) {
    if (outcome.kind === 'witness') return finish({ kind: 'witness' as const, point: outcome.point, sign: sigma, value: outcome.value });
    if (outcome.kind === 'unknown') return finish({ kind: 'unknown' as const, reason: outcome.reason });
    if (outcome.kind === 'pending') throw new Error('internal: a sign left pending');
    proofs.push(outcome.proof);
    stats.proofLemmas += outcome.proof.lemmas;
  }
  const signs = outcomes.map((o) => o.sigma);
  const sink = opts.proofSink;
  if (sink) {
    const version = proofs.some((pr) => pr.lemmas > 0) ? 2 : 1;
    sink(headerLine({ networkSha256: prob.hash, inputDim: prob.p, at: ctx.at, gradient: opts.gradient, signs, producer: opts.producer, version }));
    signs.forEach((sigma, j) => {
      const pr = proofs[j]!;
      sink(treeOpenLine(sigma));
      for (const l of pr.lines) sink(l);
      sink(treeEndLine(sigma, pr.nodes, pr.leaves, pr.lemmas));
    });
  }
  return finish({ kind: 'proof' as const, signs, networkSha256: prob.hash });
}

export function babDecideProblem(prob: BabProblem, at: readonly Rational[], opts: BabOptions, t0 = performance.now()): BabResult {
  const ctx = runContext(prob, at, opts, t0);
  const outcomes: Array<{ sigma: ProofSign; outcome: SignOutcome }> = [];
  for (const sigma of opts.signs ?? [1, -1]) {
    const outcome = searchSign(ctx, sigma);
    outcomes.push({ sigma, outcome });
    if (outcome.kind !== 'proof') break;
  }
  return finishRun(ctx, outcomes);
}

/** One progress line (the CLI prints it on stderr). */
export function formatBabProgress(p: BabProgress): string {
  const extra = p.conflicts !== undefined ? `, ${p.conflicts} conflicts, ${p.lemmas} lemmas, level ${p.open}` : `, depth ${p.open}, bound here ${p.bound.toPrecision(3)}`;
  return `bab: sign ${p.sign > 0 ? '+' : '-'}: ${p.nodes} nodes, ${p.leaves} leaves${extra}, ${(p.elapsedMs / 1000).toFixed(1)} s`;
}
