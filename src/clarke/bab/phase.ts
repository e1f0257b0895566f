/**
 * The branch and bound as a phase of decideClarke (`--solver bab`), or after a MILP backend's
 * numerical `singleton` to turn it into an exact proof (`--proof FILE`): given the localized
 * network, the first subgradient g and the RNG of the decision, run `babDecide` and report
 *   - `two`: a rational point near which certifyWitness found a second piece gradient (the caller
 *     builds the certificate and has src/verify check it, as for a solver's point);
 *   - `singleton`: a proof for both signs (streamed to `proofSink`), each leaf checked exactly
 *     during the search, and the whole proof (coverage, counts, every leaf) re-checked by the
 *     independent checker src/verify/proof.ts before `singleton` is answered (docs/theory.md §8);
 *   - `unknown`: a limit, or a witness without a certifiable direction nearby.
 */
import type { Rational } from '../../exact/rational';
import type { Network } from '../../network/network';
import type { ProofSink } from '../../certificate/proof';
import { networkToJson } from '../../network/format';
import { verifyProof } from '../../verify/proof';
import { formatBabProgress, type BabResult } from './index';
import { babDecideAsync } from './parallel';

/** "12 lemmas, 40 leaves" / "40 leaves": what a proof holds. */
export function proofSummary(b: BabResult): string {
  return b.proofLemmas > 0 ? `${b.proofLemmas} lemmas, ${b.leaves} leaves searched` : `${b.leaves} leaves`;
}

export type BabPhaseResult =
  | { kind: 'two'; witness: { h: Rational[]; gradient: Rational[]; strict: boolean }; how: string; bab: BabResult }
  | { kind: 'singleton'; restsOn: string; bab: BabResult; checkMs: number }
  | { kind: 'unknown'; restsOn: string; bab: BabResult };

export interface BabPhaseOptions {
  timeLimitSec: number;
  nodeLimit?: number;
  proofSink?: ProofSink;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
  producer?: Record<string, unknown>;
  /** Threads for the search (./parallel.ts); default 1. */
  jobs?: number;
  /** The clock of the phase's deadline (milliseconds; default performance.now): a parameter for tests. */
  clock?: () => number;
}

/** decideClarke's certifyWitness, bound to the network, x̄'s pre-activations, g and the RNG. */
export type Certify = (xs: readonly number[]) => { h: Rational[]; gradient: Rational[]; strict: boolean } | null;

export async function runBabPhase(net: Network, at: readonly Rational[], g: readonly Rational[], certify: Certify, opts: BabPhaseOptions): Promise<BabPhaseResult> {
  const log = opts.log;
  // The limit covers the whole phase, the final check included (issue 20: a limit covers the whole
  // command): the checker reads the proof through `untilDeadline`, which stops at the deadline.
  const clock = opts.clock ?? (() => performance.now());
  const deadline = clock() + Math.max(0.1, opts.timeLimitSec) * 1000;
  // Every proof is also kept in memory (≈ 65 bytes a leaf: 0.6 MB for uuf100-430) so that the
  // independent checker sees it whole, whether or not the caller asked for a file.
  const lines: string[] = [];
  const userSink = opts.proofSink;
  const bab = await babDecideAsync(net, {
    jobs: opts.jobs,
    at,
    gradient: g,
    timeLimitSec: Math.max(0.1, opts.timeLimitSec),
    nodeLimit: opts.nodeLimit,
    proofSink: (line) => {
      lines.push(line);
      userSink?.(line);
    },
    progress: log ? (p) => log(formatBabProgress(p)) : undefined,
    producer: opts.producer,
  });
  log?.(`bab: ${bab.kind} after ${bab.nodes} nodes, ${bab.leaves} leaves, ${(bab.timeMs / 1000).toFixed(2)} s`);
  if (bab.kind === 'proof') {
    const t = performance.now();
    let read = 0;
    let late = false;
    function* untilDeadline(): Generator<string> {
      for (const line of lines) {
        if ((read & 63) === 0 && clock() > deadline) {
          late = true;
          return;
        }
        read++;
        yield line;
      }
    }
    const check = verifyProof(networkToJson(net), untilDeadline());
    if (late) {
      const reason = `time limit reached while the independent checker re-checked the proof found by the search (${read} of ${lines.length} lines checked in ${((performance.now() - t) / 1000).toFixed(1)} s); hint: singleton`;
      log?.(`bab: ${reason}`);
      return { kind: 'unknown', bab, restsOn: `bab: ${reason}` };
    }
    // The search checks each leaf with the checker's own bound routine, so a rejection here is a bug.
    if (!check.valid) throw new Error(`internal: a branch-and-bound proof failed the independent checker: ${check.reason}`);
    const checkMs = performance.now() - t;
    log?.(`bab: proof re-checked by src/verify/proof.ts in ${(checkMs / 1000).toFixed(2)} s`);
    return {
      kind: 'singleton',
      bab,
      checkMs,
      restsOn: `exact proof by branch and bound (nsad-clarke-proof; ${proofSummary(bab)}), checked whole by the independent verifier (src/verify/proof.ts, exact arithmetic, ${checkMs.toFixed(0)} ms): G(h) − g·h = 0 on [-1,1]^p, so the Clarke subdifferential is {g}`,
    };
  }
  if (bab.kind === 'unknown') return { kind: 'unknown', bab, restsOn: `bab: ${bab.reason}` };
  const w = certify(bab.point.map((v) => v.toNumber()));
  if (w === null)
    return {
      kind: 'unknown',
      bab,
      restsOn: `bab found h with ${bab.sign > 0 ? '' : '−'}(G(h) − g·h) = ${bab.value} > 0 exactly (the subdifferential is not a singleton) but no certifiable direction near it`,
    };
  return { kind: 'two', witness: w, how: `near the point where bab found ${bab.sign > 0 ? '' : '−'}(G(h) − g·h) = ${bab.value} > 0`, bab };
}
