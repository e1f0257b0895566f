/**
 * Reading the verifier's inputs from file bytes, exactly and independently of the rest of nsad
 * (the verifier's own JSON reader ./json.ts: a number token means the decimal it spells).
 *
 * Well-formed vs valid: `checkFiles` first reads both files and checks their shape (format,
 * version, fields, dimensions, rationals such as "1/0"); any failure there is `malformed`, naming
 * the file and the JSON path (the CLI exits 2). Only well-formed inputs are judged `valid` or
 * `invalid` (exit 0 / 1).
 */
import { Invalid, arr, obj, readNetwork, vector } from './q';
import { verifyCertificate } from './index';
import { verifySet, verifyMembership, SET_FORMAT, MEMBERSHIP_FORMAT } from './set';
import { NotJson, decodeText, parseExactJson } from './json';

export { parseExactJson, decodeText } from './json';

export type FileCheck =
  /** `claim`: what a valid set or membership certificate proves, in words (absent for a Clarke certificate). */
  | { kind: 'valid'; claim?: string; detail?: Record<string, unknown> }
  | { kind: 'invalid'; reason: string }
  | { kind: 'malformed'; file: 'network' | 'certificate'; message: string };

function stripPrefix(message: string, prefix: string): string {
  return message.startsWith(`${prefix}.`) ? message.slice(prefix.length + 1) : message.startsWith(`${prefix}:`) ? message.slice(prefix.length + 1).trimStart() : message;
}

function stage<T>(file: 'network' | 'certificate', f: () => T): T | FileCheck {
  try {
    return f();
  } catch (e) {
    if (e instanceof NotJson || e instanceof Invalid) return { kind: 'malformed', file, message: stripPrefix(e.message, file) };
    throw e;
  }
}

const isCheck = (v: unknown): v is FileCheck => typeof v === 'object' && v !== null && 'kind' in v;

/** Read, shape-check, then verify a network and a certificate given as file bytes. Never throws on bad input. */
export function checkFiles(networkBytes: Uint8Array, certificateBytes: Uint8Array): FileCheck {
  const netJson = stage('network', () => parseExactJson(decodeText(networkBytes)));
  if (isCheck(netJson)) return netJson;
  const net = stage('network', () => readNetwork(netJson));
  if (isCheck(net)) return net;
  const certJson = stage('certificate', () => parseExactJson(decodeText(certificateBytes)));
  if (isCheck(certJson)) return certJson;
  const fmt = typeof certJson === 'object' && certJson !== null ? (certJson as { format?: unknown }).format : undefined;
  if (fmt === SET_FORMAT || fmt === MEMBERSHIP_FORMAT) return checkSetFile(netJson, certJson, fmt);
  const shape = stage('certificate', () => {
    const c = obj(certJson, 'certificate');
    if (c.format !== 'nsad-clarke-certificate')
      throw new Invalid(`certificate.format: expected "nsad-clarke-certificate", "${SET_FORMAT}" or "${MEMBERSHIP_FORMAT}", got ${JSON.stringify(c.format)}`);
    if (c.version !== 1) throw new Invalid(`certificate.version: expected 1, got ${JSON.stringify(c.version)}`);
    vector(c.at, 'certificate.at', net.p);
    arr(c.directions, 'certificate.directions', 2).forEach((h, k) => vector(h, `certificate.directions[${k}]`, net.p));
    arr(c.gradients, 'certificate.gradients', 2).forEach((g, k) => vector(g, `certificate.gradients[${k}]`, net.p));
    return true;
  });
  if (isCheck(shape)) return shape;
  const r = verifyCertificate(netJson, certJson);
  return r.valid ? { kind: 'valid' } : { kind: 'invalid', reason: r.reason ?? 'invalid' };
}

/** Clarke set and membership certificates (src/verify/set.ts), with the claim in words. */
function checkSetFile(netJson: unknown, certJson: unknown, fmt: string): FileCheck {
  if (fmt === SET_FORMAT) {
    const r = verifySet(netJson, certJson);
    if (r.malformed) return { kind: 'malformed', file: r.malformed, message: stripPrefix(r.reason ?? 'malformed', r.malformed) };
    if (!r.valid) return { kind: 'invalid', reason: r.reason ?? 'invalid' };
    const hull = r.hull === 'all' ? `, ${r.extremePoints} extreme point(s) (checked)` : r.hull === 'some' ? ', some extreme points checked' : '';
    const claim = r.complete
      ? `the Clarke subdifferential is the convex hull of the ${r.gradients} gradient(s) listed (${r.pieces} piece(s), complete)${hull}`
      : `the ${r.gradients} gradient(s) listed are Clarke subgradients (${r.pieces} piece(s); partial, not claimed complete)${hull}`;
    return { kind: 'valid', claim, detail: { ...r } };
  }
  const r = verifyMembership(netJson, certJson);
  if (r.malformed) return { kind: 'malformed', file: r.malformed, message: stripPrefix(r.reason ?? 'malformed', r.malformed) };
  if (!r.valid) return { kind: 'invalid', reason: r.reason ?? 'invalid' };
  const claim = r.answer === 'yes' ? 'the vector is in the Clarke subdifferential (exact convex weights)' : 'the vector is not in the Clarke subdifferential (separating direction with an exact bound)';
  return { kind: 'valid', claim, detail: { ...r } };
}
