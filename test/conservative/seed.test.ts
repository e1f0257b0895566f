import { describe, it, expect } from 'vitest';
import { seededRng } from '../../src/exact/rng';

describe('seededRng', () => {
  it('is deterministic and spreads consecutive seeds (first draws not clustered)', () => {
    expect(seededRng(5).int(0, 1e9)).toBe(seededRng(5).int(0, 1e9));
    expect(seededRng(5, 1).int(0, 1e9)).not.toBe(seededRng(5, 0).int(0, 1e9));
    const first = Array.from({ length: 32 }, (_, s) => seededRng(s).int(-(1 << 20), 1 << 20));
    const positive = first.filter((v) => v > 0).length;
    expect(positive).toBeGreaterThan(6);
    expect(positive).toBeLessThan(26);
    expect(new Set(first.map((v) => v >> 16)).size).toBeGreaterThan(16);
  });
});
