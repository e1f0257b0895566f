/**
 * Small MILPs with known answers, shared by the backend and format tests, plus a seeded random
 * generator whose optimum is found by brute force.
 */
import type { MilpModel, MilpVar, LinTerm } from '../../src/milp/model';
import { Rng } from '../../src/exact/rng';

const iv = (name: string, lb: number, ub: number): MilpVar => ({ name, lb, ub, integer: true });
const cv = (name: string, lb: number, ub: number): MilpVar => ({ name, lb, ub, integer: false });
const t = (...cs: [number, number][]): LinTerm[] => cs.map(([v, c]) => ({ v, c }));

export interface KnownCase {
  model: MilpModel;
  status: 'optimal' | 'infeasible' | 'unbounded';
  objective?: number;
  x?: number[];
}

/** max 5x+4y+3z, three ≤ rows, x,y,z ∈ ℕ: optimum 13 at (2,0,1) (the LP optimum is 13 too). */
export const knapsack: KnownCase = {
  model: {
    name: 'knapsack',
    sense: 'max',
    objective: t([0, 5], [1, 4], [2, 3]),
    vars: [iv('x', 0, Infinity), iv('y', 0, Infinity), iv('z', 0, Infinity)],
    constraints: [
      { name: 'a', terms: t([0, 2], [1, 3], [2, 1]), lo: -Infinity, hi: 5 },
      { name: 'b', terms: t([0, 4], [1, 1], [2, 2]), lo: -Infinity, hi: 11 },
      { name: 'c', terms: t([0, 3], [1, 4], [2, 2]), lo: -Infinity, hi: 8 },
    ],
  },
  status: 'optimal',
  objective: 13,
  x: [2, 0, 1],
};

/**
 * Free integer variables, an equality row and a two-sided (range) row:
 * min y s.t. 3x + 5y = 1, −20 ≤ x ≤ 20 (as a row), x, y ∈ ℤ free.
 * Integer solutions x = 2 + 5k, y = −1 − 3k, k ∈ {−4..3}: optimum y = −10 at (17, −10).
 */
export const diophantine: KnownCase = {
  model: {
    name: 'diophantine',
    sense: 'min',
    objective: t([1, 1]),
    vars: [iv('x', -Infinity, Infinity), iv('y', -Infinity, Infinity)],
    constraints: [
      { name: 'eq', terms: t([0, 3], [1, 5]), lo: 1, hi: 1 },
      { name: 'range', terms: t([0, 1]), lo: -20, hi: 20 },
    ],
  },
  status: 'optimal',
  objective: -10,
  x: [17, -10],
};

/** The same with continuous variables: optimum at x = 20, y = (1 − 60)/5 = −11.8. */
export const diophantineRelaxed: KnownCase = {
  model: { ...diophantine.model, name: 'diophantine-relaxed', vars: diophantine.model.vars.map((v) => ({ ...v, integer: false })) },
  status: 'optimal',
  objective: -11.8,
  x: [20, -11.8],
};

/** 2x + 2y = 3 with x, y ∈ {0..5}: LP-feasible, integer-infeasible. */
export const parity: KnownCase = {
  model: {
    name: 'parity',
    sense: 'max',
    objective: t([0, 1]),
    vars: [iv('x', 0, 5), iv('y', 0, 5)],
    constraints: [{ name: 'odd', terms: t([0, 2], [1, 2]), lo: 3, hi: 3 }],
  },
  status: 'infeasible',
};

/** x + y ≥ 3, x + y ≤ 2 (continuous): LP-infeasible. */
export const lpInfeasible: KnownCase = {
  model: {
    name: 'lp-infeasible',
    sense: 'min',
    objective: t([0, 1], [1, 1]),
    vars: [cv('x', -Infinity, Infinity), cv('y', 0, Infinity)],
    constraints: [
      { name: 'ge', terms: t([0, 1], [1, 1]), lo: 3, hi: Infinity },
      { name: 'le', terms: t([0, 1], [1, 1]), lo: -Infinity, hi: 2 },
    ],
  },
  status: 'infeasible',
};

/** max x + y, x − y ≤ 1, x, y ∈ ℕ: unbounded (and feasible). */
export const unboundedMip: KnownCase = {
  model: {
    name: 'unbounded-mip',
    sense: 'max',
    objective: t([0, 1], [1, 1]),
    vars: [iv('x', 0, Infinity), iv('y', 0, Infinity)],
    constraints: [{ name: 'r', terms: t([0, 1], [1, -1]), lo: -Infinity, hi: 1 }],
  },
  status: 'unbounded',
};

/** min x, x free continuous, x ≤ y + 2, y ≤ 3: unbounded below. */
export const unboundedLp: KnownCase = {
  model: {
    name: 'unbounded-lp',
    sense: 'min',
    objective: t([0, 1]),
    vars: [cv('x', -Infinity, Infinity), cv('y', -Infinity, 3)],
    constraints: [{ name: 'r', terms: t([0, 1], [1, -1]), lo: -Infinity, hi: 2 }],
  },
  status: 'unbounded',
};

/**
 * Mixed: negative and fractional bounds, a fixed variable, duplicate terms in a row, a variable in
 * no row. min −x − 2y + z + 0·w s.t. x + y + y ≤ 4.5 (y twice), x − z ≥ −1.5,
 * x ∈ [−2.5, 3] real, y ∈ {−3..5}, z ∈ [−1, 1] real, w = 7 fixed integer.
 * For y ≤ (4.5 − x)/2 integer and z ≥ max(−1, x − … ): enumerated below in the test.
 */
export const mixed: KnownCase = {
  model: {
    name: 'mixed bounds',
    sense: 'min',
    objective: t([0, -1], [1, -2], [2, 1]),
    vars: [cv('x', -2.5, 3), iv('y', -3, 5), cv('z', -1, 1), iv('w', 7, 7)],
    constraints: [
      { name: 'cap', terms: t([0, 1], [1, 1], [1, 1]), lo: -Infinity, hi: 4.5 },
      { name: 'link', terms: t([0, 1], [2, -1]), lo: -1.5, hi: Infinity },
    ],
  },
  // y = 3: x ≤ −1.5, z ≤ x + 1.5, z ≥ −1 → x ∈ [−2.5, −1.5]; obj −x − 6 + z, minimize with z = −1:
  // needs x + 1.5 ≥ −1 → x ≥ −2.5; obj = −x − 7 minimal at x = −1.5 → −5.5.
  // y = 2: x ≤ 0.5, z = −1 needs x ≥ −2.5; obj = −x − 5 at x = 0.5 → −5.5. Tie: optimum −5.5.
  // y = 1: x ≤ 2.5 → obj −2.5 − 2 − 1 = −5.5. Tie again; y = 0: x ≤ 3 (bound) → −3 − 0 − 1 = −4.
  status: 'optimal',
  objective: -5.5,
};

/** max x, x ∈ {0..7}, no rows. */
export const noRows: KnownCase = {
  model: { name: 'no-rows', sense: 'max', objective: t([0, 1]), vars: [iv('x', 0, 7)], constraints: [] },
  status: 'optimal',
  objective: 7,
  x: [7],
};

export const KNOWN: KnownCase[] = [knapsack, diophantine, diophantineRelaxed, parity, lpInfeasible, unboundedMip, unboundedLp, mixed, noRows];

/**
 * A random pure-integer program with box domains small enough to enumerate: p variables in
 * [lo, hi], m rows of ≤/≥/= with small integer coefficients. `bruteForce` gives its optimum.
 */
export function randomIntegerProgram(rng: Rng, p: number, m: number, dom: number): MilpModel {
  const vars: MilpVar[] = [];
  for (let j = 0; j < p; j++) vars.push(iv(`v${j}`, -dom, dom));
  const constraints = [];
  for (let i = 0; i < m; i++) {
    const terms: LinTerm[] = [];
    for (let j = 0; j < p; j++) if (rng.int(0, 2) > 0) terms.push({ v: j, c: rng.int(-4, 4) });
    const kind = rng.int(0, 5);
    const rhs = rng.int(-4, 4);
    constraints.push(
      kind === 0
        ? { name: `r${i}`, terms, lo: rhs, hi: rhs }
        : kind === 1
          ? { name: `r${i}`, terms, lo: rhs - rng.int(0, 3), hi: rhs }
          : kind < 4
            ? { name: `r${i}`, terms, lo: -Infinity, hi: rhs }
            : { name: `r${i}`, terms, lo: rhs, hi: Infinity },
    );
  }
  const objective: LinTerm[] = [];
  for (let j = 0; j < p; j++) objective.push({ v: j, c: rng.int(-5, 5) });
  return { name: 'random', sense: rng.bool() ? 'max' : 'min', objective, vars, constraints };
}

/** Optimum of a bounded pure-integer model by enumeration; null when infeasible. */
export function bruteForce(model: MilpModel): number | null {
  const p = model.vars.length;
  const x = model.vars.map((v) => v.lb);
  let best: number | null = null;
  const better = (a: number, b: number) => (model.sense === 'max' ? a > b : a < b);
  for (;;) {
    const ok = model.constraints.every((c) => {
      const s = c.terms.reduce((acc, tt) => acc + tt.c * x[tt.v]!, 0);
      return s >= c.lo && s <= c.hi;
    });
    if (ok) {
      const f = model.objective.reduce((acc, tt) => acc + tt.c * x[tt.v]!, 0);
      if (best === null || better(f, best)) best = f;
    }
    let j = 0;
    while (j < p && x[j] === model.vars[j]!.ub) {
      x[j] = model.vars[j]!.lb;
      j++;
    }
    if (j === p) return best;
    x[j]!++;
  }
}

/**
 * A market-split instance (Cornuéjols–Dawande): m equality rows Σ a_ij x_j = ⌊Σ_j a_ij / 2⌋ with
 * a_ij ∈ [0, 99] and n = 10(m − 1) binaries. Notoriously hard for branch and bound, almost always
 * infeasible: a model no backend finishes in a couple of seconds, for the time-limit tests.
 */
export function marketSplit(rng: Rng, m: number, n = 10 * (m - 1)): MilpModel {
  const vars = Array.from({ length: n }, (_, j) => iv(`x${j}`, 0, 1));
  const constraints = [];
  for (let i = 0; i < m; i++) {
    const terms: LinTerm[] = [];
    let s = 0;
    for (let j = 0; j < n; j++) {
      const a = rng.int(0, 99);
      s += a;
      terms.push({ v: j, c: a });
    }
    constraints.push({ name: `split${i}`, terms, lo: Math.floor(s / 2), hi: Math.floor(s / 2) });
  }
  return { name: `market-split-${m}x${n}`, sense: 'min', objective: [], vars, constraints };
}
