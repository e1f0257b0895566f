/**
 * Graph k-colouring as CNF: variable x(v, c) = "vertex v has colour c", numbered v·k + c + 1
 * (v = 0..n−1, c = 0..k−1). Clauses, in this order: for each vertex, (x(v,0) ∨ … ∨ x(v,k−1)); for
 * each vertex and colours c < c', (¬x(v,c) ∨ ¬x(v,c')); for each edge {u, v} (sorted) and colour c,
 * (¬x(u,c) ∨ ¬x(v,c)). The models are exactly the proper k-colourings (one colour per vertex), so
 * the formula is satisfiable iff the graph is k-colourable. Its status is not fixed by theory on a
 * random graph: the generator records the reference solver's answer.
 */
import { makeCnf, type Cnf } from '../cnf';
import { UserError } from '../../errors';
import type { Graph } from './graph';

export const colourVar = (k: number, v: number, c: number): number => v * k + c + 1;

/** The k-colouring formula of `g` (see the module header for the numbering and clause order). */
export function coloring(g: Graph, k: number): Cnf {
  if (!Number.isSafeInteger(k) || k < 1) throw new UserError(`coloring: --colors must be a positive integer, got ${k}`);
  const clauses: number[][] = [];
  for (let v = 0; v < g.n; v++) clauses.push(Array.from({ length: k }, (_, c) => colourVar(k, v, c)));
  for (let v = 0; v < g.n; v++) for (let c = 0; c < k; c++) for (let c2 = c + 1; c2 < k; c2++) clauses.push([-colourVar(k, v, c), -colourVar(k, v, c2)]);
  for (const [u, v] of g.edges) for (let c = 0; c < k; c++) clauses.push([-colourVar(k, u, c), -colourVar(k, v, c)]);
  return makeCnf(g.n * k, clauses);
}
