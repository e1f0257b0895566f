/**
 * `nsad import`, `nsad export`, `nsad audit`: in-process through the real program, and once
 * through the real bin for the process contract (one line on stderr, exit 2, no file written).
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Rng } from '../../src/exact/rng';
import { Rational } from '../../src/exact/rational';
import { evaluateExact } from '../../src/network/evaluate';
import { exportOnnx, importOnnx } from '../../src/formats/onnx';
import { readNetworkFile } from '../../src/network/format';
import { writeNpy } from '../../src/formats/npy';
import { randomF32Network, onnxBytes, node, tensor, intAttr } from '../import/helpers';
import { ok, userError, bin } from '../helpers/cli';

describe('nsad import / export / audit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nsad-audit-'));
  const rng = new Rng(51);
  const net = randomF32Network(rng, [3, 5, 4, 1]);
  const model = join(dir, 'mlp.onnx');
  writeFileSync(model, exportOnnx(net, 'mlp'));

  it('import writes an exact network with meta; export writes the same ONNX bytes back', async () => {
    const out = join(dir, 'mlp.json');
    const info = JSON.parse(await ok('import', model, '--out', out, '--json')) as { inputDim: number; widths: number[]; imported: { file: string; sha256: string; ops: string[] } };
    expect(info.inputDim).toBe(3);
    expect(info.widths).toEqual([5, 4]);
    expect(info.imported.file).toBe('mlp.onnx');
    expect(info.imported.ops).toEqual(['Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm']);
    const back = readNetworkFile(out);
    back.layers.forEach((l, k) => l.weights.forEach((row, i) => row.forEach((w, j) => expect(w.eq(net.layers[k]!.weights[i]![j]!)).toBe(true))));
    const again = join(dir, 'again.onnx');
    const st = join(dir, 'again.safetensors');
    await ok('export', out, '--onnx', again, '--safetensors', st);
    expect(Buffer.compare(readFileSync(again), readFileSync(model))).toBe(0);
    const viaSt = join(dir, 'st.json');
    await ok('import', st, '--out', viaSt);
    expect(readNetworkFile(viaSt).layers[1]!.bias.map(String)).toEqual(net.layers[1]!.bias.map(String));
  });

  it('audit reads CSV and NPY inputs, prints Markdown or JSON, writes the summary and the SVG', async () => {
    const csv = join(dir, 'in.csv');
    writeFileSync(csv, '# three inputs\nx0,x1,x2\n0.5,-1,2\n0,0,0\n1/3,0.25,-7\n');
    const md = await ok('audit', model, '--inputs', csv, '--quiet', '--no-clarke');
    expect(md).toContain('| inputs | 3 |');
    const mdFile = join(dir, 'sum.md');
    const svgFile = join(dir, 'fig.svg');
    const j = JSON.parse(await ok('audit', model, '--inputs', csv, '--json', '--quiet', '--markdown', mdFile, '--svg', svgFile, '--float', 'float32,bfloat16', '--time-limit', '5')) as {
      inputs: Array<{ where: string; pre: unknown }>;
      options: { floats: string[] };
      summary: { inputs: number };
    };
    expect(j.summary.inputs).toBe(3);
    expect(j.options.floats).toEqual(['float32', 'bfloat16']);
    expect(j.inputs[2]!.where).toBe(`${csv}:5`);
    expect(readFileSync(mdFile, 'utf8')).toContain('| layer | width | zeros | kinks | float32 flips | bfloat16 flips |');
    expect(readFileSync(svgFile, 'utf8').startsWith('<svg')).toBe(true);
    const npy = join(dir, 'in.npy');
    writeFileSync(npy, writeNpy([0.5, -1, 2, 0, 0, 0], [2, 3], 'float32'));
    const k = JSON.parse(await ok('audit', join(dir, 'mlp.json'), '--inputs', npy, '--json', '--quiet', '--no-pre', '--no-clarke')) as { inputs: Array<{ pre?: unknown; value: unknown }> };
    expect(k.inputs).toHaveLength(2);
    expect(k.inputs[0]!.pre).toBeUndefined();
    expect(k.inputs[0]!.value).toEqual((j.inputs[0] as unknown as { value: unknown }).value); // same first row, read from .npy and from .csv
  });

  it('--round-inputs float32 audits the points a framework receives from a CSV of decimals', async () => {
    const csv = join(dir, 'dec.csv');
    writeFileSync(csv, '0.1,0.2,0.3\n');
    const exact = JSON.parse(await ok('audit', model, '--inputs', csv, '--json', '--quiet', '--no-clarke', '--float', 'float32')) as { inputs: Array<{ value: string; floats: { float32: { inputExact: boolean } } }> };
    const rounded = JSON.parse(await ok('audit', model, '--inputs', csv, '--json', '--quiet', '--no-clarke', '--float', 'float32', '--round-inputs', 'float32')) as {
      inputs: Array<{ value: string; floats: { float32: { inputExact: boolean } } }>;
      options: { inputRounding: string };
    };
    expect(exact.inputs[0]!.floats.float32.inputExact).toBe(false);
    expect(rounded.inputs[0]!.floats.float32.inputExact).toBe(true);
    expect(rounded.options.inputRounding).toBe('float32');
    const at = [0.1, 0.2, 0.3].map((v) => Rational.fromNumber(Math.fround(v)));
    expect(rounded.inputs[0]!.value).toEqual(evaluateExact(net, at).value.toJSON());
    expect(exact.inputs[0]!.value).toEqual(evaluateExact(net, [0.1, 0.2, 0.3].map((v) => Rational.parse(String(v))!)).value.toJSON());
    expect(await userError('audit', model, '--inputs', csv, '--round-inputs', 'float8')).toMatch(/--round-inputs: "float8" is not one of/);
  });

  it('bad input: one line naming the file and line or the node, nothing written', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '1,2,3\n1,2\n');
    expect(await userError('audit', model, '--inputs', bad, '--quiet')).toBe(`${bad}:2: expected 3 values (the network's inputDim), got 2`);
    writeFileSync(bad, '1,2,3\n1,x,3\n');
    expect(await userError('audit', model, '--inputs', bad, '--quiet')).toBe(`${bad}:2: column 2: "x" is not a number (integer, decimal or a/b)`);
    const conv = join(dir, 'conv.onnx');
    writeFileSync(conv, onnxBytes({ inputDims: ['N', 2], initializers: [tensor('W', [1, 2], [1, 1])], nodes: [node('Conv', ['x', 'W'], ['y'], [], 'features.0')] }));
    const out = join(dir, 'conv.json');
    expect(await userError('import', conv, '--out', out)).toMatch(/conv\.onnx: node "features\.0" \(Conv\): operator Conv is not supported/);
    expect(existsSync(out)).toBe(false);
    const multi = join(dir, 'multi.onnx');
    writeFileSync(multi, onnxBytes({ inputDims: ['N', 2], outputDims: ['N', 2], initializers: [tensor('W', [2, 2], [1, 1, 0, 1])], nodes: [node('Gemm', ['x', 'W'], ['y'], [intAttr('transB', 1)])] }));
    expect(await userError('import', multi, '--out', out)).toMatch(/2 outputs.*--output K \(0\.\.1\)/);
    await ok('import', multi, '--out', out, '--output', '1');
    expect(importOnnx(readFileSync(multi), 'm', { output: 1 }).layers[0]!.weights[0]!.map(String)).toEqual(readNetworkFile(out).layers[0]!.weights[0]!.map(String));
    const third = join(dir, 'third.json');
    writeFileSync(third, '{"format":"nsad-network","version":1,"inputDim":1,"layers":[{"weights":[["1/3"]]},{"weights":[[1]]}]}');
    const onnxOut = join(dir, 'third.onnx');
    expect(await userError('export', third, '--onnx', onnxOut)).toMatch(/layers\[0\]\.weights\[0\]\[0\] = 1\/3 is not exactly representable/);
    expect(existsSync(onnxOut)).toBe(false);
  });

  it('the bin: exit 2 and one line on stderr', () => {
    const bad = join(dir, 'bad2.csv');
    writeFileSync(bad, '1,2\n');
    const r = bin(['audit', model, '--inputs', bad], 60_000);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([`nsad: ${bad}:1: expected 3 values (the network's inputDim), got 2`]);
    expect(r.out).toBe('');
  });
});
