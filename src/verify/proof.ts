/**
 * The independent checker of `nsad-clarke-proof` files, versions 1 and 2 (docs/formats.md, "Proof
 * (nsad-clarke-proof, versions 1 and 2)"; docs/theory.md §6, §8, §8.1). Like the certificate checker it imports nothing from the toolkit:
 * its own fractions (./q.ts), its own localization, its own canonical DAG and its own bounds.
 *
 * Claim of a tree with sign σ: σ·D(h) ≤ 0 for every h in the box [-1,1]^p, where
 *     D(h) = G(h) − g·h,   G(h) = F'(x̄; h) the tangent network of F at x̄ (docs/theory.md §6).
 * D is positively homogeneous (G is, g·h is linear), so σ·D ≤ 0 on the box means σ·D ≤ 0 on R^p.
 * Trees for both signs prove D ≡ 0: G is linear with gradient g, so ∂^c F(x̄) = ∂^c G(0) = {g}.
 *
 * Canonical DAG (built here and, by the same rules, by the searcher, which reads node numbers off
 * it). Walk the hidden neurons in (layer, index) order with the exact value z of each
 * pre-activation at x̄ and its tangent expression e (a linear expression over the inputs h and the
 * nodes made so far): z > 0 → the neuron outputs e; z < 0 → 0; z = 0 and e = 0 → 0; otherwise e
 * = c·ê with ê's coefficient of its smallest id equal to 1, and the neuron outputs
 *     c·y          (c > 0),        |c|·(y − ê)   (c < 0;  relu(−t) = relu(t) − t),
 * where y = relu(ê) is node p+k, shared by every neuron whose ê is the same (exact key). Carry
 * pairs relu(v) − relu(−v) collapse to v, max(a,b) to b + relu(a − b), min(a,b) to a − relu(a − b).
 *
 * Tree (preorder, one JSON value per line). Every node's domain Ω is a sub-box of [-1,1]^p
 * intersected with phase constraints:
 *   ["x", i, c]     input split: first child x_i ∈ [lo_i, c], second x_i ∈ [c, hi_i] (lo_i < c < hi_i);
 *                   ["x", i, c, 1]: the same two children, [c, hi_i] first
 *   ["n", id]       phase split of a free node: first child ê ≥ 0 (y = ê), second ê ≤ 0 (y = 0);
 *                   ["n", id, 1]: ê ≤ 0 first
 *   ["b", A?, S?]   leaf closed by a bound: U(σ·D) ≤ 0 over Ω (below)
 *   ["e", id, A?, S?] leaf with Ω empty: node id is fixed active and U(ê) < 0, or inactive and U(−ê) < 0
 * Children cover their parent, so the leaves cover the box.
 *
 * Version 2 (lemmas; docs/formats.md). Before the tree of the whole box a sign's section may prove
 * lemmas 0, 1, …: `{"lemma": k, "cube": K}` and a tree checked on the domain of K (the box cut by
 * its literals), or `["u", K…]`, accepted when unit propagation over the earlier lemmas closes K
 * (./rup.ts: each propagation is a split at 0 whose one side lies in an earlier lemma). New
 * leaves: `["c", k]` (the leaf's domain lies in lemma k's cube) and `["r", i, s, k]` (split x_i at 0,
 * side s lies in lemma k, the other child follows). `["d", k…]` drops lemmas from propagation.
 * Every lemma is checked before anything may use it, so the leaves still cover the box.
 *
 * Bound U(E) of a linear expression E over Ω (one backward pass, exact): nodes of E are eliminated
 * from the highest id down; node y with coefficient b:
 *   - fixed on Ω by a phase split: y = ê (active) or y = 0 (inactive), exact on Ω;
 *   - b < 0: a lower relaxation valid on all of R^p: y ≥ ê if id ∈ A, else y ≥ 0;
 *   - b > 0: an upper relaxation λ ≥ max(ê, 0) valid on Ω:
 *       id listed in S with a set T of term ids of ê, ê = P + R (P the T-terms): λ = U(P) + R,
 *       valid when U(P) + L(R) ≥ 0 (then λ ≥ 0, and λ ≥ P + R = ê since U(P) ≥ P) — checked;
 *       otherwise u = U(ê): u ≤ 0 → λ = 0; l = −U(−ê) ≥ 0 → λ = ê; else the triangle
 *       λ = u·(ê − l)/(u − l).
 *   When only inputs remain, U = constant + Σ max(w·lo_i, w·hi_i) over the sub-box.
 * Sub-bounds U(·), L(·) use the same rules recursively (ids strictly decrease, so it terminates).
 * Every step replaces b·y by something ≥ b·y on Ω, so U(E) ≥ max_Ω E. Cost per leaf: proportional
 * to the nodes the pass reaches (small for the leaves of the SAT reduction: a path down the min tree
 * and one clause).
 */
import { createHash } from 'node:crypto';
import { Z, ONE_Q, add, mul, sub, neg, div, sgn, cmp, show, Invalid, Shape, fail, malformed, obj, arr, num, vector, readNetwork, type Q, type SLayer } from './q';
import { NotJson, parseExactLine, stripBom } from './json';
import { RupChecker } from './rup';

export const PROOF_FORMAT = 'nsad-clarke-proof';
/** Versions read: 1 (a tree per sign) and 2 (lemmas with their own trees, cited by leaves). */
export const PROOF_VERSIONS: readonly number[] = [1, 2];

/** A linear expression without constant: id → nonzero coefficient. */
export type LinQ = Map<number, Q>;

export interface CanonicalDag {
  p: number;
  /** nodes[k] = ê of node p+k: term ids (ascending) and coefficients. */
  nodes: Array<{ ids: number[]; ws: Q[] }>;
  /** G(h) as an expression over inputs and nodes. */
  output: LinQ;
}

function addScaledQ(acc: LinQ, e: LinQ, s: Q): void {
  if (s.n === 0n) return;
  for (const [id, w] of e) {
    const nv = add(acc.get(id) ?? Z, mul(w, s));
    if (nv.n === 0n) acc.delete(id);
    else acc.set(id, nv);
  }
}

/** The canonical DAG of the tangent network of F at x̄ (rules in the header). Exact. */
export function canonicalDag(p: number, layers: readonly SLayer[], at: readonly Q[]): CanonicalDag {
  let vals: Q[] = at.slice();
  let exprs: LinQ[] = Array.from({ length: p }, (_, i) => new Map([[i, ONE_Q]]));
  const nodes: Array<{ ids: number[]; ws: Q[] }> = [];
  const byKey = new Map<string, number>();
  for (let l = 0; l < layers.length - 1; l++) {
    const { rows, bias } = layers[l]!;
    const nv: Q[] = new Array(rows.length);
    const ne: LinQ[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      let z = bias[i]!;
      for (const [j, w] of rows[i]!) if (vals[j]!.n !== 0n) z = add(z, mul(w, vals[j]!));
      const s = sgn(z);
      nv[i] = s > 0 ? z : Z;
      if (s < 0) {
        ne[i] = new Map();
        continue;
      }
      const e: LinQ = new Map();
      for (const [j, w] of rows[i]!) addScaledQ(e, exprs[j]!, w);
      if (s > 0 || e.size === 0) {
        ne[i] = s > 0 ? e : new Map();
        continue;
      }
      const ids = [...e.keys()].sort((a, b) => a - b);
      const lead = e.get(ids[0]!)!;
      const ws = ids.map((id) => div(e.get(id)!, lead));
      const key = ids.map((id, t) => `${id}:${show(ws[t]!)}`).join(',');
      let k = byKey.get(key);
      if (k === undefined) {
        k = nodes.length;
        nodes.push({ ids, ws });
        byKey.set(key, k);
      }
      const out: LinQ = new Map([[p + k, sgn(lead) > 0 ? lead : neg(lead)]]);
      // c < 0: |c|·(y − ê) = |c|·y + e (since |c|·ê = −e).
      if (sgn(lead) < 0) addScaledQ(out, e, ONE_Q);
      ne[i] = out;
    }
    vals = nv;
    exprs = ne;
  }
  const output: LinQ = new Map();
  for (const [j, w] of layers[layers.length - 1]!.rows[0]!) addScaledQ(output, exprs[j]!, w);
  return { p, nodes, output };
}

/**
 * SHA-256 (hex) of the network's exact weights, independent of its file layout (dense or sparse
 * JSON, number or string spellings, meta): the UTF-8 text
 *     "nsad-network-weights v1\n" "p <inputDim>\n"
 *     per layer l: "layer <l> <rows> <cols>\n", then for each nonzero weight in (row, column) order
 *     "w <i> <j> <a or a/b>\n", then for each nonzero bias "b <i> <a or a/b>\n".
 */
export function networkHash(p: number, layers: readonly SLayer[]): string {
  const h = createHash('sha256');
  h.update(`nsad-network-weights v1\np ${p}\n`);
  layers.forEach((layer, l) => {
    let chunk = `layer ${l} ${layer.rows.length} ${layer.cols}\n`;
    layer.rows.forEach((row, i) => {
      const sorted = row.slice().sort((a, b) => a[0] - b[0]);
      for (const [j, w] of sorted) chunk += `w ${i} ${j} ${show(w)}\n`;
      if (chunk.length > 1 << 16) {
        h.update(chunk);
        chunk = '';
      }
    });
    layer.bias.forEach((b, i) => {
      if (b.n !== 0n) chunk += `b ${i} ${show(b)}\n`;
    });
    h.update(chunk);
  });
  return h.digest('hex');
}

/** Max-heap of node ids (duplicates allowed; the pass skips ids already eliminated). Also the search's (src/clarke/bab). */
export class IdHeap {
  private a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  push(x: number): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const par = (i - 1) >> 1;
      if (a[par]! >= x) break;
      a[i] = a[par]!;
      i = par;
    }
    a[i] = x;
  }
  pop(): number {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r]! > a[l]! ? r : l;
        if (a[c]! <= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/** An affine expression (terms + constant). */
interface Aff {
  terms: LinQ;
  c: Q;
}

/** Leaf choices: α = 1 nodes and partial-substitution sets (see header). */
export interface LeafChoices {
  A: ReadonlySet<number>;
  S: ReadonlyMap<number, readonly number[]>;
}

/**
 * Exact bounds over one domain Ω (box + phase fixes). The proof checker drives it; the searcher
 * uses it too, to check a leaf exactly before writing it. Caches are per domain: call `reset()`
 * after changing lo/hi/fixed.
 */
export class ExactBounds {
  readonly p: number;
  readonly lo: Q[];
  readonly hi: Q[];
  /** Per node k: 0 free, 1 active (ê ≥ 0), −1 inactive (ê ≤ 0). */
  readonly fixed: Int8Array;
  private choices: LeafChoices = { A: new Set(), S: new Map() };
  private relaxMemo = new Map<number, Aff>();
  private upMemo = new Map<number, Q>();
  private downMemo = new Map<number, Q>();
  readonly usedA = new Set<number>();
  readonly usedS = new Set<number>();
  /**
   * What the bounds since the last reset() read of the domain: inputs whose lower (`readLo`) or
   * upper (`readHi`) box bound entered a bound, and nodes whose phase fix was used. A bound
   * depends on nothing else of the domain, so it holds unchanged on any domain that agrees on
   * these (the searcher's learned lemmas rest on this; the checker ignores it).
   */
  readonly readLo = new Set<number>();
  readonly readHi = new Set<number>();
  readonly readFixed = new Set<number>();

  constructor(readonly dag: CanonicalDag) {
    this.p = dag.p;
    const m1: Q = { n: -1n, d: 1n };
    this.lo = Array.from({ length: dag.p }, () => m1);
    this.hi = Array.from({ length: dag.p }, () => ONE_Q);
    this.fixed = new Int8Array(dag.nodes.length);
  }

  /** Forget cached bounds and set the leaf choices. */
  reset(choices?: LeafChoices): void {
    this.choices = choices ?? { A: new Set(), S: new Map() };
    this.relaxMemo.clear();
    this.upMemo.clear();
    this.downMemo.clear();
    this.usedA.clear();
    this.usedS.clear();
    this.readLo.clear();
    this.readHi.clear();
    this.readFixed.clear();
  }

  private nodeExpr(k: number, sign: Q): LinQ {
    const { ids, ws } = this.dag.nodes[k]!;
    const m: LinQ = new Map();
    for (let t = 0; t < ids.length; t++) m.set(ids[t]!, mul(ws[t]!, sign));
    return m;
  }

  /** U(ê_k) (sign 1) or U(−ê_k) (sign −1) over Ω, memoized. */
  nodeUpper(k: number, sign: 1 | -1): Q {
    const memo = sign > 0 ? this.upMemo : this.downMemo;
    const v = memo.get(k);
    return v !== undefined ? v : this.run({ terms: this.nodeExpr(k, sign > 0 ? ONE_Q : { n: -1n, d: 1n }), c: Z }, { k, sign });
  }

  /** U(E) over Ω: one backward pass (header). */
  upper(E: Aff): Q {
    return this.run(E);
  }

  /**
   * The passes run on an explicit stack, not the JS call stack: a bound needs the bounds of the
   * nodes it relaxes, which need theirs, as deep as the DAG (a chain of 10^5 layers). Each pass is
   * a generator that yields the sub-bound it needs; this loop computes it (or takes it from the
   * memo) and resumes the pass with the value.
   */
  private run(E: Aff, key?: NodeKey): Q {
    const stack: Array<{ gen: Generator<BoundRequest, Q, Q>; key?: NodeKey }> = [{ gen: this.pass(E), key }];
    let input: Q = Z;
    for (;;) {
      const top = stack[stack.length - 1]!;
      const r = top.gen.next(input);
      if (r.done) {
        stack.pop();
        if (top.key) (top.key.sign > 0 ? this.upMemo : this.downMemo).set(top.key.k, r.value);
        if (stack.length === 0) return r.value;
        input = r.value;
        continue;
      }
      const req = r.value;
      const hit = req.key ? (req.key.sign > 0 ? this.upMemo : this.downMemo).get(req.key.k) : undefined;
      if (hit !== undefined) {
        input = hit;
        continue;
      }
      stack.push({ gen: this.pass(req.E), key: req.key });
      input = Z;
    }
  }

  private nodeRequest(k: number, sign: 1 | -1): BoundRequest {
    return { E: { terms: this.nodeExpr(k, sign > 0 ? ONE_Q : { n: -1n, d: 1n }), c: Z }, key: { k, sign } };
  }

  /** An affine λ with λ ≥ relu(ê_k) on Ω (header rules). Throws Invalid on a bad partial substitution. */
  private *relax(k: number): Generator<BoundRequest, Aff, Q> {
    const hit = this.relaxMemo.get(k);
    if (hit) return hit;
    const id = this.p + k;
    const { ids, ws } = this.dag.nodes[k]!;
    let r: Aff;
    const T = this.choices.S.get(id);
    if (T !== undefined) {
      this.usedS.add(id);
      const inT = new Set(T);
      for (const t of T) if (!ids.includes(t)) fail(`partial substitution at node ${id}: ${t} is not a term of its pre-activation`);
      const P: LinQ = new Map();
      const R: LinQ = new Map();
      ids.forEach((t, j) => (inT.has(t) ? P : R).set(t, ws[j]!));
      const UP = yield { E: { terms: P, c: Z } };
      const negR: LinQ = new Map([...R].map(([t, w]) => [t, neg(w)]));
      const LR = neg(yield { E: { terms: negR, c: Z } });
      if (sgn(add(UP, LR)) < 0) fail(`partial substitution at node ${id}: U(P) + L(R) = ${show(add(UP, LR))} < 0, not a valid relaxation`);
      r = { terms: R, c: UP };
    } else {
      const u = yield this.nodeRequest(k, 1);
      if (sgn(u) <= 0) r = { terms: new Map(), c: Z };
      else {
        const l = neg(yield this.nodeRequest(k, -1));
        if (sgn(l) >= 0) r = { terms: this.nodeExpr(k, ONE_Q), c: Z };
        else {
          const slope = div(u, sub(u, l));
          r = { terms: this.nodeExpr(k, slope), c: neg(mul(slope, l)) };
        }
      }
    }
    this.relaxMemo.set(k, r);
    return r;
  }

  /** One backward pass for U(E) over Ω (header), yielding the sub-bounds it needs. */
  private *pass(E: Aff): Generator<BoundRequest, Q, Q> {
    const p = this.p;
    const work: LinQ = new Map(E.terms);
    let c = E.c;
    const heap = new IdHeap();
    for (const id of work.keys()) if (id >= p) heap.push(id);
    const addTerms = (terms: LinQ, s: Q): void => {
      for (const [t, w] of terms) {
        const had = work.get(t);
        const nv = add(had ?? Z, mul(w, s));
        if (nv.n === 0n) work.delete(t);
        else {
          work.set(t, nv);
          if (had === undefined && t >= p) heap.push(t);
        }
      }
    };
    while (heap.size > 0) {
      const id = heap.pop();
      const b = work.get(id);
      if (b === undefined) continue;
      work.delete(id);
      const k = id - p;
      const f = this.fixed[k]!;
      if (f !== 0) this.readFixed.add(k);
      if (f > 0) addTerms(this.nodeExpr(k, ONE_Q), b);
      else if (f < 0) continue;
      else if (sgn(b) < 0) {
        if (this.choices.A.has(id)) {
          this.usedA.add(id);
          addTerms(this.nodeExpr(k, ONE_Q), b);
        }
      } else {
        const r = yield* this.relax(k);
        addTerms(r.terms, b);
        c = add(c, mul(r.c, b));
      }
    }
    for (const [i, w] of work) {
      const up = sgn(w) > 0;
      (up ? this.readHi : this.readLo).add(i);
      c = add(c, mul(w, up ? this.hi[i]! : this.lo[i]!));
    }
    return c;
  }
}

/** A node bound U(±ê_k), memoized per domain. */
interface NodeKey {
  k: number;
  sign: 1 | -1;
}
/** What a pass needs computed before it goes on: U(E), memoized when it is a node bound. */
interface BoundRequest {
  E: Aff;
  key?: NodeKey;
}

export interface ProofCheckResult {
  valid: boolean;
  reason?: string;
  /** Set when the input is not of the expected shape at all (exit 2 in the CLI): which file. */
  malformed?: 'network' | 'proof';
  /** Signs whose trees were checked (both: the proof shows ∂^c F(x̄) = {gradient}). */
  signs: number[];
  /** True iff valid and both signs were proven: the Clarke subdifferential is the singleton {gradient}. */
  singleton: boolean;
  at?: string[];
  gradient?: string[];
  nodes: number;
  leaves: number;
  timeMs: number;
}

/** Split text into lines lazily (no copy of the whole file per line). */
function* linesOf(text: string): Generator<string> {
  let i = 0;
  while (i < text.length) {
    let j = text.indexOf('\n', i);
    if (j < 0) j = text.length;
    yield text.slice(i, j);
    i = j + 1;
  }
}

/**
 * Check a proof against a network (parsed JSON). `proof` is the file's text or its lines (a
 * streaming reader). Never throws.
 */
export function verifyProof(networkJson: unknown, proof: string | Iterable<string>): ProofCheckResult {
  const t0 = performance.now();
  let nodes = 0;
  let leaves = 0;
  const signs: number[] = [];
  let lineNo = 0;
  let at: Q[] | undefined;
  let gradient: Q[] | undefined;
  let reading: 'network' | 'proof' = 'network';
  try {
    let net0: { p: number; layers: SLayer[] };
    try {
      net0 = readNetwork(networkJson);
    } catch (e) {
      // Whatever is wrong with the network file is malformed input (exit 2), as with a certificate.
      if (e instanceof Invalid && !(e instanceof Shape)) throw new Shape(e.message);
      throw e;
    }
    const { p, layers } = net0;
    reading = 'proof';
    const it = (typeof proof === 'string' ? linesOf(proof) : proof)[Symbol.iterator]();
    const next = (): unknown | undefined => {
      for (;;) {
        const r = it.next();
        if (r.done) return undefined;
        lineNo++;
        const s = (lineNo === 1 ? stripBom(r.value) : r.value).trim();
        if (s === '') continue;
        // Exactly: a number token means the decimal it spells, a repeated key is refused (./json.ts).
        try {
          return parseExactLine(s);
        } catch (e) {
          if (e instanceof NotJson) return malformed(`line ${lineNo}: ${e.message}`);
          throw e;
        }
      }
    };
    const h = obj(next(), 'proof header (line 1)');
    if (h.format !== PROOF_FORMAT) malformed(`header.format: expected "${PROOF_FORMAT}"`);
    if (!PROOF_VERSIONS.includes(h.version as number)) malformed(`header.version: expected ${PROOF_VERSIONS.join(' or ')}`);
    // Header shape (malformed input, exit 2, as for a certificate); a proof for another network
    // (hash mismatch) is well-formed but not valid (exit 1).
    const net = obj(h.network, 'header.network');
    if (typeof net.sha256 !== 'string') malformed('header.network.sha256: expected a string');
    if (h.inputDim !== p) malformed(`header.inputDim: expected ${p}, the network's input dimension`);
    at = vector(h.at, 'header.at', p);
    gradient = vector(h.gradient, 'header.gradient', p);
    const headerSigns = arr(h.signs, 'header.signs');
    if (headerSigns.length < 1 || headerSigns.length > 2) malformed('header.signs: expected [1], [-1] or [1, -1]');
    headerSigns.forEach((s, i) => {
      if (s !== 1 && s !== -1) malformed(`header.signs[${i}]: expected 1 or -1`);
      if (headerSigns.indexOf(s) !== i) malformed(`header.signs: ${s} repeated`);
    });
    const hash = networkHash(p, layers);
    if (net.sha256 !== hash) fail(`header.network.sha256: the proof is for another network (its weights hash to ${hash})`);
    const dag = canonicalDag(p, layers, at);
    const N = dag.nodes.length;
    const eb = new ExactBounds(dag);
    const m1: Q = { n: -1n, d: 1n };
    const version = h.version as number;

    /** A literal of a lemma's cube (version 2): x_i ≥ c (s = 1) or x_i ≤ c (s = −1), or a phase fix of node id. */
    type Lit = { kind: 'x'; i: number; c: Q; s: 1 | -1 } | { kind: 'n'; k: number; s: 1 | -1 };
    const readCube = (v: unknown, where: string): Lit[] =>
      arr(v, `${where}: cube`).map((e, j) => {
        const at = `${where}: cube[${j}]`;
        if (typeof e === 'number') {
          if (!Number.isInteger(e) || e === 0 || Math.abs(e) > p) return fail(`${at}: a sign literal is ±(i+1) with 0 ≤ i < ${p}`);
          return { kind: 'x' as const, i: Math.abs(e) - 1, c: Z, s: e > 0 ? (1 as const) : (-1 as const) };
        }
        const a = arr(e, at);
        const s = a[a.length - 1];
        if (s !== 1 && s !== -1) return fail(`${at}: the last entry must be 1 or -1`);
        if (a[0] === 'x' && a.length === 4) {
          const i = a[1];
          if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= p) return fail(`${at}: input index out of range`);
          return { kind: 'x' as const, i, c: num(a[2], `${at}: bound`), s };
        }
        if (a[0] === 'n' && a.length === 3) {
          const id = a[1];
          if (typeof id !== 'number' || !Number.isInteger(id) || id < p || id >= p + N) return fail(`${at}: node id out of range`);
          return { kind: 'n' as const, k: id - p, s };
        }
        return fail(`${at}: expected ±(i+1), ["x", i, c, ±1] or ["n", id, ±1]`);
      });
    /** Whether the current domain lies in the cube's domain. */
    const inside = (cube: readonly Lit[]): boolean =>
      cube.every((l) => (l.kind === 'n' ? eb.fixed[l.k] === l.s : l.s > 0 ? cmp(eb.lo[l.i]!, l.c) >= 0 : cmp(eb.hi[l.i]!, l.c) <= 0));

    for (const sigma of headerSigns as Array<1 | -1>) {
      const open = obj(next(), `line ${lineNo + 1}`);
      if (open.tree !== sigma) fail(`line ${lineNo}: expected {"tree": ${sigma}}`);
      const sq: Q = sigma > 0 ? ONE_Q : m1;
      const objective: LinQ = new Map();
      addScaledQ(objective, dag.output, sq);
      gradient.forEach((gi, i) => {
        if (gi.n !== 0n) addScaledQ(objective, new Map([[i, gi]]), neg(sq));
      });
      /** The lemmas proven so far in this sign's section (version 2). */
      const lemmas: Lit[][] = [];
      /** The same lemmas, those over sign literals only, for "rup" lemmas (./rup.ts). */
      const rup = new RupChecker(p);
      const signLits = (cube: readonly Lit[]): number[] | null =>
        cube.every((l) => l.kind === 'x' && l.c.n === 0n) ? cube.map((l) => 2 * (l as { i: number }).i + (l.s > 0 ? 0 : 1)) : null;
      let treeNodes = 0;
      let treeLeaves = 0;
      // Pending second children: the split and what its first child changed.
      type Frame = { kind: 'x'; i: number; c: Q; lo: Q; hi: Q; stage: 1 | 2; swap: boolean } | { kind: 'n'; k: number; stage: 1 | 2; swap: boolean };
      const flag = (v: unknown, where: string): boolean => {
        if (v === undefined || v === 0) return false;
        if (v === 1) return true;
        return fail(`${where}: child-order flag must be 0 or 1`);
      };
      const choicesOf = (v: unknown, w: unknown, where: string): LeafChoices => {
        const A = new Set<number>();
        const S = new Map<number, number[]>();
        if (v !== undefined)
          arr(v, `${where}: α list`).forEach((id) => {
            if (typeof id !== 'number' || !Number.isInteger(id) || id < p || id >= p + N) fail(`${where}: α list: bad node id ${JSON.stringify(id)}`);
            A.add(id as number);
          });
        if (w !== undefined)
          arr(w, `${where}: substitution list`).forEach((e) => {
            const [id, T] = arr(e, `${where}: substitution entry`, 2);
            if (typeof id !== 'number' || !Number.isInteger(id) || id < p || id >= p + N) fail(`${where}: substitution: bad node id ${JSON.stringify(id)}`);
            if (S.has(id as number)) fail(`${where}: substitution for node ${id} repeated`);
            const ts = arr(T, `${where}: substitution set`).map((t) => {
              if (typeof t !== 'number' || !Number.isInteger(t) || t < 0) fail(`${where}: substitution set: bad id ${JSON.stringify(t)}`);
              return t as number;
            });
            if (ts.length === 0) fail(`${where}: empty substitution set`);
            S.set(id as number, ts);
          });
        return { A, S };
      };
      const lemmaIndex = (v: unknown, where: string): number => {
        if (version < 2) fail(`${where}: lemmas need format version 2`);
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= lemmas.length) return fail(`${where}: lemma ${JSON.stringify(v)} is not one proven before this line`);
        return v;
      };
      /**
       * Check one tree on the current domain (preorder, `first` its first line); the domain is
       * restored when it returns. The claim: σ·D ≤ 0 on the domain.
       */
      const checkTree = (first: unknown): void => {
        const stack: Frame[] = [];
        let raw: unknown = first;
        for (;;) {
          if (raw === undefined) fail(`end of file inside the tree of sign ${sigma} (incomplete tree)`);
          const where = `line ${lineNo}`;
          // A line of another kind where the tree goes on: the tree is incomplete (not valid).
          if (!Array.isArray(raw)) fail(`${where}: expected a tree line (the tree above is incomplete)`);
          const a = raw as unknown[];
          treeNodes++;
          const tag = a[0];
          let leaf = true;
          if (tag === 'x' || tag === 'r') {
            const i = a[1];
            if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= p) fail(`${where}: input index out of range`);
            const c = tag === 'x' ? num(a[2], `${where}: split value`) : Z;
            const lo = eb.lo[i as number]!;
            const hi = eb.hi[i as number]!;
            if (!(cmp(lo, c) < 0 && cmp(c, hi) < 0)) fail(`${where}: split value ${show(c)} not strictly inside [${show(lo)}, ${show(hi)}]`);
            if (tag === 'x') {
              const upperFirst = flag(a[3], where);
              stack.push({ kind: 'x', i: i as number, c, lo, hi, stage: 1, swap: upperFirst });
              if (upperFirst) eb.lo[i as number] = c;
              else eb.hi[i as number] = c;
              leaf = false;
            } else {
              // Resolution (version 2): the child on side s is closed by lemma k; the other child follows.
              const s = a[2];
              if (s !== 1 && s !== -1) fail(`${where}: side must be 1 or -1`);
              const k = lemmaIndex(a[3], where);
              if (s === 1) eb.lo[i as number] = c;
              else eb.hi[i as number] = c;
              if (!inside(lemmas[k]!)) fail(`${where}: the side ${s} of the split is not inside lemma ${k}'s cube`);
              eb.lo[i as number] = s === 1 ? lo : c;
              eb.hi[i as number] = s === 1 ? c : hi;
              stack.push({ kind: 'x', i: i as number, c, lo, hi, stage: 2, swap: false });
              treeLeaves++;
              raw = next();
              continue;
            }
          } else if (tag === 'n') {
            const id = a[1];
            if (typeof id !== 'number' || !Number.isInteger(id) || id < p || id >= p + N) fail(`${where}: node id out of range`);
            const k = (id as number) - p;
            if (eb.fixed[k] !== 0) fail(`${where}: node ${id} is already fixed on this branch`);
            const inactiveFirst = flag(a[2], where);
            stack.push({ kind: 'n', k, stage: 1, swap: inactiveFirst });
            eb.fixed[k] = inactiveFirst ? -1 : 1;
            leaf = false;
          } else if (tag === 'b') {
            const ch = choicesOf(a[1], a[2], where);
            eb.reset(ch);
            const U = eb.upper({ terms: objective, c: Z });
            if (sgn(U) > 0) fail(`${where}: leaf bound ${show(U)} > 0, the leaf is not closed`);
          } else if (tag === 'e') {
            const id = a[1];
            if (typeof id !== 'number' || !Number.isInteger(id) || id < p || id >= p + N) fail(`${where}: node id out of range`);
            const k = (id as number) - p;
            const f = eb.fixed[k]!;
            if (f === 0) fail(`${where}: node ${id} is not fixed on this branch`);
            eb.reset(choicesOf(a[2], a[3], where));
            const U = eb.nodeUpper(k, f > 0 ? 1 : -1);
            if (sgn(U) >= 0) fail(`${where}: node ${id} fixed ${f > 0 ? 'active' : 'inactive'} but the bound ${show(U)} does not exclude it`);
          } else if (tag === 'c') {
            const k = lemmaIndex(a[1], where);
            if (!inside(lemmas[k]!)) fail(`${where}: the leaf's domain is not inside lemma ${k}'s cube`);
          } else fail(`${where}: unknown tag ${JSON.stringify(tag)}`);
          if (leaf) {
            treeLeaves++;
            // Close finished splits, move to the next pending second child.
            let more = false;
            for (;;) {
              const top = stack[stack.length - 1];
              if (top === undefined) break;
              if (top.stage === 2) {
                stack.pop();
                if (top.kind === 'x') {
                  eb.lo[top.i] = top.lo;
                  eb.hi[top.i] = top.hi;
                } else eb.fixed[top.k] = 0;
                continue;
              }
              top.stage = 2;
              if (top.kind === 'x') {
                eb.hi[top.i] = top.swap ? top.c : top.hi;
                eb.lo[top.i] = top.swap ? top.lo : top.c;
              } else eb.fixed[top.k] = top.swap ? 1 : -1;
              more = true;
              break;
            }
            if (!more) return;
          }
          raw = next();
        }
      };
      const setBox = (): void => {
        for (let i = 0; i < p; i++) {
          eb.lo[i] = m1;
          eb.hi[i] = ONE_Q;
        }
        eb.fixed.fill(0);
      };
      // Version 2: lemmas, each `{"lemma": k, "cube": […]}` and its tree over the cube's domain; then
      // the tree of the whole box.
      for (;;) {
        setBox();
        const raw = next();
        if (Array.isArray(raw) && raw[0] === 'd') {
          // ["d", k…]: lemmas k… no longer take part in unit propagation (a hint for speed: it
          // can only make later "u" lemmas fail, so it needs no justification).
          const where = `line ${lineNo}`;
          if (version < 2) fail(`${where}: lemmas need format version 2`);
          for (const k of raw.slice(1)) rup.remove(lemmaIndex(k, where));
          treeNodes++;
          continue;
        }
        if (Array.isArray(raw) && raw[0] === 'u') {
          // ["u", l…]: the next lemma, by unit propagation over the earlier ones (./rup.ts).
          const where = `line ${lineNo}`;
          if (version < 2) fail(`${where}: lemmas need format version 2`);
          const cube = readCube(raw.slice(1), where);
          const lits = signLits(cube)!;
          if (lits === null) fail(`${where}: a "u" lemma has sign literals only`);
          if (new Set(lits.map((l) => l >> 1)).size !== lits.length) fail(`${where}: a variable appears twice in the cube`);
          if (!rup.check(lits)) fail(`${where}: unit propagation over lemmas 0…${lemmas.length - 1} does not close the cube`);
          treeNodes++;
          treeLeaves++;
          lemmas.push(cube);
          rup.add(lits);
          continue;
        }
        if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
          const lh = obj(raw, `line ${lineNo}`);
          if (lh.lemma === undefined) fail(`line ${lineNo}: expected a tree line or {"lemma": …}`);
          const where = `line ${lineNo}`;
          if (version < 2) fail(`${where}: lemmas need format version 2`);
          if (lh.lemma !== lemmas.length) fail(`${where}: expected lemma ${lemmas.length}`);
          const cube = readCube(lh.cube, where);
          for (const l of cube) {
            if (l.kind === 'n') {
              if (eb.fixed[l.k] !== 0 && eb.fixed[l.k] !== l.s) fail(`${where}: node ${p + l.k} fixed both ways`);
              eb.fixed[l.k] = l.s;
            } else if (l.s > 0) {
              if (cmp(l.c, eb.lo[l.i]!) > 0) eb.lo[l.i] = l.c;
            } else if (cmp(l.c, eb.hi[l.i]!) < 0) eb.hi[l.i] = l.c;
          }
          for (let i = 0; i < p; i++) if (cmp(eb.lo[i]!, eb.hi[i]!) > 0) fail(`${where}: the cube's box is empty in x_${i}`);
          const lits = signLits(cube);
          if (lits !== null && new Set(lits.map((l) => l >> 1)).size !== lits.length) fail(`${where}: a variable appears twice in the cube`);
          checkTree(next());
          lemmas.push(cube);
          if (lits !== null) rup.add(lits);
          continue;
        }
        checkTree(raw);
        break;
      }
      const end = obj(next(), `line ${lineNo + 1}`);
      if (end.end !== sigma) fail(`line ${lineNo}: expected {"end": ${sigma}, …} after a complete tree`);
      if (end.nodes !== treeNodes || end.leaves !== treeLeaves)
        fail(`line ${lineNo}: the tree has ${treeNodes} nodes and ${treeLeaves} leaves, the end line says ${String(end.nodes)} and ${String(end.leaves)}`);
      if ((end.lemmas ?? 0) !== lemmas.length) fail(`line ${lineNo}: ${lemmas.length} lemmas, the end line says ${String(end.lemmas)}`);
      nodes += treeNodes;
      leaves += treeLeaves;
      signs.push(sigma);
    }
    if (next() !== undefined) fail(`line ${lineNo}: content after the last tree`);
    return {
      valid: true,
      signs,
      singleton: signs.length === 2,
      at: at.map(show),
      gradient: gradient.map(show),
      nodes,
      leaves,
      timeMs: performance.now() - t0,
    };
  } catch (e) {
    const reason = e instanceof Invalid ? e.message : `malformed input: ${(e as Error).message}`;
    const shape = e instanceof Shape || !(e instanceof Invalid);
    return { valid: false, reason, ...(shape ? { malformed: reading } : {}), signs, singleton: false, nodes, leaves, timeMs: performance.now() - t0 };
  }
}

