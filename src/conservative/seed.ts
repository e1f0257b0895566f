/**
 * Seeds for the project Rng (src/exact/rng.ts). xoroshiro128+ seeded with small consecutive
 * integers gives nearly identical first draws (seeds 0..7 all start near +2^20 in [-2^20, 2^20]),
 * so "seeded random choices" for seeds 0, 1, 2, … would not be independent. We scramble the user's
 * seed with murmur3's 32-bit finalizer (a bijection on 32-bit words) before seeding; the stream
 * still comes from the one project Rng.
 */
import { Rng, fmix32 } from '../exact/rng';


/** An Rng for (seed, stream): deterministic, and well spread for consecutive seeds. */
export function seededRng(seed: number, stream = 0): Rng {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  return new Rng(fmix32((lo ^ fmix32(hi + 0x9e3779b9) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0));
}
