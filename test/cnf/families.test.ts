/**
 * The formula families of src/cnf/generators against their definitions, at sizes where every
 * assignment can be enumerated: the models of each CNF are exactly the objects the family
 * describes (parity solutions, proper colourings, strict orders without a minimum, maps of
 * pigeons), the statuses theory fixes hold, the clause counts follow the stated formulas, and
 * the random graphs are what they claim to be (simple, d-regular, sorted).
 */
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../src/exact/rng';
import { satisfies, type Cnf } from '../../src/cnf/cnf';
import { tseitin, tseitinSatisfiable, randomCharge } from '../../src/cnf/generators/tseitin';
import { gnp, randomRegular, degrees, type Graph } from '../../src/cnf/generators/graph';
import { coloring } from '../../src/cnf/generators/coloring';
import { randomKXor } from '../../src/cnf/generators/kxor';
import { ordering, orderVar } from '../../src/cnf/generators/ordering';
import { php, phpVar } from '../../src/cnf/generators/php';
import { planted } from '../../src/cnf/generators/planted';

/** Every assignment of 1..n as a list of signed literals, and whether `f` accepts it. */
function* assignments(n: number): Generator<number[]> {
  for (let mask = 0; mask < 2 ** n; mask++) yield Array.from({ length: n }, (_, i) => ((mask >> i) & 1 ? i + 1 : -(i + 1)));
}
const truth = (a: readonly number[], v: number): boolean => a[v - 1]! > 0;

/** The models of f, each checked by `definition`: returns [models of f, assignments the definition accepts]. */
function compare(f: Cnf, definition: (a: number[]) => boolean): { models: number; defined: number; mismatch: number[] | null } {
  let models = 0;
  let defined = 0;
  let mismatch: number[] | null = null;
  for (const a of assignments(f.n)) {
    const s = satisfies(f, a);
    const d = definition(a);
    if (s) models++;
    if (d) defined++;
    if (s !== d && mismatch === null) mismatch = a;
  }
  return { models, defined, mismatch };
}

const isSimpleSorted = (g: Graph): boolean =>
  g.edges.every(([u, v], i) => u < v && v < g.n && (i === 0 || g.edges[i - 1]![0] < u || (g.edges[i - 1]![0] === u && g.edges[i - 1]![1] < v)));

describe('random graphs', () => {
  it('G(n, p): simple, sorted; p = 0 empty, p = 1 complete; same seed same graph', () => {
    for (let s = 0; s < 20; s++) {
      const g = gnp(9, 0.4, seededRng(s));
      expect(isSimpleSorted(g)).toBe(true);
      expect(gnp(9, 0.4, seededRng(s))).toEqual(g);
    }
    expect(gnp(7, 0, seededRng(1)).edges.length).toBe(0);
    expect(gnp(7, 1, seededRng(1)).edges.length).toBe(21);
  });
  it('random d-regular: simple, sorted, every degree d', () => {
    for (const [n, d] of [[8, 3], [10, 4], [6, 5], [12, 3], [9, 2]] as const)
      for (let s = 0; s < 10; s++) {
        const g = randomRegular(n, d, seededRng(100 * n + s));
        expect(isSimpleSorted(g), `${n},${d},${s}`).toBe(true);
        expect(degrees(g)).toEqual(new Array(n).fill(d));
      }
  });
});

describe('Tseitin formulas', () => {
  it('models = edge assignments meeting every vertex charge; satisfiable iff each component has even charge', () => {
    let sat = 0;
    let unsat = 0;
    for (let s = 0; s < 24; s++) {
      const g = s % 2 ? randomRegular(6, 3, seededRng(s)) : gnp(6, 0.5, seededRng(s));
      if (g.edges.length > 14) continue;
      const charge = randomCharge(6, s % 3 === 0 ? 'odd' : 'even', seededRng(1000 + s));
      const f = tseitin(g, charge);
      expect(f.n).toBe(g.edges.length);
      // 2^(deg − 1) clauses per vertex of degree ≥ 1 (a vertex of degree 0: one empty clause iff charged).
      const degs = degrees(g);
      expect(f.clauses.length).toBe(degs.reduce((t, d, v) => t + (d === 0 ? charge[v]! : 2 ** (d - 1)), 0));
      const r = compare(f, (a) => charge.every((c, v) => g.edges.reduce((x, [p, q], e) => x ^ (p === v || q === v ? (truth(a, e + 1) ? 1 : 0) : 0), 0) === c));
      expect(r.mismatch, `seed ${s}`).toBeNull();
      expect(r.models > 0).toBe(tseitinSatisfiable(g, charge));
      if (r.models > 0) sat++;
      else unsat++;
      if (charge.reduce((t, c) => t + c, 0) % 2 === 1) expect(r.models).toBe(0);
    }
    expect(sat).toBeGreaterThan(3);
    expect(unsat).toBeGreaterThan(3);
  });
});

describe('graph colouring', () => {
  it('models = proper colourings, one colour per vertex (counted by enumeration)', () => {
    for (let s = 0; s < 12; s++) {
      const g = gnp(5, 0.5, seededRng(s));
      const k = 2 + (s % 2);
      const f = coloring(g, k);
      expect(f.n).toBe(5 * k);
      expect(f.clauses.length).toBe(5 + (5 * k * (k - 1)) / 2 + g.edges.length * k);
      // Proper colourings counted directly.
      let proper = 0;
      for (let c = 0; c < k ** 5; c++) {
        const col = Array.from({ length: 5 }, (_, v) => Math.floor(c / k ** v) % k);
        if (g.edges.every(([u, v]) => col[u] !== col[v])) proper++;
      }
      const r = compare(f, (a) => {
        const col: number[] = [];
        for (let v = 0; v < 5; v++) {
          const on = [...Array(k).keys()].filter((c) => truth(a, v * k + c + 1));
          if (on.length !== 1) return false;
          col.push(on[0]!);
        }
        return g.edges.every(([u, v]) => col[u] !== col[v]);
      });
      expect(r.mismatch, `seed ${s}`).toBeNull();
      expect(r.models).toBe(proper);
    }
  });
});

describe('random k-XOR', () => {
  it('models = solutions of the parity system; the recorded status is Gaussian elimination\'s and agrees', () => {
    let sat = 0;
    let unsat = 0;
    for (let s = 0; s < 30; s++) {
      const n = 8;
      const m = 4 + (s % 8);
      const k = 2 + (s % 3);
      const x = randomKXor({ n, m, k }, seededRng(s));
      expect(x.cnf.clauses.length).toBe(m * 2 ** (k - 1));
      for (const c of x.constraints) expect(new Set(c.vars).size).toBe(k);
      const r = compare(x.cnf, (a) => x.constraints.every((c) => c.vars.reduce((t, v) => t ^ (truth(a, v) ? 1 : 0), 0) === c.parity));
      expect(r.mismatch, `seed ${s}`).toBeNull();
      expect(x.satisfiable).toBe(r.models > 0);
      // A consistent system of rank ρ has 2^(n − ρ) solutions: a power of two.
      if (r.models > 0) expect(Number.isInteger(Math.log2(r.models))).toBe(true);
      if (r.models > 0) sat++;
      else unsat++;
    }
    expect(sat).toBeGreaterThan(3);
    expect(unsat).toBeGreaterThan(3);
  });
});

describe('ordering principle', () => {
  it('variables are the n(n−1) ordered pairs; no model for n = 2, 3, 4; without the no-minimum clauses the models are the strict orders', () => {
    for (const n of [2, 3, 4]) {
      const seen = new Set<number>();
      for (let i = 1; i <= n; i++) for (let j = 1; j <= n; j++) if (i !== j) seen.add(orderVar(n, i, j));
      expect([...seen].sort((a, b) => a - b)).toEqual([...Array(n * (n - 1)).keys()].map((v) => v + 1));
      for (const total of [false, true]) {
        const f = ordering(n, total);
        const pairs = (n * (n - 1)) / 2;
        expect(f.clauses.length).toBe(pairs * (total ? 2 : 1) + n * (n - 1) * (n - 2) + n);
        expect(compare(f, () => false).models).toBe(0);
        // Drop the n no-minimum clauses: the models are the strict partial (total: linear) orders.
        const body: Cnf = { ...f, clauses: f.clauses.slice(0, -n) };
        const isOrder = (a: number[]): boolean => {
          const p = (i: number, j: number): boolean => truth(a, orderVar(n, i, j));
          for (let i = 1; i <= n; i++)
            for (let j = 1; j <= n; j++) {
              if (i === j) continue;
              if (p(i, j) && p(j, i)) return false;
              if (total && !p(i, j) && !p(j, i)) return false;
              for (let l = 1; l <= n; l++) if (l !== i && l !== j && p(i, j) && p(j, l) && !p(i, l)) return false;
            }
          return true;
        };
        const r = compare(body, isOrder);
        expect(r.mismatch).toBeNull();
        // Linear orders: n!; strict partial orders on 2, 3, 4 elements: 3, 19, 219 (OEIS A001035).
        expect(r.models).toBe(total ? [1, 1, 2, 6, 24][n] : [1, 1, 3, 19, 219][n]);
      }
    }
  });
});

describe('pigeonhole variants', () => {
  it('unsatisfiable for h = 1, 2, 3 in every variant; clause counts; the models without the pigeon clauses are the stated maps', () => {
    for (const h of [1, 2, 3])
      for (const functional of [false, true])
        for (const onto of [false, true]) {
          const f = php(h, { functional, onto });
          const pairs = (h * (h - 1)) / 2;
          const expected = h + 1 + (h * h * (h + 1)) / 2 + (functional ? (h + 1) * pairs : 0) + (onto ? h : 0);
          expect(f.clauses.length, `h ${h} ${functional} ${onto}`).toBe(expected);
          expect(f.n).toBe(h * (h + 1));
          if (f.n <= 12) expect(compare(f, () => false).models).toBe(0);
        }
    // Restrict pigeon h+1 to no hole (its variables false) and drop its now empty "some hole"
    // clause: what remains is the formula of h pigeons in h holes, whose onto-functional models
    // are exactly the h! bijections (the onto clauses are kept, restricted to pigeons 1..h).
    const h = 3;
    const f = php(h, { functional: true, onto: true });
    const x = (i: number, j: number): number => phpVar(h, i, j);
    const last = (l: number): boolean => Math.abs(l) > h * h;
    const restricted = f.clauses.filter((c) => !c.some((l) => last(l) && l < 0)).map((c) => c.filter((l) => !last(l)));
    expect(restricted.filter((c) => c.length === 0).length).toBe(1);
    const g = { ...f, n: h * h, clauses: restricted.filter((c) => c.length > 0) } as Cnf;
    expect(g.clauses.filter((c) => c.length === h && c.every((l) => l > 0)).length).toBe(2 * h); // h pigeon clauses + h onto clauses
    const r = compare(g, (a) => {
      for (let i = 1; i <= h; i++) if ([...Array(h).keys()].filter((j) => truth(a, x(i, j + 1))).length !== 1) return false;
      for (let j = 1; j <= h; j++) if ([...Array(h).keys()].filter((i) => truth(a, x(i + 1, j))).length !== 1) return false;
      return true;
    });
    expect(r.mismatch).toBeNull();
    expect(r.models).toBe(6);
  });
});

describe('planted k-SAT at a chosen ratio', () => {
  it('m = round(ratio·n) clauses of k distinct variables, all satisfied by the planted assignment (and its negation with hidden 2)', () => {
    for (let s = 0; s < 10; s++)
      for (const hidden of [1, 2] as const) {
        const n = 12;
        const ratio = 3 + s * 0.25;
        const { cnf, assignment } = planted({ n, ratio, k: 3, hidden }, seededRng(s));
        expect(cnf.clauses.length).toBe(Math.round(ratio * n));
        for (const c of cnf.clauses) expect(new Set(c.map(Math.abs)).size).toBe(3);
        expect(satisfies(cnf, assignment)).toBe(true);
        if (hidden === 2) expect(satisfies(cnf, assignment.map((l) => -l))).toBe(true);
      }
  });
});
