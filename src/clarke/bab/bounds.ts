/**
 * Float bounds for the branch and bound (docs/theory.md §8): the same backward pass as the proof
 * checker (src/verify/proof.ts, header), in float64, with the choices the checker takes as given
 * made here by search:
 *   - a free node with a negative coefficient: both lower relaxations y ≥ 0 and y ≥ ê are tried
 *     (a small DP over "routes"; on the min tree of the SAT reduction a route is one clause, so the
 *     pass finds the clause with the smallest bound, ties broken by fewest free inputs, like a
 *     shortest-clause rule), within a per-box budget of branchings;
 *   - a free node with a positive coefficient: the triangle, or a partial substitution
 *     λ = U(P) + R (valid when U(P) + L(R) ≥ 0), chosen by a look-ahead proxy: the input part of
 *     the remaining expression after the substitution. On a falsified clause of the reduction the
 *     substitution shows max(a, b) ≤ max(U(a), U(b)) = 0, which the triangle cannot.
 * Floats only steer the search: a leaf enters a proof only after the exact check of src/verify.
 *
 * Sub-bounds are memoized per box, and a child box inherits the memo entries of nodes whose input
 * cone does not contain the split coordinate (they are the same function of the same box).
 */
import { IdHeap, type CanonicalDag } from '../../verify/proof';

export interface FloatDag {
  p: number;
  ids: Int32Array[];
  ws: Float64Array[];
  /** Input cone of each node when it has at most CONE_CAP inputs, else null ("large"). */
  cone: Array<Int32Array | null>;
  /** How many small-cone nodes each input occurs in (a static occurrence count, MOMs-like). */
  occurrences: Float64Array;
  /** Full input cone of each node as a bitset (null when p is large). */
  coneBits: Uint32Array[] | null;
  /** Relu levels of the DAG: the longest chain of nodes each in the next one's pre-activation. */
  depth: number;
  /** Sub-bounds of small-cone nodes, shared by every box that agrees on the cone (BoxBounds.partBound). */
  shared: Map<string, PassResult>;
}

/**
 * Beyond this depth the passes below would recurse as deep as the DAG (a sub-bound needs the
 * sub-bounds of the nodes it relaxes): a box then computes every node's bounds bottom up first
 * (each pass finds the ones it needs memoized: recursion depth one) and uses guided choices (no
 * route DP, whose recursion follows the routes). Quadratic in the depth, but never a stack overflow.
 */
export const DEEP_DAG = 150;

/** A pass over a deep DAG ran past its box's deadline (the search answers `unknown`). */
export class BoundTimeout extends Error {}

const CONE_CAP = 16;

export function floatDag(dag: CanonicalDag): FloatDag {
  const p = dag.p;
  const ids: Int32Array[] = [];
  const ws: Float64Array[] = [];
  const cone: Array<Int32Array | null> = [];
  const occurrences = new Float64Array(p);
  for (const nd of dag.nodes) {
    ids.push(Int32Array.from(nd.ids));
    ws.push(Float64Array.from(nd.ws, (w) => Number(w.n) / Number(w.d)));
    let set: Set<number> | null = new Set();
    for (const t of nd.ids) {
      if (t < p) set.add(t);
      else {
        const c = cone[t - p];
        if (c === null || c === undefined) {
          set = null;
          break;
        }
        for (const v of c) set.add(v);
      }
      if (set.size > CONE_CAP) {
        set = null;
        break;
      }
    }
    const c = set === null ? null : Int32Array.from([...set].sort((a, b) => a - b));
    cone.push(c);
    if (c) for (const v of c) occurrences[v]! += 1 / c.length;
  }
  let coneBits: Uint32Array[] | null = null;
  if (p <= 4096) {
    const W = Math.ceil(p / 32);
    coneBits = [];
    for (const nd of dag.nodes) {
      const bits = new Uint32Array(W);
      for (const t of nd.ids) {
        if (t < p) bits[t >> 5]! |= 1 << (t & 31);
        else {
          const c = coneBits[t - p]!;
          for (let w = 0; w < W; w++) bits[w]! |= c[w]!;
        }
      }
      coneBits.push(bits);
    }
  }
  const lev = new Int32Array(dag.nodes.length);
  let depth = 0;
  dag.nodes.forEach((nd, k) => {
    let d = 0;
    for (const t of nd.ids) if (t >= p) d = Math.max(d, lev[t - p]!);
    lev[k] = d + 1;
    depth = Math.max(depth, d + 1);
  });
  return { p, ids, ws, cone, occurrences, coneBits, depth, shared: new Map() };
}

/** A choice made on a route, kept as a persistent list (routes share prefixes). */
export type ChainItem =
  | { t: 'A'; id: number }
  | { t: 'A0'; id: number }
  | { t: 'T'; id: number }
  | { t: 'S'; id: number; T: number[] }
  | { t: 'R'; res: PassResult }
  | { t: 'TAIL'; route: { chain: Chain | null } }
  | { t: 'X'; id: number; gap: number };
export interface Chain {
  item: ChainItem;
  next: Chain | null;
}

export interface PassResult {
  bound: number;
  chain: Chain | null;
  /** Input coefficients of the final affine function of the best route. */
  affine: Array<[number, number]>;
  /** Free inputs the best route depends on (tie-break; capped). */
  score: number;
  /** Jeroslow–Wang weights of the free inputs over the unresolved routes (branching). */
  counts?: Map<number, number>;
  /**
   * The route to branch on: fewest free inputs among the routes not already positive at the
   * reference point (then smallest bound). On the reduction: the shortest unresolved clause.
   */
  branch: { chain: Chain | null; affine: Array<[number, number]>; score: number; bound: number } | null;
}


const EPS = 1e-12;

function addTerms(work: Map<number, number>, heap: IdHeap, p: number, terms: Map<number, number>, s: number): void {
  for (const [t, w] of terms) {
    const had = work.get(t);
    const nv = (had ?? 0) + w * s;
    if (nv === 0) work.delete(t);
    else {
      work.set(t, nv);
      if (had === undefined && t >= p) heap.push(t);
    }
  }
}

function addNode(work: Map<number, number>, heap: IdHeap, p: number, ids: Int32Array, ws: Float64Array, s: number): void {
  for (let t = 0; t < ids.length; t++) {
    const id = ids[t]!;
    const had = work.get(id);
    const nv = (had ?? 0) + ws[t]! * s;
    if (nv === 0) work.delete(id);
    else {
      work.set(id, nv);
      if (had === undefined && id >= p) heap.push(id);
    }
  }
}

interface MemoEntry {
  res: PassResult;
  /** Input cone of what the entry depends on (bitset), or null: valid in this box only. */
  cone: Uint32Array | null;
}

/** A state result relative to its start: bound and val0 without the prefix's constant and offset. */
interface StateResult {
  best: RouteRes;
  branch: RouteRes;
  cone: Uint32Array | null;
  /** Jeroslow–Wang weights Σ 2^−(free inputs) of the unresolved routes below, per free input. */
  counts: Map<number, number>;
}
interface RouteRes {
  bound: number;
  val0: number;
  chain: Chain | null;
  affine: Array<[number, number]>;
  /** Free inputs the route depends on (deduplicated; large cones count 1000). */
  free: number;
  freeSet: number[];
  big: boolean;
}

const SAT = 2e6;

export class BoxBounds {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly fixed: Int8Array;
  budget = 0;
  /**
   * Guided mode: no search over the lower relaxations of negative-coefficient nodes; each takes
   * the one tight at the reference point x0 (one pass instead of the route DP).
   */
  guided = false;
  /** performance.now() after which a long pass (DEEP_DAG) gives up with BoundTimeout. */
  deadline = Infinity;
  private warmed = false;
  private memo = new Map<number, MemoEntry>();
  private states = new Map<string, StateResult>();
  private vals0: Float64Array | null = null;
  /** The box this one was split from by an input split (memo entries are looked up there). */
  private parent: BoxBounds | null = null;
  private splitVar = -1;

  /**
   * Node values at the reference point x0 of the box: coordinates on one side of 0 at their far
   * end, the others at 0 (on the reduction: the partial assignment, free variables at 0, where a
   * clause is > 0 iff a fixed literal satisfies it).
   */
  private ref(): Float64Array {
    if (this.vals0) return this.vals0;
    const { p, ids, ws } = this.dag;
    const v = new Float64Array(p + ids.length);
    for (let i = 0; i < p; i++) v[i] = this.lo[i]! >= 0 ? this.hi[i]! : this.hi[i]! <= 0 ? this.lo[i]! : 0;
    for (let k = 0; k < ids.length; k++) {
      const a = ids[k]!;
      const w = ws[k]!;
      let z = 0;
      for (let t = 0; t < a.length; t++) z += w[t]! * v[a[t]!]!;
      v[p + k] = z > 0 ? z : 0;
    }
    this.vals0 = v;
    return v;
  }
  private pre0(k: number): number {
    const v = this.ref();
    const a = this.dag.ids[k]!;
    const w = this.dag.ws[k]!;
    let z = 0;
    for (let t = 0; t < a.length; t++) z += w[t]! * v[a[t]!]!;
    return z;
  }

  constructor(readonly dag: FloatDag, lo?: Float64Array, hi?: Float64Array, fixed?: Int8Array) {
    const p = dag.p;
    this.lo = lo ?? new Float64Array(p).fill(-1);
    this.hi = hi ?? new Float64Array(p).fill(1);
    this.fixed = fixed ?? new Int8Array(dag.ids.length);
  }

  /** A child box: input i restricted to [lo, hi]; results whose input cone avoids i are reused. */
  childInput(i: number, lo: number, hi: number): BoxBounds {
    const b = new BoxBounds(this.dag, this.lo.slice(), this.hi.slice(), this.fixed.slice());
    b.deadline = this.deadline;
    b.lo[i] = lo;
    b.hi[i] = hi;
    b.parent = this;
    b.splitVar = i;
    return b;
  }

  /** Drop the link to the parent box (bounds memory on long searches). */
  detach(): void {
    this.parent = null;
  }

  childPhase(k: number, phase: 1 | -1): BoxBounds {
    const b = new BoxBounds(this.dag, this.lo.slice(), this.hi.slice(), this.fixed.slice());
    b.deadline = this.deadline;
    b.fixed[k] = phase;
    return b;
  }

  startBox(budget: number): void {
    this.budget = budget;
  }

  /** Look a key up here, then in the ancestors as long as no split since touched its cone. */
  private inherited<K, V extends { cone: Uint32Array | null }>(key: K, get: (b: BoxBounds) => Map<K, V>): V | undefined {
    const own = get(this).get(key);
    if (own !== undefined) return own;
    let cur: BoxBounds = this;
    const vars: number[] = [];
    for (let hops = 0; cur.parent !== null && hops < 64; hops++) {
      vars.push(cur.splitVar);
      const e = get(cur.parent).get(key);
      if (e !== undefined) {
        if (e.cone === null) return undefined;
        for (const v of vars) if ((e.cone[v >> 5]! >>> (v & 31)) & 1) return undefined;
        get(this).set(key, e);
        return e;
      }
      cur = cur.parent;
    }
    return undefined;
  }

  private nodeTerms(k: number, s: number, mask = -1, inMask = true): Map<number, number> {
    const ids = this.dag.ids[k]!;
    const ws = this.dag.ws[k]!;
    const m = new Map<number, number>();
    for (let t = 0; t < ids.length; t++) {
      const sel = mask < 0 || ((mask >> t) & 1) === 1;
      if (sel === inMask) m.set(ids[t]!, ws[t]! * s);
    }
    return m;
  }

  /** U(s·ê_k) over the box (memoized). */
  nodeBound(k: number, s: 1 | -1): PassResult {
    return this.partBound(k, s, -1, true);
  }

  /** U(s·(terms of ê_k selected by mask, or their complement))). */
  partBound(k: number, s: 1 | -1, mask: number, inMask: boolean): PassResult {
    const key = k * 8192 + (mask + 1) * 4 + (s > 0 ? 2 : 0) + (inMask ? 1 : 0);
    const hit = this.inherited(key, (b) => b.memo);
    if (hit) return hit.res;
    // Across boxes: a node of small input cone, in a box without phase fixes, has the same
    // sub-bounds in every box that agrees with this one on its cone (the CDCL theory asks many
    // orthants that share the signs of a clause's three inputs).
    const cone = this.dag.cone[k];
    let shared: string | undefined;
    if (cone && !this.hasFixes()) {
      shared = `${key}:${this.guided ? 1 : 0}`;
      for (const i of cone) shared += `:${this.lo[i]},${this.hi[i]}`;
      const g = this.dag.shared.get(shared);
      if (g) {
        this.memo.set(key, { res: g, cone: this.dag.coneBits ? this.dag.coneBits[k]! : null });
        return g;
      }
    }
    const res = this.upper(this.nodeTerms(k, s, mask, inMask), 0, -Infinity);
    this.memo.set(key, { res, cone: this.dag.coneBits ? this.dag.coneBits[k]! : null });
    if (shared !== undefined) {
      if (this.dag.shared.size > 500_000) this.dag.shared.clear();
      this.dag.shared.set(shared, res);
    }
    return res;
  }

  private fixes = -1;
  private hasFixes(): boolean {
    if (this.fixes < 0) this.fixes = this.fixed.some((f) => f !== 0) ? 1 : 0;
    return this.fixes === 1;
  }

  /**
   * Upper bound of Σ E + c over the box: the best route of the DP (branches on free nodes with a
   * negative coefficient; each state is memoized by its expression, and reused by child boxes
   * when its input cone avoids their split coordinate).
   */
  upper(E: Map<number, number>, c0: number, _target: number): PassResult {
    if (this.dag.depth > DEEP_DAG && !this.warmed) {
      // See DEEP_DAG: every node's bounds bottom up, guided.
      this.warmed = true;
      this.guided = true;
      for (let k = 0; k < this.dag.ids.length; k++) {
        if ((k & 63) === 0 && performance.now() > this.deadline) throw new BoundTimeout();
        this.nodeBound(k, 1);
        this.nodeBound(k, -1);
      }
    }
    const v0 = this.ref();
    let val0 = c0;
    for (const [id, w] of E) val0 += w * v0[id]!;
    const r = this.solve(new Map(E), c0, val0, null, new IdHeap());
    const toRes = (x: RouteRes): PassResult => ({ bound: x.bound, chain: x.chain, affine: x.affine, score: x.val0 > 1e-9 ? SAT : x.free === 0 ? SAT / 2 : x.free, branch: null });
    const best = toRes(r.best);
    const br = toRes(r.branch);
    best.branch = { chain: br.chain, affine: br.affine, score: br.score, bound: br.bound };
    best.counts = r.counts;
    return best;
  }

  private stateKey(work: Map<number, number>): string {
    const ids = [...work.keys()].sort((a, b) => a - b);
    let s = '';
    for (const id of ids) s += `${id}:${work.get(id)},`;
    return s;
  }

  private stateCone(work: Map<number, number>): Uint32Array | null {
    const bits = this.dag.coneBits;
    if (!bits) return null;
    const p = this.dag.p;
    const out = new Uint32Array(bits[0]?.length ?? Math.ceil(p / 32));
    for (const id of work.keys()) {
      if (id < p) out[id >> 5]! |= 1 << (id & 31);
      else {
        const c = bits[id - p]!;
        for (let w = 0; w < out.length; w++) out[w]! |= c[w]!;
      }
    }
    return out;
  }

  private better(a: RouteRes, b: RouteRes): boolean {
    return a.bound < b.bound - EPS * (1 + Math.abs(b.bound)) || (a.bound <= b.bound + EPS * (1 + Math.abs(b.bound)) && score(a) < score(b));
  }
  private betterBranch(a: RouteRes, b: RouteRes): boolean {
    return score(a) < score(b) || (score(a) === score(b) && a.bound < b.bound);
  }

  /** Run the pass from a state to the end of every route (see upper). */
  private solve(work: Map<number, number>, c: number, val0: number, chain: Chain | null, heap: IdHeap): StateResult {
    const p = this.dag.p;
    const v0 = this.ref();
    if (heap.size === 0) for (const id of work.keys()) if (id >= p) heap.push(id);
    const prefixSet = new Set<number>();
    let prefixBig = false;
    for (;;) {
      // Next node with a nonzero coefficient.
      let id = -1;
      while (heap.size > 0) {
        const t = heap.pop();
        if (work.has(t)) {
          id = t;
          break;
        }
      }
      if (id < 0) break;
      const b = work.get(id)!;
      const k = id - p;
      const f = this.fixed[k]!;
      if (f > 0) {
        work.delete(id);
        val0 += b * (this.pre0(k) - v0[id]!);
        addNode(work, heap, p, this.dag.ids[k]!, this.dag.ws[k]!, b);
        continue;
      }
      if (f < 0) {
        work.delete(id);
        val0 -= b * v0[id]!;
        continue;
      }
      if (b < 0) {
        if (this.guided) {
          // The lower relaxation that is tight at the reference point: y ≥ ê where ê(x0) > 0,
          // else y ≥ 0 (on the min tree of the reduction: the clause that is smallest at x0).
          work.delete(id);
          if (this.pre0(k) > 0) {
            val0 += b * (this.pre0(k) - v0[id]!);
            addNode(work, heap, p, this.dag.ids[k]!, this.dag.ws[k]!, b);
            chain = { item: { t: 'A', id }, next: chain };
          } else {
            val0 -= b * v0[id]!;
            chain = { item: { t: 'A0', id }, next: chain };
          }
          continue;
        }
        if (this.budget <= 0) {
          work.delete(id);
          val0 -= b * v0[id]!;
          chain = { item: { t: 'A0', id }, next: chain };
          continue;
        }
        this.budget--;
        // A branch point: the rest depends only on `work` (memoized relative to c and val0).
        let exprVal = 0;
        for (const [t, w] of work) exprVal += w * v0[t]!;
        const key = this.stateKey(work);
        let sr = this.inherited(key, (bx) => bx.states);
        if (sr === undefined) {
          const cone = this.stateCone(work);
          const w0 = new Map(work);
          w0.delete(id);
          const r0 = this.solve(w0, 0, exprVal - b * v0[id]!, { item: { t: 'A0', id }, next: null }, new IdHeap());
          const w1 = new Map(work);
          w1.delete(id);
          addNode(w1, new IdHeap(), p, this.dag.ids[k]!, this.dag.ws[k]!, b);
          const r1 = this.solve(w1, 0, exprVal + b * (this.pre0(k) - v0[id]!), { item: { t: 'A', id }, next: null }, new IdHeap());
          const counts = new Map(r0.counts);
          for (const [v, w] of r1.counts) counts.set(v, (counts.get(v) ?? 0) + w);
          sr = {
            best: this.better(r1.best, r0.best) ? r1.best : r0.best,
            branch: this.betterBranch(r1.branch, r0.branch) ? r1.branch : r0.branch,
            cone,
            counts,
          };
          this.states.set(key, sr);
        }
        const off = val0 - exprVal;
        const attach = (r: RouteRes): RouteRes => {
          let freeSet = r.freeSet;
          if (prefixSet.size > 0) {
            const u = new Set(r.freeSet);
            for (const v of prefixSet) u.add(v);
            freeSet = [...u];
          }
          const big = r.big || prefixBig;
          return {
            bound: r.bound + c,
            val0: r.val0 + off,
            chain: { item: { t: 'TAIL', route: r }, next: chain },
            affine: r.affine,
            free: big ? 1000 : freeSet.length,
            freeSet,
            big,
          };
        };
        return { best: attach(sr.best), branch: attach(sr.branch), cone: null, counts: sr.counts };
      }
      // b > 0: an upper relaxation.
      work.delete(id);
      const uRes = this.nodeBound(k, 1);
      const u = uRes.bound;
      chain = { item: { t: 'R', res: uRes }, next: chain };
      if (u <= 0) {
        chain = { item: { t: 'T', id }, next: chain };
        continue;
      }
      {
        const cone = this.dag.cone[k];
        if (cone === null || cone === undefined) prefixBig = true;
        else for (const i of cone) if (this.lo[i]! < 0 && this.hi[i]! > 0) prefixSet.add(i);
      }
      const nTerms = this.dag.ids[k]!.length;
      if (work.size === 0) {
        // Nothing else left: the constant λ = u is as good as any relaxation for this bound.
        c += b * u;
        chain = { item: { t: 'S', id, T: Array.from(this.dag.ids[k]!) }, next: chain };
        chain = { item: { t: 'X', id, gap: u }, next: chain };
        continue;
      }
      const lRes = this.nodeBound(k, -1);
      const l = -lRes.bound;
      chain = { item: { t: 'R', res: lRes }, next: chain };
      if (l >= 0) {
        chain = { item: { t: 'T', id }, next: chain };
        addNode(work, heap, p, this.dag.ids[k]!, this.dag.ws[k]!, b);
        continue;
      }
      const slope = u / (u - l);
      const tri = this.nodeTerms(k, slope);
      let bestLam = tri;
      let bestC = -slope * l;
      let bestProxy = this.proxy(work, b, tri, bestC);
      let bestItems: ChainItem[] = [
        { t: 'T', id },
        { t: 'X', id, gap: (-u * l) / (u - l) },
      ];
      // Partial substitutions to try: every split of a short ê (the look-ahead picks one), else
      // only the split into positive and negative terms and its complement.
      const masks: number[] = [];
      if (nTerms <= 4) for (let m = 1; m < (1 << nTerms) - 1; m++) masks.push(m);
      else if (nTerms <= 10) {
        let pos = 0;
        const ws = this.dag.ws[k]!;
        for (let t = 0; t < nTerms; t++) if (ws[t]! > 0) pos |= 1 << t;
        if (pos !== 0 && pos !== (1 << nTerms) - 1) masks.push(pos, ((1 << nTerms) - 1) & ~pos);
      }
      for (const m of masks) {
        const UP = this.partBound(k, 1, m, true);
        const negR = this.partBound(k, -1, m, false);
        if (UP.bound - negR.bound < 0) continue;
        const R = this.nodeTerms(k, 1, m, false);
        const proxy = this.proxy(work, b, R, UP.bound);
        if (proxy <= bestProxy + EPS) {
          bestProxy = proxy;
          bestLam = R;
          bestC = UP.bound;
          const T: number[] = [];
          for (let t = 0; t < nTerms; t++) if ((m >> t) & 1) T.push(this.dag.ids[k]![t]!);
          bestItems = [
            { t: 'S', id, T },
            { t: 'R', res: UP },
            { t: 'R', res: negR },
            { t: 'X', id, gap: UP.bound + negR.bound },
          ];
        }
      }
      addTerms(work, heap, p, bestLam, b);
      c += b * bestC;
      for (const it of bestItems) chain = { item: it, next: chain };
    }
    let bound = c;
    const affine: Array<[number, number]> = [];
    for (const [i, w] of work) {
      bound += w > 0 ? w * this.hi[i]! : w * this.lo[i]!;
      affine.push([i, w]);
      if (this.lo[i]! < 0 && this.hi[i]! > 0) prefixSet.add(i);
    }
    const freeSet = [...prefixSet];
    const r: RouteRes = { bound, val0, chain, affine, free: prefixBig ? 1000 : freeSet.length, freeSet, big: prefixBig };
    const counts = new Map<number, number>();
    if (val0 <= 1e-9 && !prefixBig && freeSet.length > 0) {
      const w = 2 ** -freeSet.length;
      for (const v of freeSet) counts.set(v, w);
    }
    return { best: r, branch: r, cone: null, counts };
  }

  /** Interval value of a term: inputs from the box, nodes in [0, max(U(ê), 0)] (0 when fixed inactive). */
  private termMax(t: number, v: number): number {
    const p = this.dag.p;
    if (t < p) return v > 0 ? v * this.hi[t]! : v * this.lo[t]!;
    if (v < 0 || this.fixed[t - p]! < 0) return 0;
    return v * Math.max(0, this.nodeBound(t - p, 1).bound);
  }

  /** Look-ahead proxy of a relaxation λ of a node with coefficient b: interval bound of work − b·y + b·λ. */
  private proxy(work: Map<number, number>, b: number, lam: Map<number, number>, lamC: number): number {
    let s = b * lamC;
    for (const [t, w] of work) s += this.termMax(t, w + b * (lam.get(t) ?? 0));
    for (const [t, w] of lam) if (!work.has(t)) s += this.termMax(t, b * w);
    return s;
  }
}

/** Route preference: a route already positive at x0 is satisfied there; then fewest free inputs. */
function score(r: RouteRes): number {
  return r.val0 > 1e-9 ? SAT : r.free === 0 ? SAT / 2 : r.free;
}

/** The items of a route, tails included (a tail is the memoized rest of the route). */
function* items(chain: Chain | null): Generator<ChainItem> {
  for (let ch = chain; ch !== null; ch = ch.next) {
    if (ch.item.t === 'TAIL') yield* items(ch.item.route.chain);
    else yield ch.item;
  }
}

/**
 * Flatten the choices of a result (and of the sub-results it used) into leaf choices. A node gets
 * one decision per leaf in the proof format; when the route and its sub-bounds decided differently,
 * the first decision wins, in breadth-first order from the top ("main-first") or from the deepest
 * sub-results ("nested-first").
 */
export function collectChoices(
  res: PassResult,
  forBranching = false,
  order: 'main-first' | 'nested-first' = 'main-first',
): { A: Set<number>; S: Map<number, number[]>; relaxed: Array<{ id: number; gap: number }>; affines: Array<Array<[number, number]>> } {
  const A = new Set<number>();
  const S = new Map<number, number[]>();
  const decided = new Set<number>();
  const decidedNeg = new Set<number>();
  const relaxed: Array<{ id: number; gap: number }> = [];
  const affines: Array<Array<[number, number]>> = [];
  const seen = new Set<PassResult>([res]);
  const results: PassResult[] = [res];
  for (let qi = 0; qi < results.length; qi++) {
    const r = results[qi]!;
    const route = forBranching && r.branch ? r.branch : r;
    for (const it of items(route.chain))
      if (it.t === 'R' && !seen.has(it.res)) {
        seen.add(it.res);
        results.push(it.res);
      }
  }
  if (order === 'nested-first') results.reverse();
  for (const r of results) {
    const route = forBranching && r.branch ? r.branch : r;
    affines.push(route.affine);
    for (const it of items(route.chain)) {
      if (it.t === 'A' || it.t === 'A0') {
        if (decidedNeg.has(it.id)) continue;
        decidedNeg.add(it.id);
        if (it.t === 'A') A.add(it.id);
      } else if (it.t === 'S' || it.t === 'T') {
        if (decided.has(it.id)) continue;
        decided.add(it.id);
        if (it.t === 'S') S.set(it.id, it.T);
      } else if (it.t === 'X') relaxed.push({ id: it.id, gap: it.gap });
    }
  }
  return { A, S, relaxed, affines };
}
