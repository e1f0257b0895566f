/**
 * How the answer of a generated network instance is known, checked at generation: the
 * construction's own certificate, or what the branch and bound (decideClarke, solver bab, one
 * thread) finds — a certificate of `two` or an exact proof of `singleton` — each re-checked here
 * by the independent verifier (src/verify: verifyCertificate, verifyProof). A checked answer that
 * contradicts the construction's is a bug of one of them and throws; an instance the search does
 * not settle within the limit keeps the construction's answer with no search evidence.
 */
import { decideClarke } from '../../src/clarke/decide';
import { networkToJson } from '../../src/network/format';
import { certificateToJson, serializeCertificate, type ClarkeCertificate } from '../../src/certificate/certificate';
import { ProofBuffer } from '../../src/certificate/proof';
import { verifyCertificate } from '../../src/verify/index';
import { verifyProof } from '../../src/verify/proof';
import type { Expected, NetInstance } from './types';

/** The evidence written beside an instance: a certificate (JSON) or a proof (JSON Lines), or none. */
export interface Evidence {
  /** The answer the evidence shows ('unknown' when there is none). */
  answer: Expected;
  kind: 'certificate' | 'proof' | 'none';
  /** The file's text (certificate JSON, proof JSON Lines). */
  text?: string;
  /** Where it came from. */
  source: 'construction' | 'search' | 'none';
  /** One line: what the answer rests on and how it was checked. */
  restsOn: string;
  /** Milliseconds of the search (absent for a construction's certificate) and of the independent check. */
  searchMs?: number;
  checkMs: number;
}

export interface EvidenceOptions {
  /** Wall-clock limit of the search, seconds. */
  timeLimitSec: number;
}

function checkCertificate(inst: NetInstance, cert: ClarkeCertificate, source: 'construction' | 'search', searchMs?: number): Evidence {
  const t0 = performance.now();
  const v = verifyCertificate(networkToJson(inst.net), certificateToJson(cert));
  const checkMs = performance.now() - t0;
  if (!v.valid) throw new Error(`${inst.name}: the ${source}'s certificate failed the independent verifier: ${v.reason}`);
  return {
    answer: 'two',
    kind: 'certificate',
    text: serializeCertificate(cert),
    source,
    restsOn: `certificate from the ${source}, checked by src/verify (verifyCertificate, exact)`,
    ...(searchMs === undefined ? {} : { searchMs }),
    checkMs,
  };
}

/**
 * The evidence of `inst`'s answer. Post: answer 'two' ⇒ a certificate valid for src/verify;
 * 'singleton' ⇒ a proof valid for src/verify/proof.ts with both signs; an answer other than
 * 'unknown' equals `inst.expected` unless that is 'unknown'. Throws Error on a contradiction.
 */
export async function certifyInstance(inst: NetInstance, opts: EvidenceOptions): Promise<Evidence> {
  if (inst.certificate) {
    if (inst.expected !== 'two') throw new Error(`${inst.name}: a construction certificate for an expected ${inst.expected}`);
    return checkCertificate(inst, inst.certificate, 'construction');
  }
  const buf = new ProofBuffer();
  const t0 = performance.now();
  const a = await decideClarke(inst.net, { at: inst.at, solver: 'bab', jobs: 1, seed: 1, timeLimitSec: opts.timeLimitSec, proofSink: buf.sink, reduction: inst.reduction === true });
  const searchMs = performance.now() - t0;
  const contradiction = (got: string): never => {
    throw new Error(`${inst.name}: the construction says ${inst.expected} but the checked search says ${got} (${a.restsOn})`);
  };
  if (a.answer === 'two') {
    if (!a.certificate) throw new Error(`${inst.name}: decideClarke answered two without a certificate`);
    if (inst.expected === 'singleton') contradiction('two');
    return checkCertificate(inst, a.certificate, 'search', searchMs);
  }
  if (a.answer === 'singleton' && a.exact && a.proofLeaves !== undefined) {
    if (inst.expected === 'two') contradiction('singleton');
    const t1 = performance.now();
    const v = verifyProof(networkToJson(inst.net), buf.lines);
    const checkMs = performance.now() - t1;
    if (!v.valid || !v.singleton) throw new Error(`${inst.name}: the search's proof failed the independent checker: ${v.reason ?? 'not both signs'}`);
    return {
      answer: 'singleton',
      kind: 'proof',
      text: buf.text(),
      source: 'search',
      restsOn: `exact proof from the branch and bound (${v.leaves} leaves), checked by src/verify/proof.ts`,
      searchMs,
      checkMs,
    };
  }
  return { answer: 'unknown', kind: 'none', source: 'none', restsOn: `no evidence: ${a.answer}${a.answer === 'singleton' ? ' without a proof' : ''} within ${opts.timeLimitSec} s (${a.restsOn})`, searchMs, checkMs: 0 };
}
