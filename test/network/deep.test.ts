/**
 * Issue 20, deep networks: the format allows 10^5 layers, so every pass over a network must be
 * iterative (a recursion of one frame per layer overflows near 10^4). Two chains:
 *   - `relu^L`: width 1, F(x) = relu(x); at 0 backprop, the lexicographic subgradient, the
 *     conservative set ({0, 1}) and the Clarke set [0, 1] are all visible;
 *   - `carry^L`: width 2, each layer the pair relu(z), relu(−z) recombined as z, so F(x) = x with
 *     every neuron zero at 0 — a tangent DAG (localization) with 2L relu nodes.
 * Every pass: exact and float evaluation, backprop, forward mode, lexicographic (with a basis),
 * conservative at 0 and at a point, one Clarke subgradient, localization and the tangent pass, the
 * certificate checker, the JSON writer and reader, the ONNX and safetensors exporters and importers,
 * the audit's float passes. The normal suite uses 2·10^4 layers (already beyond any recursion);
 * NSAD_HEAVY=1 the format's limit, 10^5, and the CLI on the file (eval, grad, lex, conservative).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rational, ONE, ZERO } from '../../src/exact/rational';
import { Network, NetLayer, LIMITS } from '../../src/network/network';
import { evaluateExact } from '../../src/network/evaluate';
import { evaluateFloatChecked } from '../../src/network/float';
import { networkToJson, parseNetwork, serializeNetwork } from '../../src/network/format';
import { backward } from '../../src/ad/backward';
import { directionalDerivatives } from '../../src/ad/forward';
import { lexicographicSubgradient } from '../../src/ad/lexicographic';
import { constantPolicy } from '../../src/ad/relu-prime';
import { decideConservative, clarkeOne } from '../../src/conservative';
import { localize, tangentPass } from '../../src/clarke/localize';
import { evaluateDag } from '../../src/network/dag';
import { verifyCertificate } from '../../src/verify';
import { exportOnnx, importOnnx } from '../../src/formats/onnx';
import { exportSafetensors, importSafetensors } from '../../src/formats/safetensors';
import { auditNetwork } from '../../src/audit/audit';
import { cli, ok } from '../helpers/cli';

const HEAVY = process.env.NSAD_HEAVY === '1';
const L = HEAVY ? LIMITS.maxLayers : 20_000;
const q = (n: number): Rational => Rational.int(n);
const csr = (rows: number, cols: number, entries: Array<[number, number, number]>): NetLayer =>
  NetLayer.fromRows(cols, Array.from({ length: rows }, (_, i) => entries.filter((e) => e[0] === i).map((e) => e[1])), Array.from({ length: rows }, (_, i) => entries.filter((e) => e[0] === i).map((e) => q(e[2]))), undefined);

/** relu^L: L − 1 hidden layers of width 1 and the output layer; F(x) = relu(x). */
function reluChain(layers: number): Network {
  const one = csr(1, 1, [[0, 0, 1]]);
  return new Network(1, Array.from({ length: layers }, () => one));
}

/** carry^L: F(x) = x through L − 1 hidden layers of the pair relu(z), relu(−z). */
function carryChain(layers: number): Network {
  const first = csr(2, 1, [[0, 0, 1], [1, 0, -1]]);
  const mid = csr(2, 2, [[0, 0, 1], [0, 1, -1], [1, 0, -1], [1, 1, 1]]);
  const out = csr(1, 2, [[0, 0, 1], [0, 1, -1]]);
  return new Network(1, [first, ...Array.from({ length: layers - 2 }, () => mid), out]);
}

describe(`networks of ${L} layers: every pass is iterative`, () => {
  const relu = reluChain(L);
  const carry = carryChain(L);

  it('exact and float evaluation, backprop under each relu\'(0), forward mode', () => {
    expect(evaluateExact(relu, [q(3)]).value.eq(q(3))).toBe(true);
    expect(evaluateExact(carry, [q(-5)]).value.eq(q(-5))).toBe(true);
    expect(evaluateFloatChecked(carry, [q(-5)]).value).toBe(-5);
    expect(backward(relu, [ZERO], constantPolicy(0)).gradient[0]!.eq(ZERO)).toBe(true);
    expect(backward(relu, [ZERO], constantPolicy(1)).gradient[0]!.eq(ONE)).toBe(true);
    // carry at 0 with relu'(0) = 1: each layer doubles (1·1 + (−1)·(−1)), the classic backprop artifact.
    expect(backward(carryChain(6), [ZERO], constantPolicy(1)).gradient[0]!.eq(q(2 ** 5))).toBe(true);
    expect(backward(carry, [q(1)]).gradient[0]!.eq(ONE)).toBe(true);
    const d = directionalDerivatives(relu, [ZERO], [[q(1)], [q(-1)]]).derivatives;
    expect(d.map(String)).toEqual(['1', '0']);
  });

  it('lexicographic subgradient (identity and a basis): a Clarke subgradient', () => {
    expect(lexicographicSubgradient(relu, [ZERO]).subgradient[0]!.eq(ONE)).toBe(true);
    expect(lexicographicSubgradient(relu, [ZERO], [[q(-1)]]).subgradient[0]!.eq(ZERO)).toBe(true);
    expect(lexicographicSubgradient(carry, [ZERO]).subgradient[0]!.eq(ONE)).toBe(true);
  });

  it('conservative at 0 and at a point; one Clarke subgradient', () => {
    const c = decideConservative(relu);
    expect(c.answer).toBe('two');
    expect(c.elements.map((e) => e[0]!.toString()).sort()).toEqual(['0', '1']);
    expect(decideConservative(relu, { at: [q(2)] }).answer).toBe('singleton');
    expect(decideConservative(carry).answer).toBe('two');
    expect(clarkeOne(carry).subgradient[0]!.eq(ONE)).toBe(true);
    expect(clarkeOne(relu, [q(1)]).subgradient[0]!.eq(ONE)).toBe(true);
  });

  it('localization: the tangent DAG of carry^L at 0 has a relu node per neuron and is F\'(0; h) = h', () => {
    const loc = localize(carry, [ZERO]);
    expect(loc.dag.neurons.length).toBe(2 * (L - 1));
    expect(evaluateDag(loc.dag, [q(-7)]).value.eq(q(-7))).toBe(true);
    const pass = tangentPass(relu, localize(relu, [ZERO]).preAtBar, [q(1)]);
    expect(pass.derivative.eq(ONE)).toBe(true);
    expect(pass.gradient![0]!.eq(ONE)).toBe(true);
  });

  it('the certificate checker: relu^L at 0 has Clarke subgradients 0 and 1 (a chain of ties, checked in linear time)', () => {
    const cert = { format: 'nsad-clarke-certificate', version: 1, at: [0], directions: [[1], [-1]], gradients: [[1], [0]] };
    expect(verifyCertificate(networkToJson(relu), cert)).toEqual({ valid: true });
    expect(verifyCertificate(networkToJson(relu), { ...cert, gradients: [[1], [1]] }).valid).toBe(false);
  });

  it('the JSON writer and reader, the ONNX and safetensors exporters and importers', () => {
    const text = serializeNetwork(carry, { sparse: true });
    expect(parseNetwork(text, 'c.json').layers.length).toBe(L);
    const fromOnnx = importOnnx(exportOnnx(relu, 'r.json'), 'r.onnx');
    expect(fromOnnx.layers.length).toBe(L);
    expect(evaluateExact(fromOnnx, [q(3)]).value.eq(q(3))).toBe(true);
    const fromSt = importSafetensors(exportSafetensors(relu, 'r.json', 'float32'), 'r.safetensors');
    expect(fromSt.layers.length).toBe(L);
  });

  it('the audit\'s exact and float passes', async () => {
    const r = await auditNetwork(carry, [[q(0)], [q(3)]], { clarke: false, floats: ['float32'] });
    expect(r.inputs.length).toBe(2);
  });
});

describe.runIf(HEAVY)('the CLI on a 10^5-layer file', () => {
  it('eval, grad, lex, conservative, export and import back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsad-deep-'));
    const f = join(dir, 'chain.json');
    writeFileSync(f, serializeNetwork(reluChain(LIMITS.maxLayers)));
    expect(await ok('eval', f, '--at', '3')).toBe('3\n');
    expect(JSON.parse(await ok('grad', f, '--at', '0', '--relu-prime', '1', '--json')).gradient).toEqual([1]);
    expect(JSON.parse(await ok('lex', f, '--at', '0', '--json')).subgradient).toEqual([1]);
    expect(JSON.parse(await ok('conservative', f, '--json')).answer).toBe('two');
    await ok('export', f, '--onnx', join(dir, 'c.onnx'));
    expect((await cli('import', join(dir, 'c.onnx'), '--out', join(dir, 'back.json'))).code).toBe(0);
    expect(await ok('eval', join(dir, 'back.json'), '--at', '5')).toBe('5\n');
  }, 600_000);
});
