/**
 * Exact rationals over BigInt. Every sign decision in nsad (zero tests on pre-activations,
 * certificate checks) goes through this type or through float64 only where a magnitude bound
 * proves the float result exact (see `src/network/float-bound.ts`).
 *
 * Invariant: `d > 0` and `gcd(|n|, d) = 1`; so equality is structural and `n === 0n` iff zero.
 */

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** gcd(n, d) for d a power of two: the lowest set bit of |n| (n ≠ 0), or d when it is smaller or n = 0. */
function lowestBitGcd(n: bigint, d: bigint): bigint {
  if (n === 0n) return d;
  const low = n & -n;
  return low < d ? low : d;
}

/**
 * An exact rational number n/d in lowest terms with d > 0 (BigInt). Immutable; small integers are
 * shared instances. Every sign decision of the toolkit is made on these (docs/theory.md §6).
 */
export class Rational {
  readonly n: bigint;
  readonly d: bigint;

  private constructor(n: bigint, d: bigint) {
    this.n = n;
    this.d = d;
  }

  /** Normalizing constructor. Throws RangeError on a zero denominator. */
  static of(n: bigint | number, d: bigint | number = 1n): Rational {
    let nn = typeof n === 'bigint' ? n : BigInt(n);
    let dd = typeof d === 'bigint' ? d : BigInt(d);
    if (dd === 0n) throw new RangeError('rational with zero denominator');
    if (dd < 0n) {
      nn = -nn;
      dd = -dd;
    }
    if (dd === 1n) return Rational.int(nn);
    // Dyadic denominators (every float weight, and every sum and product of them) are the common
    // case of imported networks: gcd(n, 2^k) is the lowest set bit of n, capped at 2^k.
    const g = (dd & (dd - 1n)) === 0n ? lowestBitGcd(nn, dd) : gcd(nn, dd);
    if (g !== 1n) {
      nn /= g;
      dd /= g;
    }
    if (dd === 1n) return Rational.int(nn);
    return new Rational(nn, dd);
  }

  /** An integer; small values are shared instances (ternary networks allocate nothing per weight). */
  static int(k: bigint | number): Rational {
    const b = typeof k === 'bigint' ? k : BigInt(k);
    if (b >= -SMALL && b <= SMALL) return SMALL_INTS[Number(b) + Number(SMALL)]!;
    return new Rational(b, 1n);
  }

  /**
   * Exact value of a finite float64 (every double is a dyadic rational).
   * Throws RangeError on NaN or ±Infinity.
   */
  static fromNumber(x: number): Rational {
    if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
    if (Number.isInteger(x)) return Rational.int(BigInt(x));
    let d = 1n;
    let y = x;
    // Doubling is exact until y is an integer (at most 1074 steps for subnormals).
    while (!Number.isInteger(y)) {
      y *= 2;
      d *= 2n;
    }
    return Rational.of(BigInt(y), d);
  }

  /**
   * Parse a numeral of the one number rule (`readNumeral`): `"a"`, `"-a"`, `"a/b"`, or a decimal
   * `"1.25"` / `"-0.5"` / `"1e-3"`. Returns null when the text is not of that form or beyond the
   * limits (callers turn null into a message naming the field; `readNumeral` says why).
   */
  static parse(text: string): Rational | null {
    const r = readNumeral(text);
    return r instanceof Rational ? r : null;
  }

  /** Parse a JSON value: a safe integer, or a string accepted by `parse`. */
  static fromJson(v: unknown): Rational | null {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return null;
      if (Number.isInteger(v)) return Number.isSafeInteger(v) ? Rational.int(v) : null;
      return Rational.fromNumber(v);
    }
    if (typeof v === 'string') return Rational.parse(v);
    return null;
  }

  isZero(): boolean {
    return this.n === 0n;
  }
  isInteger(): boolean {
    return this.d === 1n;
  }
  sign(): -1 | 0 | 1 {
    return this.n > 0n ? 1 : this.n < 0n ? -1 : 0;
  }
  neg(): Rational {
    return this.d === 1n ? Rational.int(-this.n) : new Rational(-this.n, this.d);
  }
  abs(): Rational {
    return this.n < 0n ? this.neg() : this;
  }
  add(o: Rational): Rational {
    if (this.d === 1n && o.d === 1n) return Rational.int(this.n + o.n);
    return Rational.of(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Rational): Rational {
    if (this.d === 1n && o.d === 1n) return Rational.int(this.n - o.n);
    return Rational.of(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o: Rational): Rational {
    if (this.n === 0n || o.n === 0n) return ZERO;
    if (this.d === 1n && o.d === 1n) return Rational.int(this.n * o.n);
    return Rational.of(this.n * o.n, this.d * o.d);
  }
  div(o: Rational): Rational {
    if (o.n === 0n) throw new RangeError('division by zero');
    return Rational.of(this.n * o.d, this.d * o.n);
  }
  inv(): Rational {
    return ONE.div(this);
  }
  cmp(o: Rational): -1 | 0 | 1 {
    const l = this.n * o.d;
    const r = o.n * this.d;
    return l < r ? -1 : l > r ? 1 : 0;
  }
  eq(o: Rational): boolean {
    return this.n === o.n && this.d === o.d;
  }
  lt(o: Rational): boolean {
    return this.cmp(o) < 0;
  }
  max(o: Rational): Rational {
    return this.cmp(o) >= 0 ? this : o;
  }
  min(o: Rational): Rational {
    return this.cmp(o) <= 0 ? this : o;
  }
  /** Nearest float64 (not exact in general; never use it for a sign decision). */
  toNumber(): number {
    if (this.d === 1n) return Number(this.n);
    const q = Number(this.n) / Number(this.d);
    if (Number.isFinite(q) && !Number.isNaN(q)) return q;
    // Huge numerator/denominator: scale down first.
    const shift = BigInt(Math.max(this.n.toString(2).length, this.d.toString(2).length) - 1000);
    return Number(this.n >> shift) / Number(this.d >> shift);
  }
  /** `"a"` or `"a/b"`. */
  toString(): string {
    return this.d === 1n ? this.n.toString() : `${this.n}/${this.d}`;
  }
  /** JSON form: a number when it is a safe integer, else the string `"a/b"`. */
  toJSON(): number | string {
    if (this.d === 1n && this.n >= MIN_SAFE && this.n <= MAX_SAFE) return Number(this.n);
    return this.toString();
  }
}

const SMALL = 64n;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const SMALL_INTS: Rational[] = [];
{
  // Build via Rational.of's private path: n in [-SMALL, SMALL], d = 1.
  const make = (Rational as unknown as { new (n: bigint, d: bigint): Rational });
  for (let k = -SMALL; k <= SMALL; k++) SMALL_INTS.push(new make(k, 1n));
}
/** The rational 0 (a shared instance). */
export const ZERO = Rational.int(0);
/** The rational 1 (a shared instance). */
export const ONE = Rational.int(1);
/** The rational −1 (a shared instance). */
export const MINUS_ONE = Rational.int(-1);

/** Exact dot product of two equal-length rational vectors. */
export function dot(a: readonly Rational[], b: readonly Rational[]): Rational {
  let s = ZERO;
  for (let i = 0; i < a.length; i++) s = s.add(a[i]!.mul(b[i]!));
  return s;
}

/** Exact equality of two rational vectors (same length, equal entries). */
export function vecEq(a: readonly Rational[], b: readonly Rational[]): boolean {
  return a.length === b.length && a.every((x, i) => x.eq(b[i]!));
}

/** Parse a comma-separated list of rationals (`"1,-1/2,0"`); null on any bad entry. */
/**
 * The number rule for every number nsad reads from text (JSON files, `--at` points, CSV inputs;
 * docs/formats.md "Exact numbers"): an integer `[+-]d…`, a fraction `[+-]d…/[+-]d…` (denominator
 * ≠ 0) or a decimal `[+-]d…[.d…][e[+-]d…]`, meaning exactly the rational it spells; exponents
 * beyond ±NUMERAL_LIMITS.maxExponent and digit runs (integer part, fraction, numerator,
 * denominator) of more than NUMERAL_LIMITS.maxDigits digits are refused, so that no input can ask
 * for 10^(10^9). src/verify/q.ts has its own copy of the rule (the verifier imports nothing).
 */
export const NUMERAL_LIMITS = { maxExponent: 1000, maxDigits: 1000 } as const;

/** Why a text is not a numeral of the number rule. */
export interface NumeralError {
  reason: 'syntax' | 'digits' | 'exponent' | 'zero-denominator';
  message: string;
}

const TOO_MANY_DIGITS = new RegExp(`\\d{${NUMERAL_LIMITS.maxDigits + 1}}`);

/** The exact value of a numeral (surrounding blanks ignored), or why it is not one. */
export function readNumeral(text: string): Rational | NumeralError {
  const s = text.trim();
  if (TOO_MANY_DIGITS.test(s)) return { reason: 'digits', message: `more than ${NUMERAL_LIMITS.maxDigits} digits in a row` };
  const f = /^([+-]?\d+)(?:\/([+-]?\d+))?$/.exec(s);
  if (f) {
    const d = f[2] === undefined ? 1n : BigInt(f[2]);
    if (d === 0n) return { reason: 'zero-denominator', message: 'denominator 0' };
    return Rational.of(BigInt(f[1]!), d);
  }
  const m = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m) return { reason: 'syntax', message: 'not an integer, a fraction a/b or a decimal' };
  const frac = m[3] ?? '';
  const e = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(e) || Math.abs(e) > NUMERAL_LIMITS.maxExponent)
    return { reason: 'exponent', message: `exponent beyond ±${NUMERAL_LIMITS.maxExponent}` };
  const digits = BigInt(m[2]! + frac) * (m[1] === '-' ? -1n : 1n);
  const exp = e - frac.length;
  return exp >= 0 ? Rational.of(digits * 10n ** BigInt(exp)) : Rational.of(digits, 10n ** BigInt(-exp));
}

export function parseVector(text: string): Rational[] | null {
  if (text.trim() === '') return [];
  const out: Rational[] = [];
  for (const part of text.split(',')) {
    const r = Rational.parse(part);
    if (r === null) return null;
    out.push(r);
  }
  return out;
}
