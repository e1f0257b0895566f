/**
 * Deep networks through the Clarke side (issue 20): no pass recurses as deep as the network.
 * A chain of width-1 layers tied at 0 (F = relu∘…∘relu = relu: two), the same chain beside a
 * carried copy of its input (F = relu^L(x) − relu(x) ≡ 0: singleton, whose proof needs bounds
 * through the whole chain), and forged proofs on a deep chain (refused, not a stack overflow).
 * The 10^5-layer chain runs with NSAD_HEAVY=1.
 */
import { describe, it, expect } from 'vitest';

import { networkOf, type Network } from '../../src/network/network';
import { networkToJson } from '../../src/network/format';
import { decideClarke } from '../../src/clarke/decide';
import { certificateToJson } from '../../src/certificate/certificate';
import { ProofBuffer } from '../../src/certificate/proof';
import { verifyCertificate } from '../../src/verify';
import { verifyProof, networkHash } from '../../src/verify/proof';
import { readNetwork } from '../../src/verify/q';
import { DEEP_DAG } from '../../src/clarke/bab/bounds';
import { trivialProof } from '../helpers/proofs';

/** relu applied L times to x. */
function chain(L: number): Network {
  return networkOf(1, [...Array.from({ length: L }, () => [[1]]), [[1]]]);
}
/** relu^L(x) − relu(x), the copy of x carried by relu(v) − relu(−v) pairs: ≡ 0. */
function chainMinusRelu(L: number): Network {
  const layers: number[][][] = [[[1], [1], [-1]]];
  for (let l = 2; l < L; l++) layers.push([[1, 0, 0], [0, 1, -1], [0, -1, 1]]);
  layers.push([[1, 0, 0], [0, 1, -1]]);
  layers.push([[1, -1]]);
  return networkOf(1, layers);
}

async function twoWithCertificate(net: Network): Promise<void> {
  const a = await decideClarke(net, { timeLimitSec: 120, jobs: 1 });
  expect(a.answer).toBe('two');
  expect(verifyCertificate(networkToJson(net), certificateToJson(a.certificate!)).valid).toBe(true);
}

describe('deep networks', () => {
  it('a 3,000-layer chain tied at 0: two, and the certificate checks', async () => {
    await twoWithCertificate(chain(3000));
  }, 60_000);

  it(`relu^L(x) − relu(x) with L = 400 (deeper than DEEP_DAG = ${DEEP_DAG}): singleton, with a proof the checker accepts`, async () => {
    const net = chainMinusRelu(400);
    const buf = new ProofBuffer();
    const a = await decideClarke(net, { timeLimitSec: 120, proofSink: buf.sink, jobs: 1 });
    expect(a.answer).toBe('singleton');
    expect(a.exact).toBe(true);
    const c = verifyProof(networkToJson(net), buf.text());
    expect(c.valid, c.reason).toBe(true);
    expect(c.singleton).toBe(true);
  }, 60_000);

  it('a forged one-leaf proof on a 2,500-layer chain is refused (a bound through the whole chain, no stack overflow)', () => {
    const net = chain(2500);
    const j = networkToJson(net);
    const { p, layers } = readNetwork(j);
    const r = verifyProof(j, trivialProof(networkHash(p, layers), '0', '0'));
    expect(r.valid).toBe(false);
    expect(r.reason).toMatch(/leaf bound 1 > 0/);
  }, 60_000);

  it.runIf(process.env.NSAD_HEAVY === '1')('a 10^5-layer chain (the format limit): two, and the certificate checks', async () => {
    await twoWithCertificate(chain(99_999));
  }, 300_000);
});

