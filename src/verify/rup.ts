/**
 * The proof checker's unit propagation over lemmas (format version 2, lemmas marked `"rup"`;
 * docs/formats.md). Independent of the searcher: its own literals, watches and trail.
 *
 * A lemma is a cube K of sign literals (x_i ≥ 0 or x_i ≤ 0) together with the fact, already
 * checked, that σ·D ≤ 0 on [-1,1]^p ∩ K. A lemma marked "rup" is accepted when unit propagation
 * over the lemmas before it, started from K, reaches a lemma all of whose literals hold:
 *   - a lemma L whose literals all hold but one, ℓ, with x_ℓ still free: the part of the domain
 *     where ℓ holds lies in L, so σ·D ≤ 0 there, and the rest of the argument may assume ¬ℓ
 *     (the closed half-spaces ℓ and ¬ℓ cover the line) — one geometric resolution step;
 *   - a lemma whose literals all hold: the current domain lies in it, done.
 * Unwinding the steps gives a tree of splits whose leaves lie in earlier lemmas: the same
 * argument as an explicit proof with resolution lines ["r", i, s, k], which the checker accepts
 * too. (The reverse-unit-propagation check of DRUP/DRAT proofs for SAT, in geometric form.)
 *
 * Literal encoding: 2i for x_i ≥ 0, 2i+1 for x_i ≤ 0; the negation flips the low bit.
 */
export class RupChecker {
  /** Per variable: 0 free, 1 (x ≥ 0 holds), −1 (x ≤ 0 holds). */
  private readonly val: Int8Array;
  private readonly trail: number[] = [];
  /** Clause form of each lemma: the negations of its cube literals (a lemma "fires" when all are false). */
  private readonly clauses: Int32Array[] = [];
  private readonly watches: number[][];
  /** Lemmas with one literal: their negation holds everywhere after them. */
  private readonly units: number[] = [];
  /** Some lemma has an empty cube (the whole box is closed). */
  private whole = false;
  /** Lemmas removed by a deletion line (skipped by propagation from then on). */
  private readonly deleted: Uint8Array[] = [new Uint8Array(1024)];

  constructor(readonly p: number) {
    this.val = new Int8Array(p);
    this.watches = Array.from({ length: 2 * p }, () => []);
  }

  /** Whether a literal holds (1), its negation holds (−1), or neither (0). */
  private value(l: number): number {
    const v = this.val[l >> 1]!;
    return v === 0 ? 0 : v === ((l & 1) === 0 ? 1 : -1) ? 1 : -1;
  }

  private assign(l: number): void {
    this.val[l >> 1] = (l & 1) === 0 ? 1 : -1;
    this.trail.push(l);
  }

  private isDeleted(id: number): boolean {
    const page = this.deleted[id >> 10];
    return page !== undefined && page[id & 1023] === 1;
  }

  /**
   * Stop using lemma `id` for propagation (a deletion line: the proof says no later lemma needs
   * it). Deleting can only make later checks fail, never pass, so it needs no justification.
   */
  remove(id: number): void {
    if (id < 0 || id >= this.clauses.length) return;
    while (this.deleted.length <= id >> 10) this.deleted.push(new Uint8Array(1024));
    this.deleted[id >> 10]![id & 1023] = 1;
    const c = this.clauses[id]!;
    if (c.length === 1) {
      const k = this.units.indexOf(c[0]!);
      if (k >= 0) this.units.splice(k, 1);
    }
  }

  /** Add a checked lemma (cube literals, no variable twice). */
  add(cube: readonly number[]): void {
    const id = this.clauses.length;
    const c = Int32Array.from(cube, (l) => l ^ 1);
    this.clauses.push(c);
    if (c.length === 0) this.whole = true;
    else if (c.length === 1) this.units.push(c[0]!);
    else {
      this.watches[c[0]!]!.push(id);
      this.watches[c[1]!]!.push(id);
    }
  }

  /**
   * Propagate the literals on the trail from `head`; true when some lemma's literals all hold.
   * Clause literal c "false" ⇔ the cube literal c^1 holds.
   */
  private propagate(head: number): boolean {
    while (head < this.trail.length) {
      const p = this.trail[head++]!;
      const falseLit = p ^ 1;
      const ws = this.watches[falseLit]!;
      let i = 0;
      let j = 0;
      let conflict = false;
      while (i < ws.length) {
        const cid = ws[i++]!;
        if (this.isDeleted(cid)) continue; // dropped from this watch list for good
        const c = this.clauses[cid]!;
        if (c[0] === falseLit) {
          c[0] = c[1]!;
          c[1] = falseLit;
        }
        const first = c[0]!;
        if (this.value(first) === 1) {
          ws[j++] = cid;
          continue;
        }
        let moved = false;
        for (let k = 2; k < c.length; k++)
          if (this.value(c[k]!) !== -1) {
            c[1] = c[k]!;
            c[k] = falseLit;
            this.watches[c[1]!]!.push(cid);
            moved = true;
            break;
          }
        if (moved) continue;
        ws[j++] = cid;
        if (this.value(first) === -1) {
          conflict = true;
          break;
        }
        this.assign(first);
      }
      while (i < ws.length) ws[j++] = ws[i++]!;
      ws.length = j;
      if (conflict) return true;
    }
    return false;
  }

  /** Whether unit propagation from the cube over the lemmas added so far closes it. */
  check(cube: readonly number[]): boolean {
    if (this.whole) return true;
    const start = this.trail.length;
    let closed = false;
    for (const l of cube) {
      const v = this.value(l);
      if (v === -1) throw new Error('a cube holds a literal and its negation');
      if (v === 0) this.assign(l);
    }
    for (const u of this.units) {
      const v = this.value(u);
      if (v === -1) {
        closed = true;
        break;
      }
      if (v === 0) this.assign(u);
    }
    if (!closed) closed = this.propagate(start);
    for (let k = this.trail.length - 1; k >= start; k--) this.val[this.trail[k]! >> 1] = 0;
    this.trail.length = start;
    return closed;
  }
}
