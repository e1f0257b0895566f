/**
 * The one seeded random source of the project (pure-rand's xoroshiro128+). Same seed, same stream,
 * on any machine: generators, random relu'(0) choices, resampling and test data all draw from here,
 * never from Math.random.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformBigInt } from 'pure-rand/distribution/uniformBigInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

/**
 * MurmurHash3's fmix32 finaliser: a bijection on 32-bit words with full avalanche, returned
 * unsigned. xoroshiro128+ seeded with small consecutive integers gives correlated first draws, so
 * callers that seed with S, S+1, … mix the seed through this first (src/cnf/seed.ts,
 * src/conservative/seed.ts).
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private readonly g: ReturnType<typeof xoroshiro128plus>;
  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    this.g = xoroshiro128plus(seed);
  }
  /** Uniform integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return uniformInt(this.g, lo, hi);
  }
  bigint(lo: bigint, hi: bigint): bigint {
    return uniformBigInt(this.g, lo, hi);
  }
  /** Uniform in [0, 1), a multiple of 2^-53. */
  float(): number {
    return uniformFloat64(this.g);
  }
  bool(): boolean {
    return uniformInt(this.g, 0, 1) === 1;
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new RangeError('pick from an empty array');
    return xs[uniformInt(this.g, 0, xs.length - 1)]!;
  }
  /** Fisher–Yates, in place. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = uniformInt(this.g, 0, i);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}
