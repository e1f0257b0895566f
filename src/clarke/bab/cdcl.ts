/**
 * Conflict-driven search over the signs of the inputs (docs/theory.md §8 "Learning"): CDCL in the
 * geometric form of the branch and bound, for one sign σ of σ·D ≤ 0 on [-1,1]^p.
 *
 * Literals. Literal 2i means "x_i ≥ 0", literal 2i+1 "x_i ≤ 0" (closed half-spaces: the two
 * overlap on x_i = 0, which is harmless — together they cover the line). An assignment of some
 * literals is the box [-1,1]^p cut by them.
 *
 * Lemmas (learned nogoods). A lemma is a cube K of literals with a proof that σ·D ≤ 0 on
 * [-1,1]^p ∩ K. The theory (./theory.ts: the network's exact bound) supplies lemmas when a box
 * closes: the cube is what the exact bound read of the box, not the whole box, so one falsified
 * clause of a reduced formula becomes a three-literal lemma whatever else was decided. Every other
 * lemma is derived by geometric resolution: if K₁ ∋ ℓ and K₂ ∋ ¬ℓ are closed, so is
 * (K₁ \ {ℓ}) ∪ (K₂ \ {¬ℓ}) — split the box on ℓ's coordinate at 0; one half lies in K₁, the
 * other in K₂. Its proof is that split with one child citing K₂ (a proof line ["r", …]).
 *
 * The search is MiniSat's (Eén & Sörensson 2003), with names after its steps: `propagate` (two
 * watched literals per lemma: a lemma whose literals all hold is a conflict; one with all but one
 * holding forces the box to the other side of the last), `analyze` (first unique implication
 * point, recording every resolution for the proof), `backjump`, `decide` (VSIDS activity, saved
 * phases), Luby restarts. Watches are kept in clause form: a lemma's clause is the negation of its
 * cube, so "cube literal holds" is "clause literal false", as in every CDCL solver.
 *
 * Post-conditions: `unsat` carries the resolution proof of the empty cube (σ·D ≤ 0 on the whole
 * box); `witness` a rational point with σ·D > 0 (exact); `unknown` a limit.
 */

/**
 * Resolution steps, packed as triples (v, lit, by): split on `v` at 0; the side where literal
 * `lit` holds is closed by lemma `by`. One typed array a lemma (tens of thousands of lemmas).
 */
export type Steps = Int32Array;
export const stepCount = (s: Steps): number => s.length / 3;

/** Pack triples pushed in resolution order (innermost first) as steps outermost first. */
function packReversed(buf: number[]): Steps {
  const n = buf.length / 3;
  const out = new Int32Array(buf.length);
  for (let k = 0; k < n; k++) {
    out[3 * k] = buf[3 * (n - 1 - k)]!;
    out[3 * k + 1] = buf[3 * (n - 1 - k) + 1]!;
    out[3 * k + 2] = buf[3 * (n - 1 - k) + 2]!;
  }
  return out;
}

export type LemmaProof =
  /** Proof lines on the cube's domain (a leaf, or a tree of the bisection search). */
  | { kind: 'lines'; lines: string[]; nodes: number; leaves: number }
  /** Resolution: the steps outermost first; the innermost child cites `base`. */
  | { kind: 'resolution'; base: number; steps: Steps };

export interface Lemma {
  /** Cube literals (σ·D ≤ 0 on the box cut by all of them). */
  cube: Int32Array;
  proof: LemmaProof;
}

/** What the theory says of the box of the current assignment. */
export type TheoryVerdict =
  | { kind: 'open' }
  /** The box is closed; `cube` ⊆ the literals of the assignment (what the proof read). */
  | { kind: 'closed'; cube: number[]; proof: LemmaProof & { kind: 'lines' } }
  | { kind: 'witness'; point: unknown }
  | { kind: 'unknown'; reason: string };

export interface Theory {
  /** Check the box of `assign` (per input: 0 free, 1 ⇒ x_i ≥ 0, −1 ⇒ x_i ≤ 0); `full`: every input decided. */
  check(assign: Int8Array, full: boolean): TheoryVerdict;
}

export interface CdclOptions {
  /** Call the theory at every fixpoint of propagation (true) or only when every input is decided (false). */
  eagerTheory: boolean;
  deadline: number;
  timeLimitSec: number;
  /** Conflicts before the first restart (Luby unit). */
  restartUnit?: number;
  /** Called about every 2 s. */
  progress?: (s: CdclStats) => void;
  /** Polled between decisions: true ends the search with `unknown` (another thread answered). */
  stop?: () => boolean;
}

export interface CdclStats {
  decisions: number;
  propagations: number;
  conflicts: number;
  theoryCalls: number;
  theoryLemmas: number;
  restarts: number;
  /** Lemma-database reductions (half of the derived lemmas deleted each time). */
  reductions: number;
  maxLevel: number;
}

export type CdclResult =
  | { kind: 'unsat'; lemmas: Lemma[]; root: LemmaProof & { kind: 'resolution' } }
  /** Under assumptions: lemma `lemma` (cube ⊆ the assumptions) is closed. */
  | { kind: 'closed'; lemmas: Lemma[]; lemma: number }
  | { kind: 'witness'; point: unknown }
  | { kind: 'unknown'; reason: string };

const lit = (v: number, sign: 1 | -1): number => 2 * v + (sign > 0 ? 0 : 1);
const varOf = (l: number): number => l >> 1;
/** The sign (1: x ≥ 0, −1: x ≤ 0) a literal asserts. */
export const litSign = (l: number): 1 | -1 => ((l & 1) === 0 ? 1 : -1);

function luby(y: number, x: number): number {
  let size = 1;
  let seq = 0;
  while (size < x + 1) {
    seq++;
    size = 2 * size + 1;
  }
  while (size - 1 !== x) {
    size = (size - 1) >> 1;
    seq--;
    x = x % size;
  }
  return Math.pow(y, seq);
}

export class Cdcl {
  readonly lemmas: Lemma[] = [];
  private readonly assign: Int8Array;
  private readonly level: Int32Array;
  /** Lemma that forced the variable, or −1 (decision / unassigned). */
  private readonly reason: Int32Array;
  private readonly trail: number[] = [];
  private readonly trailLim: number[] = [];
  private qhead = 0;
  /** watches[l]: lemmas whose clause watches clause-literal l (woken when l becomes false). */
  private readonly watches: number[][];
  /** Clause form of each lemma (negated cube), its first two entries watched. */
  private readonly clauses: Int32Array[] = [];
  /** Per lemma: derived by resolution (deletable) or not (theory lemmas stay, as original clauses). */
  private readonly learnt: boolean[] = [];
  private readonly clauseActivity: number[] = [];
  private clauseInc = 1;
  /** Deleted lemmas no longer propagate (they stay in `lemmas` for the proofs that used them). */
  private readonly deleted: boolean[] = [];
  private liveLearnt = 0;
  private maxLearnt = 2000;
  private readonly activity: Float64Array;
  private varInc = 1;
  private readonly savedPhase: Int8Array;
  private readonly seen: Uint8Array;
  /** Per literal: 1 it holds, −1 its negation holds, 0 undecided (the hot test of propagate). */
  private readonly litVal: Int8Array;
  private readonly trailPos: Int32Array;
  readonly stats: CdclStats = { decisions: 0, propagations: 0, conflicts: 0, theoryCalls: 0, theoryLemmas: 0, restarts: 0, reductions: 0, maxLevel: 0 };

  constructor(
    readonly nVars: number,
    private readonly theory: Theory,
    private readonly opts: CdclOptions,
  ) {
    this.assign = new Int8Array(nVars);
    this.level = new Int32Array(nVars);
    this.reason = new Int32Array(nVars).fill(-1);
    this.watches = Array.from({ length: 2 * nVars }, () => []);
    this.activity = new Float64Array(nVars);
    this.savedPhase = new Int8Array(nVars).fill(-1);
    this.seen = new Uint8Array(nVars);
    this.litVal = new Int8Array(2 * nVars);
    this.trailPos = new Int32Array(nVars);
  }

  /** Value of a cube literal: 1 holds, −1 its negation holds, 0 undecided. */
  private value(l: number): number {
    return this.litVal[l]!;
  }

  private decisionLevel(): number {
    return this.trailLim.length;
  }

  /** Make `l` (a cube literal) hold. */
  private enqueue(l: number, reason: number): void {
    const v = varOf(l);
    this.trailPos[v] = this.trail.length;
    this.assign[v] = litSign(l);
    this.litVal[l] = 1;
    this.litVal[l ^ 1] = -1;
    this.level[v] = this.decisionLevel();
    this.reason[v] = reason;
    this.trail.push(l);
  }

  /** Add a lemma; returns its id. Watches two clause literals (prefer non-false ones). */
  addLemma(lemma: Lemma): number {
    const id = this.lemmas.length;
    this.lemmas.push(lemma);
    const clause = Int32Array.from(lemma.cube, (l) => l ^ 1);
    this.clauses.push(clause);
    const learnt = lemma.proof.kind === 'resolution';
    this.learnt.push(learnt);
    this.clauseActivity.push(learnt ? this.clauseInc : 0);
    this.deleted.push(false);
    if (learnt) this.liveLearnt++;
    if (clause.length >= 2) {
      // Watch the two clause literals that became false last (or are not false): highest levels.
      const score = (cl: number): number => (this.value(cl ^ 1) === 1 ? this.level[varOf(cl)]! : 1e9);
      for (let w = 0; w < 2; w++) {
        let best = w;
        for (let j = w + 1; j < clause.length; j++) if (score(clause[j]!) > score(clause[best]!)) best = j;
        [clause[w], clause[best]] = [clause[best]!, clause[w]!];
      }
      // Watchers are (lemma, blocker) pairs: a blocker that is true skips the lemma unread.
      this.watches[clause[0]!]!.push(id, clause[1]!);
      this.watches[clause[1]!]!.push(id, clause[0]!);
    }
    return id;
  }

  /** Unit propagation over the lemmas; returns a conflicting lemma id or −1. */
  private propagate(): number {
    const lv = this.litVal;
    while (this.qhead < this.trail.length) {
      const p = this.trail[this.qhead++]!; // literal p now holds: the clause literal p^1 is false
      const falseLit = p ^ 1;
      const ws = this.watches[falseLit]!;
      let i = 0;
      let j = 0;
      this.stats.propagations++;
      while (i < ws.length) {
        const cid = ws[i]!;
        const blocker = ws[i + 1]!;
        i += 2;
        if (lv[blocker] === 1) {
          ws[j++] = cid;
          ws[j++] = blocker;
          continue;
        }
        if (this.deleted[cid]) continue; // dropped from this watch list for good
        const c = this.clauses[cid]!;
        if (c[0] === falseLit) {
          c[0] = c[1]!;
          c[1] = falseLit;
        }
        // c[1] is the false literal; a true c[0] satisfies the clause (its cube cannot close).
        const first = c[0]!;
        if (first !== blocker && lv[first] === 1) {
          ws[j++] = cid;
          ws[j++] = first;
          continue;
        }
        let moved = false;
        for (let k = 2; k < c.length; k++) {
          const l = c[k]!;
          if (lv[l] !== -1) {
            c[1] = l;
            c[k] = falseLit;
            this.watches[l]!.push(cid, first);
            moved = true;
            break;
          }
        }
        if (moved) continue;
        ws[j++] = cid;
        ws[j++] = first;
        if (lv[first] === -1) {
          // Every cube literal holds: conflict.
          while (i < ws.length) ws[j++] = ws[i++]!;
          ws.length = j;
          this.qhead = this.trail.length;
          return cid;
        }
        // Unit: the box must take the side of the clause literal `first`.
        this.enqueue(first, cid);
      }
      ws.length = j;
    }
    return -1;
  }

  private bump(v: number): void {
    if ((this.activity[v]! += this.varInc) > 1e100) {
      for (let k = 0; k < this.nVars; k++) this.activity[k]! *= 1e-100;
      this.varInc *= 1e-100;
    }
  }

  /**
   * First-UIP analysis of a conflict at the current level (every cube literal of `confl` holds,
   * at least one at this level). Returns the learned cube's clause (asserting literal first), the
   * resolution steps (in order) and the backjump level.
   */
  private analyze(confl: number): { clause: number[]; steps: number[]; btLevel: number } {
    const seen = this.seen;
    const learnt: number[] = [0];
    const steps: number[] = [];
    let pathC = 0;
    let p = -1;
    let index = this.trail.length - 1;
    let cur = confl;
    const toClear: number[] = [];
    for (;;) {
      const c = this.clauses[cur]!;
      if (this.learnt[cur]) this.bumpClause(cur);
      for (let k = 0; k < c.length; k++) {
        const q = c[k]!;
        const v = varOf(q);
        if (p >= 0 && v === varOf(p)) continue;
        if (seen[v]) continue;
        seen[v] = 1;
        toClear.push(v);
        this.bump(v);
        if (this.level[v]! >= this.decisionLevel()) pathC++;
        else learnt.push(q);
      }
      while (!seen[varOf(this.trail[index]!)]) index--;
      p = this.trail[index--]!;
      const v = varOf(p);
      pathC--;
      if (pathC <= 0) break;
      cur = this.reason[v]!;
      // Resolve on v: the side where ¬p holds is the reason lemma's (its cube contains p^1).
      steps.push(v, p ^ 1, cur);
    }
    learnt[0] = p ^ 1;
    this.clauseInc /= 0.999;
    // Recursive minimization (MiniSat's): a literal whose reason's other literals are all in the
    // clause, or recursively implied by it, is dropped — in the proof, one more resolution with its
    // reason (and with the reasons of the implied literals in between), latest first.
    let abstract = 0;
    for (let k = 1; k < learnt.length; k++) abstract |= this.abstractLevel(varOf(learnt[k]!));
    const removed: number[] = [];
    let j = 1;
    for (let i = 1; i < learnt.length; i++) {
      const v = varOf(learnt[i]!);
      if (this.reason[v]! < 0 || !this.redundant(v, abstract, toClear, removed)) learnt[j++] = learnt[i]!;
      else removed.push(v);
    }
    learnt.length = j;
    removed.sort((a, b) => this.trailPos[b]! - this.trailPos[a]!);
    for (const v of removed) steps.push(v, lit(v, this.assign[v]! > 0 ? -1 : 1), this.reason[v]!);
    for (const v of toClear) seen[v] = 0;
    let btLevel = 0;
    let maxI = 1;
    for (let k = 1; k < learnt.length; k++) {
      const lv = this.level[varOf(learnt[k]!)]!;
      if (lv > btLevel) {
        btLevel = lv;
        maxI = k;
      }
    }
    if (learnt.length > 1) [learnt[1], learnt[maxI]] = [learnt[maxI]!, learnt[1]!];
    this.varInc /= 0.95;
    return { clause: learnt, steps, btLevel };
  }

  private bumpClause(id: number): void {
    if ((this.clauseActivity[id]! += this.clauseInc) > 1e20) {
      for (let k = 0; k < this.clauseActivity.length; k++) this.clauseActivity[k]! *= 1e-20;
      this.clauseInc *= 1e-20;
    }
  }

  /**
   * MiniSat's reduceDB: delete the less active half of the derived lemmas (never a theory lemma,
   * a lemma of one or two literals, or one that is the reason of a current assignment). A deleted
   * lemma stops propagating; proofs that cited it before keep it.
   */
  private reduceDb(): void {
    const locked = new Set<number>();
    for (const l of this.trail) {
      const r = this.reason[varOf(l)]!;
      if (r >= 0) locked.add(r);
    }
    const cand: number[] = [];
    for (let id = 0; id < this.clauses.length; id++)
      if (this.learnt[id] && !this.deleted[id] && this.clauses[id]!.length > 2 && !locked.has(id)) cand.push(id);
    cand.sort((a, b) => this.clauseActivity[a]! - this.clauseActivity[b]!);
    for (let k = 0; k < cand.length / 2; k++) {
      this.deleted[cand[k]!] = true;
      this.liveLearnt--;
    }
    this.stats.reductions++;
  }

  private abstractLevel(v: number): number {
    return 1 << (this.level[v]! & 31);
  }

  /**
   * Whether the literal of v (in the learned clause) is implied by the others through reasons.
   * On success the implied variables met on the way stay marked (they are in `implied` too).
   */
  private redundant(v0: number, abstract: number, toClear: number[], implied: number[]): boolean {
    const seen = this.seen;
    const stack = [v0];
    const added: number[] = [];
    while (stack.length > 0) {
      const v = stack.pop()!;
      const c = this.clauses[this.reason[v]!]!;
      for (let k = 0; k < c.length; k++) {
        const u = varOf(c[k]!);
        if (u === v || seen[u]) continue;
        if (this.reason[u]! >= 0 && (this.level[u] === 0 || (this.abstractLevel(u) & abstract) !== 0)) {
          seen[u] = 1;
          stack.push(u);
          added.push(u);
          toClear.push(u);
        } else {
          for (const x of added) seen[x] = 0;
          return false;
        }
      }
    }
    for (const x of added) implied.push(x);
    return true;
  }

  private backjump(level: number): void {
    if (this.decisionLevel() <= level) return;
    const lim = this.trailLim[level]!;
    for (let k = this.trail.length - 1; k >= lim; k--) {
      const v = varOf(this.trail[k]!);
      this.savedPhase[v] = this.assign[v]!;
      this.assign[v] = 0;
      this.litVal[2 * v] = 0;
      this.litVal[2 * v + 1] = 0;
      this.reason[v] = -1;
    }
    this.trail.length = lim;
    this.trailLim.length = level;
    this.qhead = lim;
  }

  private decide(): number {
    let best = -1;
    let ba = -1;
    for (let v = 0; v < this.nVars; v++) if (this.assign[v] === 0 && this.activity[v]! > ba) {
      ba = this.activity[v]!;
      best = v;
    }
    return best;
  }

  /**
   * Resolve away every literal of a conflict at level 0 (each holds by propagation from a lemma),
   * latest first: the proof of the empty cube.
   */
  private refute(confl: number): LemmaProof & { kind: 'resolution' } {
    const steps: number[] = [];
    const need = new Uint8Array(this.nVars);
    for (const q of this.clauses[confl]!) need[varOf(q)] = 1;
    for (let k = this.trail.length - 1; k >= 0; k--) {
      const p = this.trail[k]!;
      const v = varOf(p);
      if (!need[v]) continue;
      const r = this.reason[v]!;
      if (r < 0) throw new Error('internal: a level-0 literal without a reason');
      steps.push(v, p ^ 1, r);
      for (const q of this.clauses[r]!) if (varOf(q) !== v) need[varOf(q)] = 1;
    }
    // Resolved latest first; the proof splits on the last resolution outermost.
    return { kind: 'resolution', base: confl, steps: packReversed(steps) };
  }

  /** Conflict handling common to lemma and theory conflicts; returns the final proof at level 0, or null. */
  private conflict(confl: number): (LemmaProof & { kind: 'resolution' }) | null {
    this.stats.conflicts++;
    // A theory lemma may hold entirely below the current level: analyse where it became a conflict.
    let top = 0;
    for (const q of this.clauses[confl]!) top = Math.max(top, this.level[varOf(q)]!);
    if (top === 0) return this.refute(confl);
    this.backjump(top);
    const { clause, steps, btLevel } = this.analyze(confl);
    let id = confl;
    if (steps.length > 0 || clause.length !== this.clauses[confl]!.length)
      id = this.addLemma({ cube: Int32Array.from(clause, (l) => l ^ 1), proof: { kind: 'resolution', base: confl, steps: packReversed(steps) } });
    this.backjump(btLevel);
    // The asserting literal: the learned clause's first literal becomes true (its cube literal fails).
    this.enqueue(clause[0]!, id);
    return null;
  }

  /** The k free variables (at level 0) of highest VSIDS activity: where the search has been busiest. */
  topVariables(k: number): number[] {
    this.backjump(0);
    const free: number[] = [];
    for (let v = 0; v < this.nVars; v++) if (this.assign[v] === 0) free.push(v);
    free.sort((a, b) => this.activity[b]! - this.activity[a]! || a - b);
    return free.slice(0, k);
  }

  /**
   * The lemma closing the assumptions: ¬a holds (forced by a lemma), so a and the assumptions
   * that forced ¬a form a closed cube. Resolve away every other literal of the forcing lemma,
   * latest first (as `refute` does at level 0), keeping the assumption literals.
   */
  private closeUnder(a: number): number {
    const steps: number[] = [];
    const need = new Uint8Array(this.nVars);
    const base = this.reason[varOf(a)]!;
    if (base < 0) throw new Error('internal: an assumption contradicted by a decision');
    for (const q of this.clauses[base]!) if (varOf(q) !== varOf(a)) need[varOf(q)] = 1;
    const cube: number[] = [a];
    for (let k = this.trail.length - 1; k >= 0; k--) {
      const p = this.trail[k]!;
      const v = varOf(p);
      if (!need[v]) continue;
      const r = this.reason[v]!;
      if (r < 0) {
        cube.push(p); // an assumption
        continue;
      }
      steps.push(v, p ^ 1, r);
      for (const q of this.clauses[r]!) if (varOf(q) !== v) need[varOf(q)] = 1;
    }
    if (steps.length === 0 && cube.length === this.clauses[base]!.length) return base;
    return this.addLemma({ cube: Int32Array.from(cube.sort((x, y) => x - y)), proof: { kind: 'resolution', base, steps: packReversed(steps) } });
  }

  /**
   * Search the box cut by `assumptions` (cube literals, distinct variables; none: the whole box).
   * Lemmas learned stay valid for every later call (they never rest on the assumptions as such:
   * an assumption is a decision, and what a lemma needs of it is in its cube).
   * `closed`: a lemma whose cube ⊆ assumptions; `unsat`: the whole box (empty cube) is closed.
   */
  solve(assumptions: readonly number[] = []): CdclResult {
    let conflictsToRestart = luby(2, 0) * (this.opts.restartUnit ?? 100);
    let restartIndex = 0;
    let lastProgress = performance.now();
    this.backjump(0);
    for (;;) {
      const confl = this.propagate();
      if (confl >= 0) {
        const root = this.conflict(confl);
        if (root) return { kind: 'unsat', lemmas: this.lemmas, root };
        conflictsToRestart--;
        continue;
      }
      const now = performance.now();
      if (now > this.opts.deadline) return { kind: 'unknown', reason: `time limit (${this.opts.timeLimitSec} s) reached after ${this.stats.conflicts} conflicts, ${this.stats.decisions} decisions` };
      if (this.opts.stop?.()) return { kind: 'unknown', reason: 'stopped' };
      if (this.opts.progress && now - lastProgress > 2000) {
        lastProgress = now;
        this.opts.progress(this.stats);
      }
      const full = this.trail.length === this.nVars;
      if (full || this.opts.eagerTheory) {
        this.stats.theoryCalls++;
        const t = this.theory.check(this.assign, full);
        if (t.kind === 'witness') return { kind: 'witness', point: t.point };
        if (t.kind === 'unknown') return { kind: 'unknown', reason: t.reason };
        if (t.kind === 'closed') {
          this.stats.theoryLemmas++;
          const id = this.addLemma({ cube: Int32Array.from(t.cube), proof: t.proof });
          const root = this.conflict(id);
          if (root) return { kind: 'unsat', lemmas: this.lemmas, root };
          conflictsToRestart--;
          continue;
        }
        if (full) throw new Error('internal: the theory left a full assignment open');
      }
      if (this.liveLearnt - this.trail.length >= this.maxLearnt) {
        this.reduceDb();
        this.maxLearnt = Math.ceil(this.maxLearnt * 1.1);
      }
      if (conflictsToRestart <= 0 && this.decisionLevel() > assumptions.length) {
        this.stats.restarts++;
        restartIndex++;
        conflictsToRestart = luby(2, restartIndex) * (this.opts.restartUnit ?? 100);
        this.backjump(Math.min(this.decisionLevel(), assumptions.length));
        continue;
      }
      // The assumptions first, one decision level each (MiniSat's scheme).
      let next = -1;
      while (this.decisionLevel() < assumptions.length) {
        const a = assumptions[this.decisionLevel()]!;
        const v = this.value(a);
        if (v === 1) this.trailLim.push(this.trail.length);
        else if (v === -1) return { kind: 'closed', lemmas: this.lemmas, lemma: this.closeUnder(a) };
        else {
          next = a;
          break;
        }
      }
      if (next < 0) {
        const v = this.decide();
        next = lit(v, this.savedPhase[v]! > 0 ? 1 : -1);
        this.stats.decisions++;
      }
      this.trailLim.push(this.trail.length);
      if (this.trailLim.length > this.stats.maxLevel) this.stats.maxLevel = this.trailLim.length;
      this.enqueue(next, -1);
    }
  }
}
