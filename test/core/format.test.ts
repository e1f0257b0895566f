/** The nsad-network format: dense and sparse round trips, exact rationals, meta. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Rational } from '../../src/exact/rational';
import { Network, layerOf } from '../../src/network/network';
import { parseNetwork, serializeNetwork, networkToJson, writeNetworkFile, readNetworkFile } from '../../src/network/format';
import { arbNetSpec } from './arbitraries';

function sameNetwork(a: Network, b: Network): boolean {
  return (
    a.inputDim === b.inputDim &&
    a.layers.length === b.layers.length &&
    a.layers.every((l, k) => {
      const m = b.layers[k]!;
      return l.weights.every((row, i) => row.every((w, j) => w.eq(m.weights[i]![j]!))) && l.bias.every((x, i) => x.eq(m.bias[i]!));
    })
  );
}

describe('network format', () => {
  it('dense and sparse serializations parse back to the same exact network', () => {
    fc.assert(
      fc.property(arbNetSpec({ bias: true, lo: -3, hi: 3 }), fc.integer({ min: 1, max: 7 }), (spec, den) => {
        // rational weights: divide some entries by den
        const net = new Network(
          spec.inputDim,
          spec.weights.map((W, l) =>
            layerOf(
              W.map((row) => row.map((w, j) => (j % 2 ? Rational.of(w, den) : Rational.int(w)))),
              spec.biases![l]!.map((b) => Rational.of(b, den + 1)),
            ),
          ),
          { source: 'test', den },
        );
        for (const sparse of [false, true]) {
          const back = parseNetwork(serializeNetwork(net, { sparse }), 'roundtrip');
          expect(sameNetwork(net, back)).toBe(true);
          expect(back.meta).toEqual({ source: 'test', den });
          expect(JSON.parse(serializeNetwork(net, { sparse }))).toEqual(networkToJson(net, { sparse }));
        }
      }),
      { numRuns: 100, seed: 11 },
    );
  });
  it('big integers and fractions are written as strings and read back exactly; bias-free layers omit bias', () => {
    const big = 2n ** 70n + 1n;
    const net = new Network(2, [layerOf([[big, Rational.of(-1, 3)]])]);
    const j = networkToJson(net) as { layers: { weights: unknown[][]; bias?: unknown }[] };
    expect(j.layers[0]!.weights[0]).toEqual([big.toString(), '-1/3']);
    expect(j.layers[0]!.bias).toBeUndefined();
    const d = mkdtempSync(join(tmpdir(), 'nsad-fmt-'));
    writeNetworkFile(join(d, 'n.json'), net);
    expect(sameNetwork(readNetworkFile(join(d, 'n.json')), net)).toBe(true);
    expect(readFileSync(join(d, 'n.json'), 'utf8')).toContain('"format": "nsad-network"');
  });
  it('decimal strings are exact', () => {
    const net = parseNetwork('{"format":"nsad-network","version":1,"inputDim":1,"layers":[{"weights":[["0.1"]]},{"weights":[["1e-3"]]}]}');
    expect(net.layers[0]!.weights[0]![0]!.toString()).toBe('1/10');
    expect(net.layers[1]!.weights[0]![0]!.toString()).toBe('1/1000');
  });
});
