/**
 * The branch and bound on several threads (`--jobs N`; docs/theory.md §8 "Learning"): a
 * sequential warm-up in this thread, then cube and conquer.
 *
 *   1. Warm-up: the CDCL search of ./index.ts alone for `warmUpSec` (default 1 s). Most instances
 *      end here; threads cost a start-up of their own and would only slow them down.
 *   2. Split: the k most active variables of the warm-up (k = ⌈log2 N⌉ + 3) cut the box into 2^k
 *      cubes. N worker threads (./worker.ts) take cubes from a queue, one at a time; each keeps its
 *      CDCL state (its lemmas) from cube to cube and starts with the theory lemmas of the warm-up.
 *      A cube is closed by a lemma whose cube is a subset of it; a lemma that also contains
 *      cubes still queued closes those too (they are never searched).
 *   3. One proof: the warm-up's theory lemmas, then every worker's lemmas in the order they
 *      arrived (a worker's lemmas cite only shared ones and its own earlier ones), then the tree
 *      of splits over the k variables whose leaves cite the lemma closing each cube; trimmed and
 *      checked like any other (./index.ts cdclProofLines).
 * The answer does not depend on the number of threads: `singleton` only with a whole proof, `two`
 * only with an exact witness; which proof or witness comes first may.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { Rational, ZERO } from '../../exact/rational';
import type { Network } from '../../network/network';
import type { ProofSign } from '../../certificate/proof';
import type { Cdcl, Lemma, LemmaProof, Steps } from './cdcl';
import { babDecideProblem, babProblem, cdclProofLines, finishRun, runContext, searchSign, type BabOptions, type BabResult, type RunContext, type SignOutcome } from './index';
import type { SerializedLemma, WorkerInit } from './worker';

const BOOT = fileURLToPath(new URL('../../io/worker-boot.mjs', import.meta.url));
const WORKER = new URL('./worker', import.meta.url).href;

/** Resolution steps with their lemma ids mapped (a worker's ids to the proof's). */
function mapSteps(st: Steps, g: (id: number) => number): Steps {
  const out = st.slice();
  for (let k = 2; k < out.length; k += 3) out[k] = g(out[k]!);
  return out;
}

export interface ParallelOptions {
  /** Worker threads after the warm-up (default 1: no threads). */
  jobs?: number;
  /** Seconds of sequential search before the threads start (default 1). */
  warmUpSec?: number;
}

/** babDecide on up to `jobs` threads (see the module comment). */
export async function babDecideAsync(net: Network, opts: BabOptions & ParallelOptions): Promise<BabResult> {
  const t0 = performance.now();
  const at = opts.at ?? Array.from({ length: net.inputDim }, () => ZERO);
  const prob = babProblem(net, at);
  const jobs = Math.max(1, Math.floor(opts.jobs ?? 1));
  if (jobs === 1 || (opts.strategy ?? 'cdcl') !== 'cdcl') return babDecideProblem(prob, at, opts, t0);
  const ctx = runContext(prob, at, opts, t0);
  const outcomes: Array<{ sigma: ProofSign; outcome: SignOutcome }> = [];
  for (const sigma of opts.signs ?? [1, -1]) {
    let outcome = searchSign(ctx, sigma, performance.now() + (opts.warmUpSec ?? 1) * 1000);
    if (outcome.kind === 'pending') outcome = await conquer(ctx, outcome.cdcl, sigma, jobs);
    outcomes.push({ sigma, outcome });
    if (outcome.kind !== 'proof') break;
  }
  return finishRun(ctx, outcomes);
}

type Reply =
  | { kind: 'ready' }
  | { kind: 'closed'; lemma: number; lemmas: SerializedLemma[]; stats: Record<string, number> }
  | { kind: 'unsat'; root: LemmaProof & { kind: 'resolution' }; lemmas: SerializedLemma[]; stats: Record<string, number> }
  | { kind: 'witness'; point: string[]; value: string; stats: Record<string, number> }
  | { kind: 'unknown'; reason: string; stats: Record<string, number> };

/** Steps 2 and 3 for one sign, after an unfinished warm-up. */
async function conquer(ctx: RunContext, warm: Cdcl, sigma: ProofSign, jobs: number): Promise<SignOutcome> {
  const { prob, opts, stats } = ctx;
  // The warm-up's theory lemmas (their proofs are leaves on their own cubes) are shared.
  const shared: Lemma[] = warm.lemmas.filter((l) => l.proof.kind === 'lines');
  const global: Lemma[] = shared.slice();
  const k = Math.ceil(Math.log2(jobs)) + 3;
  const vars = warm.topVariables(k);
  const nCubes = 1 << vars.length;
  const cubeLits = (idx: number): number[] => vars.map((v, j) => 2 * v + (((idx >> j) & 1) === 1 ? 0 : 1));
  const closedBy = new Array<number>(nCubes).fill(-1);
  const queue = Array.from({ length: nCubes }, (_, i) => i);
  const init: WorkerInit = {
    dag: prob.dag,
    sigma,
    gradient: opts.gradient.map(String),
    shared: shared.map((l) => Array.from(l.cube)),
    deadlineEpoch: Date.now() + (ctx.deadline - performance.now()),
    timeLimitSec: ctx.timeLimitSec,
  };
  const workers: Worker[] = [];
  const toGlobal: number[][] = [];
  const absorb = (st: Record<string, number>): void => {
    stats.decisions += st.decisions ?? 0;
    stats.conflicts += st.conflicts ?? 0;
    stats.nodes += st.bounds ?? 0;
    stats.leaves += st.leaves ?? 0;
    stats.subSearches += st.subSearches ?? 0;
    stats.exactRejects += st.exactRejects ?? 0;
  };
  try {
    return await new Promise<SignOutcome>((resolve, reject) => {
      let busy = 0;
      let done = false;
      const end = (o: SignOutcome): void => {
        if (done) return;
        done = true;
        resolve(o);
      };
      const dispatch = (w: Worker, wi: number): void => {
        while (queue.length > 0 && closedBy[queue[0]!]! >= 0) queue.shift();
        const idx = queue.shift();
        if (idx === undefined) {
          if (busy === 0) {
            if (closedBy.some((c) => c < 0)) return reject(new Error('internal: a cube left open'));
            end({ kind: 'proof', proof: cdclProofLines(global, { kind: 'cubes', vars, leaf: closedBy }, opts.proofStyle ?? 'rup') });
          }
          return;
        }
        busy++;
        (w as Worker & { cube?: number }).cube = idx;
        w.postMessage({ cube: cubeLits(idx) });
        void wi;
      };
      /** A worker's lemmas into the global list (its ids below shared.length are the shared ones). */
      const adopt = (wi: number, lemmas: SerializedLemma[]): void => {
        const map = toGlobal[wi]!;
        const g = (id: number): number => (id < shared.length ? id : map[id - shared.length]!);
        for (const l of lemmas) {
          const proof: LemmaProof = l.proof.kind === 'resolution' ? { kind: 'resolution', base: g(l.proof.base), steps: mapSteps(l.proof.steps, g) } : l.proof;
          map.push(global.length);
          global.push({ cube: Int32Array.from(l.cube), proof });
        }
        stats.lemmas += lemmas.length;
      };
      for (let wi = 0; wi < Math.min(jobs, nCubes); wi++) {
        const w = new Worker(BOOT, { workerData: { ...init, bootModule: WORKER } });
        workers.push(w);
        toGlobal.push([]);
        w.on('error', (e) => (done ? undefined : reject(e)));
        w.on('message', (m: Reply) => {
          if (done) return;
          if (m.kind === 'ready') return dispatch(w, wi);
          busy--;
          absorb(m.stats);
          if (m.kind === 'witness') return end({ kind: 'witness', point: m.point.map((s) => Rational.parse(s)!), value: Rational.parse(m.value)! });
          if (m.kind === 'unknown') return end({ kind: 'unknown', reason: m.reason });
          adopt(wi, m.lemmas);
          const g = (id: number): number => (id < shared.length ? id : toGlobal[wi]![id - shared.length]!);
          if (m.kind === 'unsat') {
            const root: LemmaProof & { kind: 'resolution' } = { kind: 'resolution', base: g(m.root.base), steps: mapSteps(m.root.steps, g) };
            return end({ kind: 'proof', proof: cdclProofLines(global, root, opts.proofStyle ?? 'rup') });
          }
          // `closed`: the lemma closes this cube, and every queued cube that contains its literals.
          const L = g(m.lemma);
          const lits = new Set(global[L]!.cube);
          closedBy[(w as Worker & { cube?: number }).cube!] = L;
          for (let idx = 0; idx < nCubes; idx++) if (closedBy[idx]! < 0 && cubeLits(idx).filter((l) => lits.has(l)).length === lits.size) closedBy[idx] = L;
          dispatch(w, wi);
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
