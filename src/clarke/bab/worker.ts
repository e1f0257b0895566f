/**
 * A worker thread of the parallel branch and bound (./parallel.ts): one CDCL search (./cdcl.ts)
 * over the canonical DAG the coordinator sent, kept across the cubes it is given, so that what it
 * learns on one cube serves the next. Protocol (structured clone):
 *   init (workerData): the DAG, σ, g, the theory lemmas the coordinator already has (cubes), limits;
 *   in:  { cube: number[] }  — search the box cut by these sign literals;
 *   out: { kind: 'closed', lemma, lemmas, stats } — local lemma id closing the cube, and the lemmas
 *        learned since the last message (cube, proof; ids < shared.length are the shared ones);
 *        { kind: 'unsat', root, lemmas, stats } — the whole box; { kind: 'witness', point, value };
 *        { kind: 'unknown', reason }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Rational } from '../../exact/rational';
import type { CanonicalDag } from '../../verify/proof';
import { floatDag } from './bounds';
import { LeafCloser } from './leaf';
import { objective, type BabProblem } from './problem';
import { NetworkTheory } from './theory';
import { Cdcl, type Lemma } from './cdcl';
import { MAX_DEPTH_TREE } from './tree';

export interface WorkerInit {
  dag: CanonicalDag;
  sigma: 1 | -1;
  gradient: string[];
  shared: number[][];
  /** Absolute deadline (Date.now() milliseconds). */
  deadlineEpoch: number;
  timeLimitSec: number;
}

export interface SerializedLemma {
  cube: number[];
  proof: Lemma['proof'];
}

const init = workerData as WorkerInit;
const prob: BabProblem = { p: init.dag.p, dag: init.dag, fdag: floatDag(init.dag), hash: '' };
const g = init.gradient.map((s) => Rational.parse(s)!);
const obj = objective(prob, g, init.sigma);
const closer = new LeafCloser(prob, obj);
const deadline = performance.now() + (init.deadlineEpoch - Date.now());
const treeStats = { nodes: 0, leaves: 0, maxDepth: 0 };
const limits = { deadline, budget: { nodes: 0, limit: Infinity }, maxDepth: MAX_DEPTH_TREE, timeLimitSec: init.timeLimitSec };
const theory = new NetworkTheory(prob, obj, closer, limits, treeStats);
const cdcl = new Cdcl(prob.p, theory, { eagerTheory: false, deadline, timeLimitSec: init.timeLimitSec });
for (const cube of init.shared) cdcl.addLemma({ cube: Int32Array.from(cube), proof: { kind: 'lines', lines: [], nodes: 0, leaves: 0 } });
let sent = init.shared.length;

function fresh(): SerializedLemma[] {
  const out = cdcl.lemmas.slice(sent).map((l) => ({ cube: Array.from(l.cube), proof: l.proof }));
  sent = cdcl.lemmas.length;
  return out;
}
/** Counts since the last message (the coordinator adds them up). */
let last: Record<string, number> = {};
function stats(): Record<string, number> {
  const now: Record<string, number> = { ...cdcl.stats, bounds: treeStats.nodes, leaves: treeStats.leaves, subSearches: theory.subSearches, exactRejects: closer.exactRejects };
  const d: Record<string, number> = {};
  for (const [k, v] of Object.entries(now)) d[k] = v - (last[k] ?? 0);
  last = now;
  return d;
}

parentPort!.on('message', (m: { cube: number[] }) => {
  const r = cdcl.solve(m.cube);
  if (r.kind === 'closed') parentPort!.postMessage({ kind: 'closed', lemma: r.lemma, lemmas: fresh(), stats: stats() });
  else if (r.kind === 'unsat') parentPort!.postMessage({ kind: 'unsat', root: r.root, lemmas: fresh(), stats: stats() });
  else if (r.kind === 'witness') {
    const w = r.point as { point: Rational[]; value: Rational };
    parentPort!.postMessage({ kind: 'witness', point: w.point.map(String), value: String(w.value), stats: stats() });
  } else parentPort!.postMessage({ kind: 'unknown', reason: r.reason, stats: stats() });
});
parentPort!.postMessage({ kind: 'ready' });
