/**
 * The file forms of the Clarke set and of a membership answer (docs/formats.md "Clarke sets" and
 * "Membership"; docs/theory.md §9). Both are checked by src/verify/set.ts, which shares no code with
 * this module or with the search that produced them.
 *
 *   {"format":"nsad-clarke-set","version":1,"at":x̄,"complete":true,"tied":[[l,i],…],
 *    "gradients":[g_0,…],"hull":[{"exposedBy":d}|{"combination":[[i,λ],…]}|null,…],
 *    "tree":[node,…]}
 *
 *   {"format":"nsad-clarke-membership","version":1,"at":x̄,"vector":v,"answer":"yes",
 *    "pieces":[{"direction":h,"gradient":g},…],"weights":[λ,…]}
 *   {"format":"nsad-clarke-membership","version":1,"at":x̄,"vector":v,"answer":"no",
 *    "direction":d,"tied":[[l,i],…],"tree":[node,…]}
 *
 * The tree lists the nodes of the search over the tied neurons' patterns in preorder: ["s"] (split
 * the next tied neuron: the + subtree, then the − subtree), ["v"] (it vanishes identically: one
 * subtree), ["p",i,h] (a piece with gradient i, entered along h), ["e",y] (an empty cone: Farkas
 * multipliers over the tied neurons on the path), ["b"] (closed by the bound, membership "no" only),
 * ["u"] (not explored: only when "complete" is false). Sparse vectors are lists of [index, value]
 * pairs with increasing indices; dense vectors are arrays; rationals are integers or "a/b" strings.
 */
import { Rational } from '../exact/rational';
import { writeFileAtomic } from '../io/atomic';
import type { PatternNode } from '../clarke/set/enumerate';

export const SET_FORMAT = 'nsad-clarke-set';
export const MEMBERSHIP_FORMAT = 'nsad-clarke-membership';
export const SET_VERSION = 1;

export type J = number | string;
export type SparseJson = Array<[number, J]>;
export type TreeNodeJson = ['s'] | ['v'] | ['p', number, SparseJson] | ['e', SparseJson] | ['b'] | ['u'];
export type HullJson = { exposedBy: SparseJson } | { combination: SparseJson } | null;

/** The JSON form of a Clarke set certificate (`nsad-clarke-set` v1). */
export interface ClarkeSetJson {
  format: typeof SET_FORMAT;
  version: typeof SET_VERSION;
  at: J[];
  complete: boolean;
  tied: Array<[number, number]>;
  gradients: J[][];
  hull?: HullJson[];
  tree: TreeNodeJson[];
}

/** The JSON form of a membership certificate (`nsad-clarke-membership` v1). */
export type MembershipJson =
  | { format: typeof MEMBERSHIP_FORMAT; version: typeof SET_VERSION; at: J[]; vector: J[]; answer: 'yes'; pieces: Array<{ direction: SparseJson; gradient: J[] }>; weights: J[] }
  | { format: typeof MEMBERSHIP_FORMAT; version: typeof SET_VERSION; at: J[]; vector: J[]; answer: 'no'; direction: J[]; tied: Array<[number, number]>; tree: TreeNodeJson[] };

export const denseJson = (v: readonly Rational[]): J[] => v.map((x) => x.toJSON());

export function sparseJson(v: readonly Rational[]): SparseJson {
  const out: SparseJson = [];
  v.forEach((x, i) => {
    if (!x.isZero()) out.push([i, x.toJSON()]);
  });
  return out;
}

export const sparsePairsJson = (v: ReadonlyArray<readonly [number, Rational]>): SparseJson => v.map(([i, x]) => [i, x.toJSON()]);

/**
 * The tree in preorder. `leafNode(i)` gives the line of leaf i (a piece, or in a membership "no"
 * certificate ["b"]: the leaf's exact value is its bound). Iterative (trees can be deep).
 */
export function treeJson(root: PatternNode, leafNode: (leaf: number) => TreeNodeJson): TreeNodeJson[] {
  const out: TreeNodeJson[] = [];
  const stack: PatternNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    switch (n.kind) {
      case 's':
        out.push(['s']);
        stack.push(n.minus, n.plus);
        break;
      case 'v':
        out.push(['v']);
        stack.push(n.child);
        break;
      case 'p':
        out.push(leafNode(n.leaf));
        break;
      case 'e':
        out.push(['e', sparsePairsJson(n.y)]);
        break;
      case 'b':
        out.push(['b']);
        break;
      case 'u':
        out.push(['u']);
        break;
    }
  }
  return out;
}

/**
 * A certificate as text: one line per field and one line per tree node or gradient, so large
 * certificates stay readable and diffable.
 */
export function serializeSetCertificate(c: ClarkeSetJson | MembershipJson): string {
  const lines: string[] = [];
  const entries = Object.entries(c);
  entries.forEach(([k, v], idx) => {
    const last = idx === entries.length - 1;
    const key = JSON.stringify(k);
    if (Array.isArray(v) && (k === 'tree' || k === 'gradients' || k === 'hull' || k === 'pieces') && v.length > 0) {
      lines.push(`  ${key}: [`);
      v.forEach((item, i) => lines.push(`    ${JSON.stringify(item)}${i < v.length - 1 ? ',' : ''}`));
      lines.push(`  ]${last ? '' : ','}`);
    } else lines.push(`  ${key}: ${JSON.stringify(v)}${last ? '' : ','}`);
  });
  return `{\n${lines.join('\n')}\n}\n`;
}

/** Write a set or membership certificate atomically (temporary file, fsync, rename). */
export function writeSetCertificateFile(path: string, c: ClarkeSetJson | MembershipJson): void {
  writeFileAtomic(path, serializeSetCertificate(c));
}
