/**
 * The verifier's own exact arithmetic and JSON reading (BigInt fractions, network reader), shared by
 * the certificate checker (index.ts) and the proof checker (proof.ts). Like the rest of src/verify it
 * imports nothing from the toolkit, so a bug elsewhere cannot make it accept a wrong claim.
 */

export type Q = { n: bigint; d: bigint };

export function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
export function q(n: bigint, d: bigint = 1n): Q {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  if (d === 1n) return { n, d };
  // Dyadic denominators (float weights): gcd(n, 2^k) is the lowest set bit of n, capped at 2^k.
  const g = (d & (d - 1n)) === 0n ? (n === 0n ? d : (n & -n) < d ? n & -n : d) : gcd(n, d);
  return g === 1n ? { n, d } : { n: n / g, d: d / g };
}
export const Z: Q = { n: 0n, d: 1n };
export function add(a: Q, b: Q): Q {
  if (a.n === 0n) return b;
  if (b.n === 0n) return a;
  if (a.d === 1n && b.d === 1n) return { n: a.n + b.n, d: 1n };
  return q(a.n * b.d + b.n * a.d, a.d * b.d);
}
export function mul(a: Q, b: Q): Q {
  if (a.n === 0n || b.n === 0n) return Z;
  if (a.d === 1n && b.d === 1n) return { n: a.n * b.n, d: 1n };
  return q(a.n * b.n, a.d * b.d);
}
export const sgn = (a: Q): number => (a.n > 0n ? 1 : a.n < 0n ? -1 : 0);
export const same = (a: Q, b: Q): boolean => a.n === b.n && a.d === b.d;
export const show = (a: Q): string => (a.d === 1n ? `${a.n}` : `${a.n}/${a.d}`);

export class Invalid extends Error {}
export const fail = (msg: string): never => {
  throw new Invalid(msg);
};
/** A file that is not of the expected shape at all (malformed input: exit 2 in the CLI), not merely a claim that fails. */
export class Shape extends Invalid {}
export const malformed = (msg: string): never => {
  throw new Shape(msg);
};

/** Largest |decimal exponent| accepted in a number (docs/formats.md "Numbers": the same rule as the toolkit's reader). */
export const MAX_EXPONENT = 1000;
/** Most digits in one digit run of a number (a 20,000-digit split value made a check take minutes). */
export const MAX_DIGITS = 1000;

export function num(v: unknown, path: string): Q {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) malformed(`${path}: not a finite number`);
    // Rationals are JSON integers or strings (README, src/network/format.ts). A JSON fraction such
    // as 0.1 is parsed to a double that is not the decimal it shows; reading it as that double
    // would check a claim about a point other than the one the file displays, so it is refused.
    if (!Number.isInteger(v)) malformed(`${path}: non-integer JSON number ${v}; write rationals as strings "a/b"`);
    if (!Number.isSafeInteger(v)) malformed(`${path}: integer beyond 2^53 is not exact in JSON`);
    return { n: BigInt(v), d: 1n };
  }
  if (typeof v !== 'string') return malformed(`${path}: expected a number or a string "a/b"`);
  // The grammar of docs/formats.md "Exact numbers in JSON", the same as the toolkit's reader:
  // an integer, a fraction a/b (b ≠ 0), or a decimal d[.d][e±k], |k| ≤ MAX_EXPONENT, at most
  // MAX_DIGITS digits in each digit run.
  const s = v.trim();
  if (/\d{1001}/.test(s)) malformed(`${path}: a number with more than ${MAX_DIGITS} digits`);
  let m = /^([+-]?\d+)\/([+-]?\d+)$/.exec(s) ?? /^([+-]?\d+)$/.exec(s);
  if (m) {
    const d = m[2] === undefined ? 1n : BigInt(m[2]);
    if (d === 0n) malformed(`${path}: zero denominator`);
    return q(BigInt(m[1]!), d);
  }
  m = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (m) {
    const frac = m[3] ?? '';
    const e = m[4] === undefined ? 0 : Number(m[4]);
    if (!Number.isSafeInteger(e) || Math.abs(e) > MAX_EXPONENT) malformed(`${path}: exponent beyond ±${MAX_EXPONENT}`);
    const digits = BigInt(m[2]! + frac) * (m[1] === '-' ? -1n : 1n);
    const exp = e - frac.length;
    return exp >= 0 ? q(digits * 10n ** BigInt(exp)) : q(digits, 10n ** BigInt(-exp));
  }
  return malformed(`${path}: not a rational: ${JSON.stringify(v).slice(0, 40)}`);
}

export function obj(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) malformed(`${path}: expected an object`);
  return v as Record<string, unknown>;
}
export function arr(v: unknown, path: string, len?: number): unknown[] {
  if (!Array.isArray(v)) malformed(`${path}: expected an array`);
  const a = v as unknown[];
  if (len !== undefined && a.length !== len) malformed(`${path}: expected ${len} entries, got ${a.length}`);
  return a;
}
export const vector = (v: unknown, path: string, len: number): Q[] => arr(v, path, len).map((x, i) => num(x, `${path}[${i}]`));

/** A layer as sparse rows: rows[i] = [[j, w], …] with w ≠ 0. */
export interface SLayer {
  rows: Array<Array<[number, Q]>>;
  bias: Q[];
  cols: number;
}

/**
 * The network size limits of docs/formats.md (the toolkit's LIMITS, own copy): beyond them a
 * network is malformed input, refused before any allocation (a declared `rows` of 10^8 would
 * otherwise allocate 10^8 rows).
 */
export const NETWORK_LIMITS = { maxInputDim: 10_000_000, maxWidth: 10_000_000, maxLayers: 100_000, maxWeights: 100_000_000 } as const;

export function readNetwork(raw: unknown): { p: number; layers: SLayer[] } {
  const o = obj(raw, 'network');
  if (o.format !== 'nsad-network') malformed('network.format: expected "nsad-network"');
  if (o.version !== 1) malformed('network.version: expected 1');
  const p = o.inputDim;
  if (typeof p !== 'number' || !Number.isSafeInteger(p) || p < 1) fail('network.inputDim: expected a positive integer');
  if ((p as number) > NETWORK_LIMITS.maxInputDim) malformed(`network.inputDim: ${p} exceeds the limit ${NETWORK_LIMITS.maxInputDim}`);
  const layersRaw = arr(o.layers, 'network.layers');
  if (layersRaw.length < 1) fail('network.layers: empty');
  if (layersRaw.length > NETWORK_LIMITS.maxLayers) malformed(`network.layers: ${layersRaw.length} layers exceed the limit ${NETWORK_LIMITS.maxLayers}`);
  let weights = 0;
  const count = (path: string, n: number): void => {
    weights += n;
    if (weights > NETWORK_LIMITS.maxWeights) malformed(`${path}: more than ${NETWORK_LIMITS.maxWeights} weights in all (the documented limit)`);
  };
  let cols = p as number;
  const layers: SLayer[] = layersRaw.map((lr, l) => {
    const path = `network.layers[${l}]`;
    const lo = obj(lr, path);
    let rows: Array<Array<[number, Q]>>;
    if (lo.weights !== undefined) {
      const wr = arr(lo.weights, `${path}.weights`);
      if (wr.length > NETWORK_LIMITS.maxWidth) malformed(`${path}.weights: ${wr.length} rows exceed the limit ${NETWORK_LIMITS.maxWidth}`);
      rows = wr.map((row, i) => {
        const r = arr(row, `${path}.weights[${i}]`, cols);
        const out: Array<[number, Q]> = [];
        r.forEach((w, j) => {
          const x = num(w, `${path}.weights[${i}][${j}]`);
          if (x.n !== 0n) out.push([j, x]);
        });
        count(`${path}.weights[${i}]`, out.length);
        return out;
      });
    } else {
      const R = lo.rows;
      if (typeof R !== 'number' || !Number.isSafeInteger(R) || R < 1) return fail(`${path}.rows: expected a positive integer`);
      if (R > NETWORK_LIMITS.maxWidth) malformed(`${path}.rows: ${R} exceeds the limit ${NETWORK_LIMITS.maxWidth}`);
      if (lo.cols !== cols) fail(`${path}.cols: expected ${cols}`);
      const entries = arr(lo.entries, `${path}.entries`);
      count(`${path}.entries`, entries.length);
      rows = Array.from({ length: R }, () => []);
      const seen = new Set<string>();
      entries.forEach((e, k) => {
        const [i, j, w] = arr(e, `${path}.entries[${k}]`, 3);
        if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= R) fail(`${path}.entries[${k}][0]: bad row`);
        if (typeof j !== 'number' || !Number.isInteger(j) || j < 0 || j >= cols) fail(`${path}.entries[${k}][1]: bad column`);
        const key = `${i},${j}`;
        if (seen.has(key)) fail(`${path}.entries[${k}]: repeated entry`);
        seen.add(key);
        const x = num(w, `${path}.entries[${k}][2]`);
        if (x.n !== 0n) rows[i as number]!.push([j as number, x]);
      });
    }
    if (rows.length < 1) fail(`${path}: no rows`);
    const bias = lo.bias === undefined ? rows.map(() => Z) : vector(lo.bias, `${path}.bias`, rows.length);
    const layer = { rows, bias, cols };
    cols = rows.length;
    return layer;
  });
  if (layers[layers.length - 1]!.rows.length !== 1) fail('network: the output layer must have exactly one row');
  return { p: p as number, layers };
}


export const ONE_Q: Q = { n: 1n, d: 1n };
export const neg = (a: Q): Q => (a.n === 0n ? a : { n: -a.n, d: a.d });
export const sub = (a: Q, b: Q): Q => add(a, neg(b));
export function div(a: Q, b: Q): Q {
  if (b.n === 0n) throw new Error('division by zero');
  return q(a.n * b.d, a.d * b.n);
}
/** Sign of a − b. */
export const cmp = (a: Q, b: Q): number => {
  const x = a.n * b.d - b.n * a.d;
  return x > 0n ? 1 : x < 0n ? -1 : 0;
};
