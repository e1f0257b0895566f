/**
 * Reading the verifier's inputs from file bytes, exactly and independently of the rest of nsad
 * (only the npm library `lossless-json` and the verifier's own modules).
 *
 * Numbers: a JSON number token means exactly the decimal it spells (docs/formats.md "Numbers"):
 * `1.0000000000000001` is not 1. Tokens that are safe integers become JS numbers; every other
 * token is handed to the verifier's rational reader (q.ts `num`) as its decimal text, which it
 * reads exactly. So no value the checker decides on ever passes through a rounded double.
 *
 * Well-formed vs valid: `checkFiles` first reads both files and checks their shape (format,
 * version, fields, dimensions, rationals such as "1/0"); any failure there is `malformed`, naming
 * the file and the JSON path (the CLI exits 2). Only well-formed inputs are judged `valid` or
 * `invalid` (exit 0 / 1).
 */
import { parse } from 'lossless-json';
import { Invalid, arr, obj, readNetwork, vector } from './q';
import { verifyCertificate } from './index';

export type FileCheck =
  | { kind: 'valid' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'malformed'; file: 'network' | 'certificate'; message: string };

class Malformed extends Error {}

/** UTF-8 text of file bytes; UTF-16/32, NUL bytes and invalid UTF-8 are malformed. One BOM is ignored. */
function decode(bytes: Uint8Array): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)))
    throw new Malformed('the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8');
  if (bytes.includes(0)) throw new Malformed('the file contains NUL bytes (UTF-16/32 or binary data?); expected UTF-8 text');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Malformed('not valid UTF-8 text');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parse JSON keeping number tokens exact (see the module comment). */
export function parseExactJson(text: string): unknown {
  try {
    return parse(text, null, {
      parseNumber: (token: string) => (/^-?\d+$/.test(token) && Number.isSafeInteger(Number(token)) ? Number(token) : token),
      onDuplicateKey: ({ key }) => {
        throw new SyntaxError(`duplicate key ${JSON.stringify(key)}`);
      },
    });
  } catch (e) {
    if (e instanceof SyntaxError) throw new Malformed(`not valid JSON (${e.message})`);
    throw e;
  }
}

function stripPrefix(message: string, prefix: string): string {
  return message.startsWith(`${prefix}.`) ? message.slice(prefix.length + 1) : message.startsWith(`${prefix}:`) ? message.slice(prefix.length + 1).trimStart() : message;
}

function stage<T>(file: 'network' | 'certificate', f: () => T): T | FileCheck {
  try {
    return f();
  } catch (e) {
    if (e instanceof Malformed || e instanceof Invalid) return { kind: 'malformed', file, message: stripPrefix(e.message, file) };
    throw e;
  }
}

const isCheck = (v: unknown): v is FileCheck => typeof v === 'object' && v !== null && 'kind' in v;

/** Read, shape-check, then verify a network and a certificate given as file bytes. Never throws on bad input. */
export function checkFiles(networkBytes: Uint8Array, certificateBytes: Uint8Array): FileCheck {
  const netJson = stage('network', () => parseExactJson(decode(networkBytes)));
  if (isCheck(netJson)) return netJson;
  const net = stage('network', () => readNetwork(netJson));
  if (isCheck(net)) return net;
  const certJson = stage('certificate', () => parseExactJson(decode(certificateBytes)));
  if (isCheck(certJson)) return certJson;
  const shape = stage('certificate', () => {
    const c = obj(certJson, 'certificate');
    if (c.format !== 'nsad-clarke-certificate') throw new Invalid(`certificate.format: expected "nsad-clarke-certificate", got ${JSON.stringify(c.format)}`);
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
