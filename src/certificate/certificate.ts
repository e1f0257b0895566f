/**
 * The Clarke certificate (docs/theory.md §6 "Certificate"): two directions h1, h2 from x̄ along which the
 * activation pattern of F is strict, with the gradients of the two pieces entered, g1 ≠ g2. Both
 * gradients are limits of gradients at points x̄ + t·h_k → x̄, hence elements of ∂^c F(x̄).
 *
 *     {"format":"nsad-clarke-certificate","version":1,
 *      "at":[x̄], "directions":[h1,h2], "gradients":[g1,g2]}
 *
 * Rationals are written as JSON integers (when safe) or strings "a/b". Checked by src/verify,
 * which shares no code with this module.
 */
import { Rational } from '../exact/rational';
import { writeFileAtomic } from '../io/atomic';

export const CERTIFICATE_FORMAT = 'nsad-clarke-certificate';
export const CERTIFICATE_VERSION = 1;

/**
 * Two directions from x̄ and the gradients of the two pieces they enter, g1 ≠ g2: a checkable
 * proof that ∂^c F(x̄) has two elements (docs/theory.md §6).
 */
export interface ClarkeCertificate {
  at: Rational[];
  directions: [Rational[], Rational[]];
  gradients: [Rational[], Rational[]];
}

/** The JSON form of a certificate (`nsad-clarke-certificate`, version 1; docs/formats.md). */
export interface ClarkeCertificateJson {
  format: typeof CERTIFICATE_FORMAT;
  version: typeof CERTIFICATE_VERSION;
  at: (number | string)[];
  directions: (number | string)[][];
  gradients: (number | string)[][];
}

const vec = (v: readonly Rational[]): (number | string)[] => v.map((r) => r.toJSON());

/** The JSON form of a certificate, rationals as integers or "a/b" strings. */
export function certificateToJson(c: ClarkeCertificate): ClarkeCertificateJson {
  return {
    format: CERTIFICATE_FORMAT,
    version: CERTIFICATE_VERSION,
    at: vec(c.at),
    directions: c.directions.map(vec),
    gradients: c.gradients.map(vec),
  };
}

/** One line per field, so large certificates stay readable. */
export function serializeCertificate(c: ClarkeCertificate): string {
  const j = certificateToJson(c);
  return (
    `{"format": "${j.format}", "version": ${j.version},\n` +
    `  "at": ${JSON.stringify(j.at)},\n` +
    `  "directions": [\n    ${j.directions.map((d) => JSON.stringify(d)).join(',\n    ')}\n  ],\n` +
    `  "gradients": [\n    ${j.gradients.map((d) => JSON.stringify(d)).join(',\n    ')}\n  ]\n}\n`
  );
}

/** Write a certificate file atomically (temporary file, fsync, rename). */
export function writeCertificateFile(path: string, c: ClarkeCertificate): void {
  writeFileAtomic(path, serializeCertificate(c));
}
