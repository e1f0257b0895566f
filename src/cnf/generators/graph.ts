/**
 * Random simple graphs for the graph-based formula families (Tseitin, colouring): the
 * Erdős–Rényi G(n, p) and random d-regular graphs. Vertices are 0..n−1; an edge is a pair [u, v]
 * with u < v; edges are listed in lexicographic order, so a graph prints the same whatever the
 * draw order. Every draw comes from the caller's Rng (src/exact/rng.ts): same seed, same graph.
 */
import type { Rng } from '../../exact/rng';
import { UserError } from '../../errors';

/** A simple undirected graph on vertices 0..n−1; edges [u, v] with u < v, sorted, no repeats. */
export interface Graph {
  readonly n: number;
  readonly edges: readonly (readonly [number, number])[];
}

const sortEdges = (edges: [number, number][]): [number, number][] => edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

/**
 * G(n, p): each of the n(n−1)/2 pairs is an edge independently with probability p (one float draw
 * per pair, pairs in lexicographic order).
 */
export function gnp(n: number, p: number, rng: Rng): Graph {
  if (!Number.isSafeInteger(n) || n < 1) throw new UserError(`gnp: the vertex count must be a positive integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new UserError(`gnp: the edge probability must be in [0, 1], got ${p}`);
  const edges: [number, number][] = [];
  for (let u = 0; u < n; u++) for (let v = u + 1; v < n; v++) if (rng.float() < p) edges.push([u, v]);
  return { n, edges };
}

/** Restarts of the pairing process before `randomRegular` gives up (never reached for d ≤ √n in practice). */
const MAX_RESTARTS = 10_000;

/**
 * A random d-regular simple graph on n vertices (n·d even, d < n), by the pairing process of
 * Steger and Wormald (1999): n·d points, d per vertex; repeatedly join two uniformly chosen free
 * points whose vertices differ and are not yet adjacent; when no such pair is left, start again.
 * Its distribution is asymptotically uniform for d = o(n^{1/28}) and close to uniform beyond (the
 * graphs are used as instances, not to estimate graph statistics).
 */
export function randomRegular(n: number, d: number, rng: Rng): Graph {
  if (!Number.isSafeInteger(n) || n < 1) throw new UserError(`regular graph: the vertex count must be a positive integer, got ${n}`);
  if (!Number.isSafeInteger(d) || d < 0 || d >= n) throw new UserError(`regular graph: the degree must be in 0..${n - 1}, got ${d}`);
  if ((n * d) % 2 !== 0) throw new UserError(`regular graph: n·d must be even, got n = ${n}, d = ${d}`);
  for (let attempt = 0; attempt < MAX_RESTARTS; attempt++) {
    const g = pairing(n, d, rng);
    if (g) return g;
  }
  throw new Error(`randomRegular(${n}, ${d}): no simple graph after ${MAX_RESTARTS} restarts`);
}

function pairing(n: number, d: number, rng: Rng): Graph | null {
  const free: number[] = [];
  for (let v = 0; v < n; v++) for (let k = 0; k < d; k++) free.push(v);
  const adj = Array.from({ length: n }, () => new Set<number>());
  const edges: [number, number][] = [];
  const suitable = (a: number, b: number): boolean => a !== b && !adj[a]!.has(b);
  while (free.length > 0) {
    // Uniform pairs first; after a run of rejections, check whether any suitable pair remains.
    let i = -1;
    let j = -1;
    for (let tries = 0; tries < 64; tries++) {
      const a = rng.int(0, free.length - 1);
      const b = rng.int(0, free.length - 1);
      if (a !== b && suitable(free[a]!, free[b]!)) {
        i = a;
        j = b;
        break;
      }
    }
    if (i < 0) {
      const pairs: [number, number][] = [];
      for (let a = 0; a < free.length; a++) for (let b = a + 1; b < free.length; b++) if (suitable(free[a]!, free[b]!)) pairs.push([a, b]);
      if (pairs.length === 0) return null;
      [i, j] = rng.pick(pairs);
    }
    const u = free[i]!;
    const v = free[j]!;
    adj[u]!.add(v);
    adj[v]!.add(u);
    edges.push(u < v ? [u, v] : [v, u]);
    // Remove positions i and j (larger first, by swapping with the end).
    for (const k of i > j ? [i, j] : [j, i]) {
      free[k] = free[free.length - 1]!;
      free.pop();
    }
  }
  return { n, edges: sortEdges(edges) };
}

/** Vertex degrees. */
export function degrees(g: Graph): number[] {
  const deg = new Array<number>(g.n).fill(0);
  for (const [u, v] of g.edges) {
    deg[u]!++;
    deg[v]!++;
  }
  return deg;
}

/** The connected components, as a component number per vertex (numbered in order of their least vertex). */
export function components(g: Graph): number[] {
  const comp = new Array<number>(g.n).fill(-1);
  const adj = Array.from({ length: g.n }, () => [] as number[]);
  for (const [u, v] of g.edges) {
    adj[u]!.push(v);
    adj[v]!.push(u);
  }
  let c = 0;
  for (let s = 0; s < g.n; s++) {
    if (comp[s]! >= 0) continue;
    const stack = [s];
    comp[s] = c;
    while (stack.length > 0) {
      const u = stack.pop()!;
      for (const v of adj[u]!) if (comp[v]! < 0) (comp[v] = c), stack.push(v);
    }
    c++;
  }
  return comp;
}
