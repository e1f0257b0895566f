/**
 * The Clarke question answered by the branch and bound (docs/theory.md §6, §8): one Clarke
 * subgradient g from a direction with a strict pattern (as decideClarke does), then `babDecide`:
 *   - a witness h with σ·(G(h) − g·h) > 0 (exact) → a certificate of `two` built near h
 *     (certifyWitness) and checked by src/verify before it is returned;
 *   - a proof for both signs → `singleton` {g}, exact; the proof lines went to `proofSink`
 *     (the caller writes them atomically and may re-check them with src/verify/proof.ts);
 *   - otherwise `unknown`.
 */
import { Rational, ZERO } from '../../exact/rational';
import { Rng } from '../../exact/rng';
import type { Network } from '../../network/network';
import { networkToJson } from '../../network/format';
import { certificateToJson, type ClarkeCertificate } from '../../certificate/certificate';
import type { ProofSink } from '../../certificate/proof';
import { verifyCertificate } from '../../verify';
import { localize, genericDirection } from '../localize';
import { certifyWitness } from '../decide';
import { babDecide, type BabProgress, type BabResult } from './index';

export interface BabClarkeOptions {
  at?: readonly Rational[];
  seed?: number;
  timeLimitSec?: number;
  nodeLimit?: number;
  proofSink?: ProofSink;
  progress?: (p: BabProgress) => void;
  producer?: Record<string, unknown>;
}

export interface BabClarkeAnswer {
  answer: 'two' | 'singleton' | 'unknown';
  /** True for `two` with a verified certificate and for `singleton` with a proof. */
  exact: boolean;
  subgradients?: Rational[][];
  certificate?: ClarkeCertificate;
  restsOn: string;
  bab: BabResult | null;
  timeMs: number;
}

export function babClarke(net: Network, opts: BabClarkeOptions = {}): BabClarkeAnswer {
  const t0 = performance.now();
  const p = net.inputDim;
  const at = opts.at ? opts.at.slice() : Array.from({ length: p }, () => ZERO);
  const rng = new Rng(opts.seed ?? 1);
  const loc = localize(net, at);
  const gen = genericDirection(net, loc.preAtBar, rng);
  const done = (a: Omit<BabClarkeAnswer, 'timeMs'>): BabClarkeAnswer => ({ ...a, timeMs: performance.now() - t0 });
  if (gen === null || gen.pass.gradient === null)
    return done({ answer: 'unknown', exact: false, restsOn: 'no direction with a certifiable activation pattern was found for a first subgradient', bab: null });
  const g = gen.pass.gradient;
  const r = babDecide(net, { at, gradient: g, timeLimitSec: opts.timeLimitSec, nodeLimit: opts.nodeLimit, proofSink: opts.proofSink, progress: opts.progress, producer: opts.producer });
  if (r.kind === 'proof')
    return done({
      answer: 'singleton',
      exact: true,
      subgradients: [g],
      restsOn: `exact proof (nsad-clarke-proof): G(h) − g·h = 0 on [-1,1]^p by branch and bound, ${r.proofLemmas > 0 ? `${r.proofLemmas} lemmas, ` : ''}${r.leaves} leaves, each bound checked in exact arithmetic`,
      bab: r,
    });
  if (r.kind === 'unknown') return done({ answer: 'unknown', exact: false, restsOn: `bab: ${r.reason}`, bab: r });
  // A witness: D ≠ 0, so G is not linear. Build and check a certificate near it.
  const xs = r.point.map((v) => v.toNumber());
  const w = certifyWitness(net, loc.preAtBar, xs, g, rng);
  if (w === null)
    return done({
      answer: 'unknown',
      exact: false,
      restsOn: `bab found h with ${r.sign > 0 ? '' : '−'}(G(h) − g·h) = ${r.value} > 0 exactly (so ∂^c F(x̄) is not a singleton), but no certifiable direction near it`,
      bab: r,
    });
  const certificate: ClarkeCertificate = { at, directions: [gen.h, w.h], gradients: [g, w.gradient] };
  const check = verifyCertificate(networkToJson(net), certificateToJson(certificate));
  if (!check.valid) throw new Error(`internal: a certificate built from exact checks failed the verifier: ${check.reason}`);
  return done({
    answer: 'two',
    exact: true,
    subgradients: [g, w.gradient],
    certificate,
    restsOn: 'certificate checked exactly by src/verify; second direction near the point where bab found σ·(G − g·h) > 0',
    bab: r,
  });
}
