/**
 * The audit on networks whose answers are known by hand: exact kinks (vanishing or not), float
 * sign flips, backprop (relu'(0) = 0) against the Clarke subdifferential, summary, figure.
 */
import { describe, it, expect } from 'vitest';
import { Rational } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { Network, layerOf } from '../../src/network/network';
import { evaluateExact } from '../../src/network/evaluate';
import { auditNetwork, zeroNeurons } from '../../src/audit/audit';
import { auditMarkdown, auditJson, auditSvg } from '../../src/audit/report';
import { randomF32Network } from '../import/helpers';
import { regionGradients, inHull } from '../clarke-set/oracle';

const ints = (rows: number[][]) => rows.map((r) => r.map((v) => Rational.int(v)));

describe('audit: exact membership of backprop in the Clarke set (docs/theory.md §9)', () => {
  it('relu(x1) − relu(−x1) + relu(x2) at 0: the set is the segment [(1,0),(1,1)]; relu\'(0) = 0 gives (0,0): no, where the two/singleton answer could not tell', async () => {
    const net = new Network(2, [layerOf([[1, 0], [-1, 0], [0, 1]]), layerOf([[1, -1, 1]])]);
    const r = await auditNetwork(net, ints([[0, 0]]), { floats: ['float32'] });
    const a = r.inputs[0]!;
    expect(a.clarke!.answer).toBe('two');
    expect(a.clarkeSet).toMatchObject({ complete: true, gradients: 2, tied: 3 });
    const m = Object.fromEntries(a.membership!.map((x) => [x.reluPrime, x]));
    // relu'(0) = s: (s + s, s) = (2s, s): s = 0 → (0,0) out; s = 1/2 → (1, 1/2) in; s = 1 → (2, 1) out.
    expect(m['0']!.gradient.map(String)).toEqual(['0', '0']);
    expect(m['1/2']!.gradient.map(String)).toEqual(['1', '1/2']);
    expect(m['1']!.gradient.map(String)).toEqual(['2', '1']);
    expect([m['0']!.answer, m['1/2']!.answer, m['1']!.answer]).toEqual(['no', 'yes', 'no']);
    expect(a.backprop.inClarke).toBe('no');
    expect(r.summary.membership).toEqual({ '0': { yes: 0, no: 1, undecided: 0 }, '1/2': { yes: 1, no: 0, undecided: 0 }, '1': { yes: 0, no: 1, undecided: 0 } });
    expect(auditMarkdown(r)).toContain("backprop with relu'(0) = 1/2 in the Clarke set (exact yes) | 1 |");
  });

  it('agrees with exhaustive region enumeration on seeded random networks with p = 2 at kink points', async () => {
    const rng = new Rng(19);
    let kinks = 0;
    for (let t = 0; t < 12; t++) {
      const w = (r: number, c: number) => Array.from({ length: r }, () => Array.from({ length: c }, () => rng.int(-2, 2)));
      const net = new Network(2, [layerOf(w(3, 2)), layerOf(w(3, 3)), layerOf(w(1, 3))]);
      const r = await auditNetwork(net, ints([[0, 0]]), { floats: ['float32'] });
      const a = r.inputs[0]!;
      if (!a.kink) continue;
      kinks++;
      const truth = regionGradients(net, [Rational.int(0), Rational.int(0)]);
      expect(a.clarkeSet!.complete).toBe(true);
      expect(a.clarkeSet!.gradients).toBe(truth.length);
      for (const m of a.membership!) expect(m.answer, `network ${t}, relu'(0) = ${m.reluPrime}`).toBe(inHull(truth, m.gradient) ? 'yes' : 'no');
    }
    expect(kinks).toBeGreaterThan(3);
  });
});

describe('audit: kinks and backprop vs Clarke', () => {
  it("x ↦ relu(x) − relu(−x) = x at 0: backprop gives 0, the Clarke subdifferential is {1}", async () => {
    const net = new Network(1, [layerOf([[1], [-1]]), layerOf([[1, -1]])]);
    const r = await auditNetwork(net, ints([[0], [3]]), { floats: ['float32'] });
    const a = r.inputs[0]!;
    expect(a.zeros).toEqual([
      { layer: 0, neuron: 0, vanishes: 'no' },
      { layer: 0, neuron: 1, vanishes: 'no' },
    ]);
    expect(a.kink).toBe(true);
    expect(a.backprop.gradient.map(String)).toEqual(['0']);
    expect(a.backprop.clarkeOne!.map(String)).toEqual(['1']);
    expect(a.backprop.reluPrimeMatters).toBe(true); // relu'(0) = 1 gives 1 − (−1)·… = 2
    expect(a.clarke!.answer).toBe('singleton');
    expect(a.clarke!.exact).toBe(true);
    expect(a.backprop.inClarke).toBe('no');
    const b = r.inputs[1]!;
    expect(b.zeros).toEqual([]);
    expect(b.kink).toBe(false);
    expect(b.clarke).toBeUndefined();
    expect(b.backprop.inClarke).toBe('yes');
    expect(r.summary).toMatchObject({ inputs: 2, inputsWithZero: 1, kinkInputs: 1, zeroNeurons: 2, backprop: { reluPrimeMatters: 1, inClarke: { yes: 0, no: 1, unknown: 0 } }, clarke: { singleton: 1, two: 0, exact: 1 } });
  });

  it('relu(x1 − x2) + 0·relu(0) + relu(x1 + x2 + 1) at (1, 1): a real kink, a neuron that vanishes identically, answer two, backprop in ∂^c', async () => {
    const net = new Network(2, [layerOf([[1, -1], [0, 0], [1, 1]], [0, 0, 1]), layerOf([[1, 1, 1]])]);
    const r = await auditNetwork(net, ints([[1, 1], [2, 1]]), { floats: ['float32'] });
    const a = r.inputs[0]!;
    expect(a.zeros).toEqual([
      { layer: 0, neuron: 0, vanishes: 'no' },
      { layer: 0, neuron: 1, vanishes: 'yes' },
    ]);
    expect(a.clarke!.answer).toBe('two');
    expect(a.clarke!.exact).toBe(true);
    // ∂^c F(1,1) = conv{(2,0), (1,1)}; relu'(0) = 0 gives (1,1), a vertex
    expect(a.backprop.gradient.map(String)).toEqual(['1', '1']);
    expect(a.backprop.inClarke).toBe('yes');
    const b = r.inputs[1]!;
    expect(b.zeros).toEqual([{ layer: 0, neuron: 1, vanishes: 'yes' }]);
    expect(b.kink).toBe(false);
    expect(b.clarke!.answer).toBe('singleton');
    expect(b.backprop.inClarke).toBe('yes');
    expect(r.summary.vanishing).toEqual({ yes: 2, no: 1, undecided: 0 });
    expect(r.summary.layers[0]).toMatchObject({ layer: 0, width: 3, zeros: 3, kinks: 1 });
  });

  it('a zero neuron fed only by dead neurons vanishes identically (proved by localization)', () => {
    // layer 0: h = relu(x1 − 5) is dead near 0; layer 1: z = h is 0 at 0 and stays 0 nearby
    const net = new Network(2, [layerOf([[1, 0]], [-5]), layerOf([[1], [-2]]), layerOf([[1, 1]])]);
    const x = ints([[0, 0]])[0]!;
    const z = zeroNeurons(net, x, evaluateExact(net, x).pre, 8, new Rng(1));
    expect(z).toEqual([
      { layer: 1, neuron: 0, vanishes: 'yes' },
      { layer: 1, neuron: 1, vanishes: 'yes' },
    ]);
  });
});

describe('audit: undecided vanishing', () => {
  it('relu(x) − relu(x) through two neurons: identically 0, but not provable from the tangent expression', () => {
    // layer 0: a = relu(x), b = relu(x); layer 1: c = a − b ≡ 0. At x = 0 all three are zero; c's
    // tangent expression v_a − v_b does not cancel (two relu nodes), and every direction gives 0.
    const net = new Network(1, [layerOf([[1], [1]]), layerOf([[1, -1]]), layerOf([[1]])]);
    const x = [Rational.int(0)];
    const z = zeroNeurons(net, x, evaluateExact(net, x).pre, 16, new Rng(3));
    expect(z).toEqual([
      { layer: 0, neuron: 0, vanishes: 'no' },
      { layer: 0, neuron: 1, vanishes: 'no' },
      { layer: 1, neuron: 0, vanishes: 'undecided' },
    ]);
  });
});

describe('audit: float passes against exact signs', () => {
  it('float32 absorbs 1 in 2^24 + 1 − 2^24; float16 overflows to NaN; float64 is exact here', async () => {
    const net = new Network(3, [layerOf([[1, 1, -1]]), layerOf([[1]])]);
    const r = await auditNetwork(net, ints([[2 ** 24, 1, 2 ** 24], [2048, 1, 2048], [1, 2, 3]]), { floats: ['float64', 'float32', 'float16'], clarke: false });
    const [a, b, c] = r.inputs;
    expect(a!.floats.float64!.disagreements).toEqual([]);
    expect(a!.floats.float32!.disagreements).toEqual([{ layer: 0, neuron: 0, exact: 1, float: 0, floatValue: 0, exactValue: '1' }]);
    expect(Number.isNaN(a!.floats.float16!.disagreements[0]!.float)).toBe(true);
    expect(a!.floats.float16!.inputExact).toBe(false);
    expect(b!.floats.float32!.disagreements).toEqual([]);
    expect(b!.floats.float16!.disagreements.map((d) => [d.exact, d.float])).toEqual([[1, 0]]);
    expect(c!.floats.float16!.disagreements).toEqual([]);
    expect(c!.zeros).toEqual([{ layer: 0, neuron: 0, vanishes: 'no' }]); // 1 + 2 − 3 = 0 exactly
    expect(r.summary.floats.float32).toEqual({ inputsWithDisagreement: 1, neuronDisagreements: 1, inputsRounded: 0, nanInputs: 0 });
    expect(r.summary.floats.float16).toEqual({ inputsWithDisagreement: 2, neuronDisagreements: 2, inputsRounded: 1, nanInputs: 1 });
    expect(r.summary.layers[0]!.disagreements).toEqual({ float64: 0, float32: 1, float16: 2 });
  });

  it('inputs placed exactly on a kink of a float32 network: exact zero, float32 usually decides a sign', async () => {
    const rng = new Rng(41);
    const net = randomF32Network(rng, [4, 8, 6, 1]);
    // x with first-layer neuron k exactly at 0: x_3 = −(b_k + Σ_{j<3} w_kj x_j) / w_k3 (a rational, not a float)
    const rows: Rational[][] = [];
    for (let k = 0; k < 8; k++) {
      const W = net.layers[0]!.weights[k]!;
      const head = [Rational.parse('1/4')!, Rational.parse('-1/2')!, Rational.int(1)];
      let s = net.layers[0]!.bias[k]!;
      head.forEach((v, j) => (s = s.add(W[j]!.mul(v))));
      rows.push([...head, s.neg().div(W[3]!)]);
    }
    const r = await auditNetwork(net, rows, { floats: ['float32'], clarke: false });
    r.inputs.forEach((a, k) => {
      expect(a.zeros.some((z) => z.layer === 0 && z.neuron === k && z.vanishes === 'no')).toBe(true);
      expect(a.kink).toBe(true);
      expect(a.backprop.clarkeOne).toBeDefined();
      expect(a.floats.float32!.inputExact).toBe(false);
    });
    // The exact zero is a float32 sign decision for every input whose rounded input misses the kink.
    const flips = r.inputs.filter((a, k) => a.floats.float32!.disagreements.some((d) => d.layer === 0 && d.neuron === k)).length;
    expect(flips).toBeGreaterThanOrEqual(6);
    expect(r.summary.kinkInputs).toBe(8);
  });
});

describe('audit report', () => {
  it('Markdown table, exact JSON and an SVG figure', async () => {
    const net = new Network(2, [layerOf([[1, -1], [0, 0], [1, 1]], [0, 0, 1]), layerOf([[1, 1, 1]])]);
    const r = await auditNetwork(net, [[Rational.int(1), Rational.int(1)], [Rational.parse('1/3')!, Rational.int(0)]], { clarke: true });
    const md = auditMarkdown(r, 'test');
    expect(md).toContain('## test');
    expect(md).toMatch(/\| kink inputs \(a zero that does not provably vanish nearby\) \| 1 \| 50\.0 % \|/);
    expect(md).toMatch(/\| 0 \| 3 \| 3 \| 1 \| 0 \| 0 \|/); // layer 0, width 3, 3 zeros (2 + 1), 1 kink, no flips
    const j = JSON.parse(auditJson(r)) as { inputs: Array<{ value: unknown; pre: unknown[][]; floats: Record<string, { inputExact: boolean }> }> };
    expect(j.inputs[1]!.value).toBe('5/3'); // relu(1/3) + relu(0) + relu(4/3)
    expect(j.inputs[1]!.pre).toEqual([['1/3', 0, '4/3']]);
    expect(j.inputs[1]!.floats.float32!.inputExact).toBe(false);
    const svg = await auditSvg(r);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('layer 0 (3)');
    expect(svg).toContain('float32 sign flips');
  });
});

describe('IntNetwork (scaled-integer exact engine) equals the Rational engines', () => {
  it('forward values, pre-activations and 0/1 backprops on random dyadic and non-dyadic networks', async () => {
    const { IntNetwork } = await import('../../src/audit/exact-int');
    const { backward } = await import('../../src/ad/backward');
    const { PYTORCH, constantPolicy } = await import('../../src/ad/relu-prime');
    const rng = new Rng(61);
    for (let t = 0; t < 12; t++) {
      const dims = [rng.int(1, 4), ...Array.from({ length: rng.int(0, 3) }, () => rng.int(1, 5)), 1];
      const net =
        t % 2 === 0
          ? randomF32Network(rng, dims)
          : new Network(dims[0]!, dims.slice(1).map((r, l) => layerOf(Array.from({ length: r }, () => Array.from({ length: dims[l]! }, () => Rational.of(BigInt(rng.int(-3, 3)), BigInt(rng.int(1, 6))))), Array.from({ length: r }, () => Rational.of(BigInt(rng.int(-2, 2)), BigInt(rng.int(1, 3)))))));
      const I = new IntNetwork(net);
      for (let k = 0; k < 5; k++) {
        // include exact zeros: a zero input and small integer points
        const x = Array.from({ length: net.inputDim }, () => (k === 0 ? Rational.int(0) : Rational.of(BigInt(rng.int(-4, 4)), BigInt(rng.int(1, 7)))));
        const ref = evaluateExact(net, x);
        const f = I.forward(x, true);
        expect(f.value.eq(ref.value)).toBe(true);
        f.pre!.forEach((z, l) => z.forEach((v, i) => expect(v.eq(ref.pre[l]![i]!)).toBe(true)));
        f.signs.forEach((s, l) => s.forEach((v, i) => expect(v).toBe(ref.pre[l]![i]!.sign())));
        const g0 = I.backward(f.signs.map((s) => Int8Array.from(s, (v) => (v > 0 ? 1 : 0))));
        const g1 = I.backward(f.signs.map((s) => Int8Array.from(s, (v) => (v >= 0 ? 1 : 0))));
        expect(g0.map(String)).toEqual(backward(net, x, PYTORCH).gradient.map(String));
        expect(g1.map(String)).toEqual(backward(net, x, constantPolicy(Rational.int(1))).gradient.map(String));
      }
    }
  });
});

describe('the example MLP (examples/audit-pytorch-mlp.ts, self-contained demo)', () => {
  it('decides backprop membership exactly at every kink input, for relu\'(0) = 0, 1/2 and 1', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync, readdirSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'nsad-example-mlp-'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'examples/audit-pytorch-mlp.ts', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
      const reports = readdirSync(dir).filter((f) => f.endsWith('.json'));
      expect(reports.length).toBe(2);
      let kinks = 0;
      for (const f of reports) {
        const s = JSON.parse(readFileSync(join(dir, f), 'utf8')).summary;
        kinks += s.kinkInputs;
        expect(s.backprop.inClarke.unknown, f).toBe(0);
        for (const rp of ['0', '1/2', '1']) {
          expect(s.membership[rp].undecided, `${f} relu'(0) = ${rp}`).toBe(0);
          expect(s.membership[rp].yes + s.membership[rp].no, `${f} relu'(0) = ${rp}`).toBe(s.kinkInputs);
        }
      }
      expect(kinks).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
