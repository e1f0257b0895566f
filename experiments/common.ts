/** Small helpers shared by the claim modules: seeded instances and timing. */
import { Rational } from '../src/exact/rational';
import { Rng } from '../src/exact/rng';
import type { Network } from '../src/network/network';
import { randomNetwork } from '../src/network/random';

/**
 * A random ternary bias-free network: `depth` hidden layers of `width` neurons on `width` inputs,
 * each weight −1, 0, 1 with probability 1/3 (the paper's class, docs/theory.md §1).
 */
export function randomTernaryNetwork(width: number, depth: number, rng: Rng): Network {
  return randomNetwork(rng, { inputDim: width, widths: new Array<number>(depth).fill(width), meta: { generator: 'random-ternary', width, depth } });
}

/**
 * A random rational point k/1024, |k| ≤ 2^20 (generic: a zero pre-activation is unlikely, and the
 * callers check). One common dyadic denominator keeps exact evaluation cheap: ternary weights never
 * grow it, where independent random denominators would multiply from layer to layer.
 */
export function randomPoint(dim: number, rng: Rng): Rational[] {
  return Array.from({ length: dim }, () => Rational.of(rng.int(-(1 << 20), 1 << 20), 1024));
}

/**
 * Seconds per call of `f`, robustly: calls are batched until a batch takes ≥ `minBatchMs`,
 * and the median over `samples` batches is returned (medians resist the noise of a shared machine).
 */
export function timePerCall(f: () => void, minBatchMs: number, samples: number): number {
  f(); // warm-up (JIT)
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    const dt = performance.now() - t0;
    if (dt >= minBatchMs || reps >= 1 << 24) break;
    reps = Math.max(reps * 2, Math.ceil((reps * minBatchMs) / Math.max(dt, 1e-3)));
  }
  const per: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    per.push((performance.now() - t0) / reps / 1000);
  }
  per.sort((a, b) => a - b);
  return per[per.length >> 1]!;
}

/**
 * Median over `samples` of the per-call time ratio t(g)/t(f), timing f and g alternately in
 * batches of ≥ `minBatchMs` each (alternation cancels slow drifts of a shared machine; each batch
 * size is calibrated separately after warm-up). Returns the median per-call seconds too.
 */
export function timeRatio(f: () => void, g: () => void, minBatchMs: number, samples: number): { ratio: number; tf: number; tg: number } {
  const calibrate = (h: () => void): number => {
    for (let i = 0; i < 3; i++) h();
    let reps = 1;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) h();
      const dt = performance.now() - t0;
      if (dt >= minBatchMs || reps >= 1 << 24) return reps;
      reps = Math.max(reps * 2, Math.ceil((reps * minBatchMs) / Math.max(dt, 1e-3)));
    }
  };
  const rf = calibrate(f);
  const rg = calibrate(g);
  const ratios: number[] = [];
  const tfs: number[] = [];
  const tgs: number[] = [];
  for (let s = 0; s < samples; s++) {
    let t0 = performance.now();
    for (let i = 0; i < rf; i++) f();
    const a = (performance.now() - t0) / rf;
    t0 = performance.now();
    for (let i = 0; i < rg; i++) g();
    const b = (performance.now() - t0) / rg;
    tfs.push(a / 1000);
    tgs.push(b / 1000);
    ratios.push(b / a);
  }
  const med = (xs: number[]): number => xs.slice().sort((x, y) => x - y)[xs.length >> 1]!;
  return { ratio: med(ratios), tf: med(tfs), tg: med(tgs) };
}

/** Milliseconds of one call of `f` (single shot, for slow exact computations). */
export function timeOnce<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
