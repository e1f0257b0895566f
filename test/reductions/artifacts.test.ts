import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Rational, ZERO } from '../../src/exact/rational';
import { evaluateTape, backpropTape, lexicographicTape } from '../../src/ad/tape';
import { backward } from '../../src/ad/backward';
import { lexicographicSubgradient } from '../../src/ad/lexicographic';
import { PYTORCH, constantPolicy } from '../../src/ad/relu-prime';
import { evaluateExact } from '../../src/network/evaluate';
import { networkFromJson, networkToJson } from '../../src/network/format';
import { relu2Tape, zeroTape, reluCarryNetwork, carryNetwork, artifactByName, ARTIFACT_NAMES } from '../../reductions/artifacts';

const R = (n: number, d = 1): Rational => Rational.of(n, d);
const pts = [R(-3), R(-1, 2), R(0), R(1, 3), R(2)];

describe('artifacts of docs/theory.md §3', () => {
  it('relu2(t) = relu(−t) + t equals relu(t), yet backprop with relu\'(0) = 0 gives 1 at 0', () => {
    const t = relu2Tape();
    for (const x of pts) expect(evaluateTape(t, [x]).value.eq(x.max(ZERO))).toBe(true);
    expect(backpropTape(t, [ZERO], PYTORCH).gradient[0]!.eq(R(1))).toBe(true);
  });

  it('zero = relu2 − relu is 0 everywhere; backprop gives zero\'(0) = 1 ∉ {0}; the lexicographic subgradient gives 0', () => {
    const t = zeroTape();
    for (const x of pts) expect(evaluateTape(t, [x]).value.isZero()).toBe(true);
    expect(backpropTape(t, [ZERO], PYTORCH).gradient[0]!.eq(R(1))).toBe(true);
    expect(lexicographicTape(t, [ZERO]).subgradient[0]!.isZero()).toBe(true);
    // away from 0 backprop is the true gradient 0
    expect(backpropTape(t, [R(1, 2)], PYTORCH).gradient[0]!.isZero()).toBe(true);
  });

  it('relu(relu(x) − relu(−x)) is the layered fixture, equals relu(x); backprop at 0 gives 0 (relu\'(0) = 0) or 2 ∉ [0, 1] (relu\'(0) = 1)', () => {
    const net = reluCarryNetwork();
    const fixture = networkFromJson(JSON.parse(readFileSync(new URL('../fixtures/abs-carry.json', import.meta.url), 'utf8')));
    expect(networkToJson(net).layers).toEqual(networkToJson(fixture).layers);
    expect(net.isTernary() && net.isBiasFree()).toBe(true);
    for (const x of pts) expect(evaluateExact(net, [x]).value.eq(x.max(ZERO))).toBe(true);
    expect(backward(net, [ZERO], PYTORCH).gradient[0]!.isZero()).toBe(true);
    expect(backward(net, [ZERO], constantPolicy(1)).gradient[0]!.eq(R(2))).toBe(true);
    // Clarke of relu at 0 is [0, 1]; the lexicographic subgradient (direction +1) is 1
    expect(lexicographicSubgradient(net, [ZERO]).subgradient[0]!.eq(R(1))).toBe(true);
  });

  it('carry = relu(x) − relu(−x) equals x (Clarke {1}); backprop with relu\'(0) = 0 gives 0 ∉ {1}, relu\'(0) = 1 gives 2', () => {
    const net = carryNetwork();
    for (const x of pts) expect(evaluateExact(net, [x]).value.eq(x)).toBe(true);
    expect(backward(net, [ZERO], PYTORCH).gradient[0]!.isZero()).toBe(true);
    expect(backward(net, [ZERO], constantPolicy(1)).gradient[0]!.eq(R(2))).toBe(true);
    expect(lexicographicSubgradient(net, [ZERO]).subgradient[0]!.eq(R(1))).toBe(true);
  });

  it('artifactByName', () => {
    expect([...ARTIFACT_NAMES].sort()).toEqual(['carry', 'relu-carry', 'relu2', 'zero']);
    for (const name of ARTIFACT_NAMES) expect(artifactByName(name).name).toBe(name);
    const z = artifactByName('zero');
    expect(z.kind).toBe('tape');
    expect(artifactByName('relu-carry').kind).toBe('network');
    expect(() => artifactByName('nope')).toThrow(/unknown artifact "nope": expected one of/);
  });
});
