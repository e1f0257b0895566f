import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { verifyCertificate } from '../../src/verify';

const net = (inputDim: number, layers: number[][][], bias?: (number | string)[][]) => ({
  format: 'nsad-network',
  version: 1,
  inputDim,
  layers: layers.map((weights, l) => (bias?.[l] ? { weights, bias: bias[l] } : { weights })),
});
const cert = (at: unknown[], directions: unknown[][], gradients: unknown[][]) => ({
  format: 'nsad-clarke-certificate',
  version: 1,
  at,
  directions,
  gradients,
});
// |x| = relu(x) + relu(-x)
const ABS = net(1, [[[1], [-1]], [[1, 1]]]);

describe('verifyCertificate (independent checker)', () => {
  it('accepts the two pieces of |x| at 0', () => {
    expect(verifyCertificate(ABS, cert([0], [[1], [-1]], [[1], [-1]]))).toEqual({ valid: true });
    expect(verifyCertificate(ABS, cert(['0'], [['1/3'], ['-2']], [[1], ['-1']])).valid).toBe(true);
  });

  it('rejects a wrong gradient, equal gradients, and a tie direction', () => {
    const wrong = verifyCertificate(ABS, cert([0], [[1], [-1]], [[1], [1]]));
    expect(wrong.valid).toBe(false);
    expect(wrong.reason).toMatch(/gradients\[1\]\[0\]/);
    const same = verifyCertificate(ABS, cert([0], [[1], [2]], [[1], [1]]));
    expect(same).toMatchObject({ valid: false });
    expect(same.reason).toMatch(/g1 = g2/);
    const tie = verifyCertificate(ABS, cert([0], [[0], [-1]], [[0], [-1]]));
    expect(tie.valid).toBe(false);
    expect(tie.reason).toMatch(/not strict/);
  });

  it('rejects the autodiff artifact: relu2 − relu is the zero function (docs/theory.md §3)', () => {
    // zero(t) = relu(-t) + t - relu(t), written with a carry pair for t.
    const ZERO_NET = net(1, [[[-1], [1], [-1], [1]], [[1, 1, -1, -1]]]);
    // The only gradient of the zero function is 0: any certificate claiming 1 must fail.
    expect(verifyCertificate(ZERO_NET, cert([0], [[1], [-1]], [[1], [0]])).valid).toBe(false);
    expect(verifyCertificate(ZERO_NET, cert([0], [[1], [-1]], [[0], [0]])).valid).toBe(false); // g1 = g2
  });

  it('uses the point x̄ and the biases: relu(x - 1) at x̄ = 1', () => {
    const N = net(1, [[[1]], [[1]]], [['-1'], [0]]);
    expect(verifyCertificate(N, cert([1], [[1], [-1]], [[1], [0]])).valid).toBe(true);
    // at x̄ = 2 the neuron is active: both directions give gradient 1
    expect(verifyCertificate(N, cert([2], [[1], [-1]], [[1], [0]])).valid).toBe(false);
  });

  it('accepts a tie only when its pre-activation vanishes identically on the piece', () => {
    // a = relu(x), b = relu(x), c = relu(-x); t = relu(a - b) ≡ 0; F = 5t + relu(a) + relu(c) = |x|.
    const N = net(1, [[[1], [1], [-1]], [[1, -1, 0], [1, 0, 0], [0, 0, 1]], [[5, 1, 1]]]);
    expect(verifyCertificate(N, cert([0], [[1], [-1]], [[1], [-1]]))).toEqual({ valid: true });
    // relu(x2) at 0 along (1, 0): a tie whose pre-activation x2 does not vanish: rejected.
    const R = net(2, [[[0, 1], [1, 0], [-1, 0]], [[1, 1, 1]]]);
    const r = verifyCertificate(R, cert([0, 0], [[1, 0], [-1, 1]], [[1, 0], [-1, 1]]));
    expect(r.valid).toBe(false);
    expect(r.reason).toMatch(/does not vanish/);
  });

  it('reads sparse layers and rejects malformed input with a reason', () => {
    const S = { format: 'nsad-network', version: 1, inputDim: 1, layers: [{ rows: 2, cols: 1, entries: [[0, 0, 1], [1, 0, -1]] }, { weights: [[1, 1]] }] };
    expect(verifyCertificate(S, cert([0], [[1], [-1]], [[1], [-1]])).valid).toBe(true);
    expect(verifyCertificate(ABS, { ...cert([0], [[1], [-1]], [[1], [-1]]), format: 'x' }).reason).toMatch(/format/);
    expect(verifyCertificate(ABS, cert([0, 1], [[1], [-1]], [[1], [-1]])).reason).toMatch(/at/);
    expect(verifyCertificate(ABS, cert([0], [[1]], [[1], [-1]])).reason).toMatch(/directions/);
    expect(verifyCertificate(ABS, cert([0], [['x'], [-1]], [[1], [-1]])).reason).toMatch(/directions\[0\]\[0\]/);
    expect(verifyCertificate(null, cert([0], [[1], [-1]], [[1], [-1]])).valid).toBe(false);
  });

  it('imports nothing from the rest of src (only its own modules and npm packages)', () => {
    const dir = new URL('../../src/verify/', import.meta.url);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(new URL(f, dir), 'utf8');
      for (const m of src.matchAll(/^\s*import\s[^;]*?from\s+'([^']+)'/gm)) expect(m[1], `${f}: ${m[1]}`).toMatch(/^(\.\/[\w-]+|[a-z][\w-]*|node:[\w/]+)$/);
      expect(src).not.toMatch(/require\(/);
    }
  });
});
