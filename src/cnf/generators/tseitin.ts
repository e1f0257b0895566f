/**
 * Tseitin formulas (Tseitin 1968; Urquhart 1987): on a graph G = (V, E) with a charge
 * χ: V → {0, 1}, one variable x_e per edge and, for each vertex v, the parity constraint
 * ⊕_{e ∋ v} x_e = χ(v), written in CNF as the 2^(deg v − 1) clauses that each exclude one
 * assignment of v's edges with the wrong parity (literal ¬x_e where the excluded assignment sets
 * x_e true, x_e where it sets it false). Edge e (position in G's sorted edge list) is variable e + 1.
 *
 * Status (exact, by construction): the formula is satisfiable iff every connected component has
 * even total charge. Summing a component's constraints counts each of its edges twice, so an odd
 * total gives 0 = 1; conversely with even totals a spanning forest can be solved leaf by leaf.
 * On random d-regular graphs (d ≥ 3, expanders with high probability) the unsatisfiable ones need
 * resolution proofs of size exponential in n (Urquhart 1987; Ben-Sasson and Wigderson 2001).
 */
import { makeCnf, type Cnf } from '../cnf';
import type { Rng } from '../../exact/rng';
import { components, type Graph } from './graph';
import { parityClauses } from './parity';

/**
 * The charge of every vertex: uniform bits, then the last vertex's bit fixed so that the total
 * charge has the requested parity ('odd': unsatisfiable on any graph).
 */
export function randomCharge(n: number, parity: 'odd' | 'even', rng: Rng): number[] {
  const c: number[] = Array.from({ length: n }, () => (rng.bool() ? 1 : 0));
  const total = c.reduce((s, b) => s + b, 0) % 2;
  const want = parity === 'odd' ? 1 : 0;
  if (total !== want) c[n - 1] = 1 - c[n - 1]!;
  return c;
}

/** The Tseitin formula of (G, charge), clauses vertex by vertex, excluded patterns in binary order. */
export function tseitin(g: Graph, charge: readonly number[]): Cnf {
  if (charge.length !== g.n) throw new Error(`tseitin: ${charge.length} charges for ${g.n} vertices`);
  const inc = Array.from({ length: g.n }, () => [] as number[]);
  g.edges.forEach(([u, v], e) => {
    inc[u]!.push(e + 1);
    inc[v]!.push(e + 1);
  });
  const clauses: number[][] = [];
  for (let v = 0; v < g.n; v++) for (const c of parityClauses(inc[v]!, charge[v]!)) clauses.push(c);
  return makeCnf(g.edges.length, clauses);
}

/** Satisfiable iff every connected component has even total charge (exact; see the module header). */
export function tseitinSatisfiable(g: Graph, charge: readonly number[]): boolean {
  const comp = components(g);
  const par = new Map<number, number>();
  comp.forEach((c, v) => par.set(c, (par.get(c) ?? 0) ^ (charge[v]! & 1)));
  return [...par.values()].every((p) => p === 0);
}
