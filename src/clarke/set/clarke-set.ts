/**
 * The whole Clarke subdifferential of a ReLU network at a rational point (docs/theory.md §9):
 *
 *     ∂^c F(x̄) = conv{ g_P : P a pattern of the tied neurons whose open cone C_P is nonempty },
 *
 * every g_P with a direction of its cone, the extreme points marked, and a completeness
 * certificate (the pattern tree, src/clarke/set/enumerate.ts) that the independent checker
 * src/verify/set.ts re-checks. Distinct patterns may have the same gradient; each gradient is
 * reported once, with all its patterns. A limit on pieces or time gives `complete: false`: the
 * gradients listed are then Clarke subgradients (each with its direction), but others may exist.
 */
import { Rational } from '../../exact/rational';
import type { Network } from '../../network/network';
import { networkToJson } from '../../network/format';
import { verifySet, type SetCheck } from '../../verify/set';
import { tiedForms, combineRows, type TiedForms } from './forms';
import { searchPatterns, type Search } from './enumerate';
import { classifyExtreme, type Extremality } from './hull';
import { SET_FORMAT, SET_VERSION, denseJson, sparseJson, treeJson, type ClarkeSetJson, type HullJson } from '../../certificate/clarke-set';

/** Default limit on the pieces enumerated (`nsad clarke --set --max-pieces`). */
export const DEFAULT_MAX_PIECES = 10_000;
/** Default limit on the number of distinct gradients whose extreme points are classified. */
export const DEFAULT_MAX_HULL = 2_000;

export interface ClarkeSetOptions {
  /** The point x̄ (default 0). */
  at?: Rational[];
  /** Stop after this many pieces (default DEFAULT_MAX_PIECES): then `complete: false`. */
  maxPieces?: number;
  /** Wall-clock budget in seconds for the enumeration and the hull (default 60). */
  timeLimitSec?: number;
  /** Classify the extreme points when there are at most this many gradients (default DEFAULT_MAX_HULL; 0: never). */
  maxHull?: number;
  /** Seed of the root direction and of the random directions of the hull (default 1). */
  seed?: number;
  /** Re-check the certificate with the independent checker src/verify/set.ts (default true). */
  check?: boolean;
  /** The tied forms of F at x̄, when the caller has them (shared with clarkeContains). */
  forms?: TiedForms;
  /** Progress lines (the CLI sends them to stderr). */
  progress?: (line: string) => void;
}

/** One distinct gradient of the Clarke set. */
export interface SetGradient {
  gradient: Rational[];
  /** The patterns with this gradient: one character per tied neuron, '+', '-' or '0' (vanishing). */
  patterns: string[];
  /** A direction h of the first of those pieces: F is linear with this gradient on x̄ + t·(h + small), t > 0 small. */
  direction: Rational[];
  /** Extreme point of the set; null when not classified (more than `maxHull` gradients, or the time limit). */
  extreme: boolean | null;
}

export interface ClarkeSet {
  at: Rational[];
  /** F(x̄). */
  value: Rational;
  /** The tied neurons [layer, index] (pre-activation exactly 0 at x̄), the order of the patterns. */
  tied: Array<[number, number]>;
  /** Dimension of the span of the tied neurons' input forms (the reduced coordinates). */
  rank: number;
  /** True when every piece was enumerated (the tree has no unexplored node). */
  complete: boolean;
  /** Why the enumeration stopped early. */
  stopped?: string;
  gradients: SetGradient[];
  /** Pieces (patterns with a nonempty open cone). */
  pieces: number;
  /** Extreme points among the gradients; null when not all were classified. */
  extremePoints: number | null;
  /** Tied neurons that vanish identically on every piece (sign 0 in every pattern), when complete. */
  vanishing: number[];
  /** The certificate (nsad-clarke-set v1). */
  certificate: ClarkeSetJson;
  /** The independent checker's verdict when `check` was on; null otherwise. */
  check: SetCheck | null;
  restsOn: string;
  stats: { nodes: number; lps: number; empty: number; searchMs: number; hullMs: number; checkMs: number; timeMs: number };
}

/** Embed reduced coordinates u (on the pivot columns J) into R^p. */
export function embed(f: TiedForms, u: readonly Rational[]): Rational[] {
  const h = new Array<Rational>(f.p).fill(Rational.int(0));
  f.rref.pivots.forEach((c, i) => (h[c] = u[i]!));
  return h;
}

/** The full gradient E_out + Σ w_k E_k. */
export function fullGradient(f: TiedForms, w: readonly Rational[]): Rational[] {
  return combineRows(w, f.input, f.p, f.base);
}

export const patternString = (signs: ArrayLike<number>): string => Array.from(signs, (s) => (s > 0 ? '+' : s < 0 ? '-' : '0')).join('');

/** Group the leaves of a search by gradient (reduced coordinates), in order of first appearance. */
export function groupLeaves(search: Search): { groups: number[][]; leafGroup: number[] } {
  const byKey = new Map<string, number>();
  const groups: number[][] = [];
  const leafGroup: number[] = [];
  search.leaves.forEach((leaf, i) => {
    const key = leaf.q.map(String).join(',');
    let g = byKey.get(key);
    if (g === undefined) {
      byKey.set(key, (g = groups.length));
      groups.push([]);
    }
    groups[g]!.push(i);
    leafGroup.push(g);
  });
  return { groups, leafGroup };
}

/**
 * Enumerate ∂^c F(x̄) (module header). Throws TimeLimitReached (src/errors.ts) when the limit
 * passes before the tied forms are reduced (no piece can be certified then); past it during the
 * enumeration, the set is partial (`complete: false`).
 */
export function clarkeSet(net: Network, opts: ClarkeSetOptions = {}): ClarkeSet {
  const t0 = performance.now();
  const at = opts.at ?? Array.from({ length: net.inputDim }, () => Rational.int(0));
  const log = opts.progress ?? (() => {});
  const deadline = t0 + (opts.timeLimitSec ?? 60) * 1000;
  // Past the limit already while reducing the forms: TimeLimitReached (nothing to certify yet).
  const f = opts.forms ?? tiedForms(net, at, deadline);
  log(`${f.tied.length} tied neuron(s), reduced dimension ${f.rref.rank}`);
  const search = searchPatterns(f, { maxPieces: opts.maxPieces ?? DEFAULT_MAX_PIECES, deadline, seed: opts.seed });
  const t1 = performance.now();
  log(`${search.leaves.length} piece(s), ${search.empty} empty cone(s), ${search.lps} LP(s) (${(t1 - t0).toFixed(0)} ms)${search.complete ? '' : `; stopped: ${search.stopped}`}`);
  const { groups, leafGroup } = groupLeaves(search);
  const grads = groups.map((g) => fullGradient(f, search.leaves[g[0]!]!.w));
  const maxHull = opts.maxHull ?? DEFAULT_MAX_HULL;
  let hull: Array<Extremality | null> = groups.map(() => null);
  if (groups.length <= maxHull && groups.length > 0) hull = classifyExtreme(groups.map((g) => search.leaves[g[0]!]!.q), opts.seed ?? 1, deadline);
  const t2 = performance.now();
  const classified = hull.every((h) => h !== null);
  const extremePoints = classified ? hull.filter((h) => h!.extreme).length : null;
  if (groups.length > 0) log(`${groups.length} distinct gradient(s), ${classified ? `${extremePoints} extreme` : 'extreme points not classified'} (${(t2 - t1).toFixed(0)} ms)`);
  const gradients: SetGradient[] = groups.map((g, i) => ({
    gradient: grads[i]!,
    patterns: g.map((leaf) => patternString(search.leaves[leaf]!.signs)),
    direction: embed(f, search.leaves[g[0]!]!.u),
    extreme: hull[i] === null ? null : hull[i]!.extreme,
  }));
  const hullJson: HullJson[] = hull.map((h) =>
    h === null ? null : h.extreme ? { exposedBy: sparseJson(embed(f, h.d)) } : { combination: h.weights.map(([i, v]) => [i, v.toJSON()] as [number, number | string]) },
  );
  const certificate: ClarkeSetJson = {
    format: SET_FORMAT,
    version: SET_VERSION,
    at: denseJson(at),
    complete: search.complete,
    tied: f.tied,
    gradients: grads.map(denseJson),
    ...(hull.some((h) => h !== null) ? { hull: hullJson } : {}),
    tree: treeJson(search.root, (leaf) => ['p', leafGroup[leaf]!, sparseJson(embed(f, search.leaves[leaf]!.u))]),
  };
  const vanishing: number[] = [];
  if (search.complete && search.leaves.length > 0)
    for (let k = 0; k < f.tied.length; k++) if (search.leaves.every((l) => l.signs[k] === 0)) vanishing.push(k);
  let check: SetCheck | null = null;
  if (opts.check !== false) {
    check = verifySet(networkToJson(net), certificate);
    if (!check.valid) throw new Error(`internal: the Clarke set certificate failed the independent checker: ${check.reason}`);
  }
  const t3 = performance.now();
  const what = search.complete
    ? `complete enumeration of the ${f.tied.length} tied neuron(s)' patterns: ${search.leaves.length} piece(s) with directions, ${search.empty} empty cone(s) closed by exact Farkas multipliers`
    : `partial enumeration (${search.stopped}): each of the ${groups.length} gradient(s) listed is a Clarke subgradient (a piece with its direction), others may exist`;
  return {
    at,
    value: f.value,
    tied: f.tied,
    rank: f.rref.rank,
    complete: search.complete,
    ...(search.stopped ? { stopped: search.stopped } : {}),
    gradients,
    pieces: search.leaves.length,
    extremePoints,
    vanishing,
    certificate,
    check,
    restsOn: `${what}${check ? '; certificate checked by the independent checker (src/verify/set.ts)' : '; certificate not re-checked'}`,
    stats: { nodes: search.nodes, lps: search.lps, empty: search.empty, searchMs: t1 - t0, hullMs: t2 - t1, checkMs: t3 - t2, timeMs: t3 - t0 },
  };
}
