/**
 * The bad-input corpus of issue 20, shared by the adversarial sweep (scripts/bad-input-sweep.ts,
 * the real bin in a child process per case) and the test suite (test/soundness/bad-inputs.test.ts,
 * in process): several hundred hostile files and options for every command, the fixtures they
 * need, and the one rule that judges a run clean.
 *
 * A run is clean when all of these hold:
 *   - it ends within its time limit (no hang), not killed by a crash or out of memory;
 *   - the exit code is the expected one (2 for bad input unless the case says otherwise);
 *   - exit 2: stderr is exactly one line `nsad: …`, printable (no raw control bytes), equal to the
 *     message recorded for the case in test/fixtures/bad-inputs/messages.json (the case folder
 *     written as `<dir>`), and matching the case's pattern;
 *   - no stack trace anywhere on stderr;
 *   - no temporary file left anywhere in the case folder;
 *   - every input file byte-for-byte unchanged, and, on exit 2, no file written at all;
 *   - signal cases: the process ends by the signal (or exits 128 + its number), no temp file, and
 *     every output present is complete (it parses).
 * No vitest here: the sweep script imports it too.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeModel, DataType, AttrType, type OnnxModel, type OnnxNode, type OnnxTensor } from '../../src/formats/onnx-proto';
import { encodeFloats } from '../../src/formats/ieee';
import { networkHash } from '../../src/verify/proof';
import { readNetwork } from '../../src/verify/q';
import { parseExactJson } from '../../src/verify/json';

export type Bytes = string | Uint8Array;
export interface Case {
  id: string;
  args: string[];
  /** Files created in the case folder before the run (inputs: checked unchanged afterwards). */
  files?: Record<string, Bytes>;
  /** Expected exit code (default 2). */
  code?: number;
  /** Several exit codes the documentation allows (e.g. 1 or 2 for a cut proof). */
  codes?: number[];
  /** Expected in the stderr line (exit 2) or anywhere in stdout+stderr (other codes). */
  message?: RegExp;
  /** Wall-clock limit for this case, ms. */
  maxMs?: number;
  /** Send this signal after `after` ms. */
  signal?: { sig: 'SIGINT' | 'SIGTERM'; after: number };
  stdin?: Bytes;
  /** Files the command may legitimately write (exit 0/1 cases); checked complete (JSON parses when .json). */
  outputs?: string[];
  /** Stdout must not match (e.g. an answer that is not one). */
  notOut?: RegExp;
  /** Whose part of issue 20 the case is (reported, not judged differently). */
  owner?: string;
}

// ---------------------------------------------------------------- fixtures

const NET2 = '{"format":"nsad-network","version":1,"inputDim":2,"layers":[{"weights":[[1,-1],[1,1]],"bias":[0,0]},{"weights":[[1,-1]]}]}';
const ABS = '{"format":"nsad-network","version":1,"inputDim":1,"layers":[{"weights":[[1],[-1]]},{"weights":[[1,1]]}]}';
const CNF = 'p cnf 2 2\n1 2 0\n-1 -2 0\n';
/** A certificate for ABS = |x| at 0: along +1 the piece x (gradient 1), along −1 the piece −x. */
const CERT = '{"format":"nsad-clarke-certificate","version":1,\n "at":[0],\n "directions":[[1],[-1]],\n "gradients":[[1],[-1]]\n}\n';
/** F(x) = relu(x − 1): 0 near x̄ = 0, so the Clarke set there is {0}. */
const PROOF_NET = '{"format":"nsad-network","version":1,"inputDim":1,"layers":[{"weights":[[1]],"bias":[-1]},{"weights":[[1]]}]}';
/**
 * A one-leaf proof (version 1) for both signs that ∂^c F(at) = {gradient}: the leaf's bound closes
 * iff D = G − g·h ≤ 0 on the whole box (a fixed text: its messages do not move with the search).
 */
function proofFor(netText: string, at: string, gradient: string): string {
  const { p, layers } = readNetwork(parseExactJson(netText));
  const sha = networkHash(p, layers);
  return (
    [
      `{"format":"nsad-clarke-proof","version":1,"network":{"sha256":"${sha}"},"inputDim":${p},"at":[${at}],"gradient":[${gradient}],"signs":[1,-1],"box":"[-1,1]^p"}`,
      '{"tree":1}',
      '["b"]',
      '{"end":1,"nodes":1,"leaves":1}',
      '{"tree":-1}',
      '["b"]',
      '{"end":-1,"nodes":1,"leaves":1}',
    ].join('\n') + '\n'
  );
}
const UNSAT = 'p cnf 2 4\n1 2 0\n-1 2 0\n1 -2 0\n-1 -2 0\n';
const CSV = 'a,b\n1,2\n0,0\n-1/2,0.25\n';
const nest = (d: number, inner = '0'): string => '['.repeat(d) + inner + ']'.repeat(d);
const nestObj = (d: number): string => '{"a":'.repeat(d) + '1' + '}'.repeat(d);
const net = (o: Record<string, unknown>): string => JSON.stringify({ format: 'nsad-network', version: 1, inputDim: 2, layers: [{ weights: [[1, -1], [1, 1]] }, { weights: [[1, -1]] }], ...o });
const withLayers = (layers: unknown): string => net({ layers });

function chain(L: number): string {
  const parts = ['{"format":"nsad-network","version":1,"inputDim":1,"layers":['];
  for (let l = 0; l < L - 1; l++) parts.push('{"weights":[[1]]},');
  parts.push('{"weights":[[1]]}]}');
  return parts.join('');
}

/** Malformed networks: [label, text, expected message]. */
function badNetworks(): Array<[string, Bytes, RegExp | undefined]> {
  const bom16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(NET2, 'utf16le')]);
  const badUtf8 = Buffer.concat([Buffer.from('{"format":"nsad-network","version":1,"inputDim":2,"x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
  return [
    ['empty', '', /not valid JSON|Unexpected end/i],
    ['open-brace', '{', /not valid JSON/],
    ['array', '[]', /expected a JSON object/],
    ['null', 'null', /expected a JSON object/],
    ['string', '"x"', /expected a JSON object/],
    ['utf16', bom16, /UTF-16/],
    ['nul-bytes', Buffer.from('{"format":\0"nsad-network"}'), /NUL/],
    ['invalid-utf8', badUtf8, /UTF-8/],
    ['format', net({ format: 'onnx' }), /format/],
    ['version-2', net({ version: 2 }), /version/],
    ['inputDim-0', net({ inputDim: 0 }), /inputDim/],
    ['inputDim-neg', net({ inputDim: -1 }), /inputDim/],
    ['inputDim-frac', net({ inputDim: 1.5 }), /inputDim/],
    ['inputDim-string', net({ inputDim: '2' }), /inputDim/],
    ['inputDim-1e400', NET2.replace('"inputDim":2', '"inputDim":1e400'), /inputDim/],
    ['inputDim-limit', net({ inputDim: 10000001 }), /inputDim/],
    ['layers-missing', '{"format":"nsad-network","version":1,"inputDim":2}', /layers/],
    ['layers-empty', withLayers([]), /layers/],
    ['layers-object', withLayers({}), /layers/],
    ['layer-no-weights', withLayers([{ bias: [0, 0] }, { weights: [[1, -1]] }]), /weights/],
    ['weights-not-array', withLayers([{ weights: 3 }, { weights: [[1]] }]), /weights/],
    ['weights-string', withLayers([{ weights: '[[1,1]]' }, { weights: [[1]] }]), /weights/],
    ['row-length', withLayers([{ weights: [[1, -1, 3], [1, 1]] }, { weights: [[1, -1]] }]), /entries/],
    ['div-zero', withLayers([{ weights: [['1/0', -1], [1, 1]] }, { weights: [[1, -1]] }]), /denominator 0/],
    ['bias-div-zero', withLayers([{ weights: [[1, -1], [1, 1]], bias: ['3/0', 0] }, { weights: [[1, -1]] }]), /denominator 0/],
    ['word-weight', withLayers([{ weights: [['abc', -1], [1, 1]] }, { weights: [[1, -1]] }]), /expected a number/],
    ['exp-1001', NET2.replace('[[1,-1],[1,1]]', '[[1e1001,-1],[1,1]]'), /exponent/],
    ['exp-string-neg', withLayers([{ weights: [['1e-1001', -1], [1, 1]] }, { weights: [[1, -1]] }]), /exponent/],
    ['digits-1001', NET2.replace('[[1,-1],[1,1]]', `[[${'9'.repeat(1001)},-1],[1,1]]`), /digits/],
    ['dup-key', NET2.replace('"version":1', '"version":1,"version":2'), /duplicate key/],
    ['dup-key-escaped', NET2.replace('"version":1', '"version":1,"versio\\u006e":2'), /duplicate key/],
    ['deep-meta-exact', NET2.replace('[[1,-1],[1,1]]', '[[0.5,-1],[1,1]]').replace(/}$/, `,"meta":{"x":${nest(10000)}}}`), /nest|deep/i],
    ['deep-meta-plain', NET2.replace(/}$/, `,"meta":{"x":${nest(10000)}}}`), /nest|deep/i],
    ['deep-meta-object', NET2.replace(/}$/, `,"meta":${nestObj(10000)}}`), /nest|deep/i],
    ['deep-weights', NET2.replace('[[1,-1],[1,1]]', `[[${nest(10000)},-1],[1,1]]`), /nest|deep|expected a number/i],
    ['two-output-rows', withLayers([{ weights: [[1, -1], [1, 1]] }, { weights: [[1, -1], [1, 1]] }]), /exactly 1 row/],
    ['bias-length', withLayers([{ weights: [[1, -1], [1, 1]], bias: [0] }, { weights: [[1, -1]] }]), /bias/],
    ['sparse-repeat', withLayers([{ rows: 2, cols: 2, entries: [[0, 0, 1], [0, 0, 2]] }, { weights: [[1, -1]] }]), /repeated/],
    ['sparse-range', withLayers([{ rows: 2, cols: 2, entries: [[0, 5, 1]] }, { weights: [[1, -1]] }]), /column index/],
    ['sparse-neg', withLayers([{ rows: 2, cols: 2, entries: [[-1, 0, 1]] }, { weights: [[1, -1]] }]), /row index/],
    ['sparse-frac', withLayers([{ rows: 2, cols: 2, entries: [[0.5, 0, 1]] }, { weights: [[1, -1]] }]), /row index/],
    ['sparse-rows-limit', withLayers([{ rows: 100000000, cols: 2, entries: [] }, { weights: [[1]] }]), /limit/],
    ['sparse-cols', withLayers([{ rows: 2, cols: 3, entries: [] }, { weights: [[1, -1]] }]), /cols/],
    ['layers-100001', chain(100001), /100000/],
    ['truncated', NET2.slice(0, NET2.length / 2), /not valid JSON/],
    ['trailing', NET2 + ' x', /not valid JSON/],
    ['nan-token', NET2.replace('[[1,-1],[1,1]]', '[[NaN,-1],[1,1]]'), /not valid JSON/],
    ['infinity-token', NET2.replace('[[1,-1],[1,1]]', '[[Infinity,-1],[1,1]]'), /not valid JSON/],
    ['true-weight', withLayers([{ weights: [[true, -1], [1, 1]] }, { weights: [[1, -1]] }]), /expected a number/],
    ['nested-weight', withLayers([{ weights: [[[1], -1], [1, 1]] }, { weights: [[1, -1]] }]), /expected a number/],
    ['meta-number', net({ meta: 3 }), /meta/],
    ['comment', '// a network\n' + NET2, /not valid JSON/],
    ['single-quotes', NET2.replace(/"/g, "'"), /not valid JSON/],
    ['trailing-comma', NET2.replace(']]}]}', ']],}]}'), /not valid JSON/],
    ['lone-minus', NET2.replace('[[1,-1],[1,1]]', '[[-,-1],[1,1]]'), /not valid JSON/],
  ];
}

function u8(...parts: Array<Uint8Array | number[]>): Uint8Array {
  return Buffer.concat(parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p))));
}

function safetensors(header: unknown, data: Uint8Array, rawHeader?: string): Uint8Array {
  const text = rawHeader ?? JSON.stringify(header);
  const h = Buffer.from(text, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  return u8(len, h, data);
}
const f32 = (v: number[]): Uint8Array => encodeFloats(v, 'float32');
/** A good 2-layer safetensors model: 0.weight [2,2], 0.bias [2], 2.weight [1,2], 2.bias [1]. */
function stGood(): { header: Record<string, unknown>; data: Uint8Array } {
  const data = u8(f32([1, -1, 1, 1]), f32([0, 0]), f32([1, -1]), f32([0]));
  return {
    header: {
      '0.weight': { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
      '0.bias': { dtype: 'F32', shape: [2], data_offsets: [16, 24] },
      '2.weight': { dtype: 'F32', shape: [1, 2], data_offsets: [24, 32] },
      '2.bias': { dtype: 'F32', shape: [1], data_offsets: [32, 36] },
    },
    data,
  };
}

function badSafetensors(): Array<[string, Bytes, RegExp | undefined]> {
  const g = stGood();
  const mod = (f: (h: Record<string, any>) => void): Uint8Array => {
    const h = JSON.parse(JSON.stringify(g.header));
    f(h);
    return safetensors(h, g.data);
  };
  const hugeLen = Buffer.alloc(16);
  hugeLen.writeBigUInt64LE(2n ** 63n);
  return [
    ['short', Buffer.from([1, 2, 3]), /too short/],
    ['empty', Buffer.alloc(0), /too short|empty/],
    ['header-len-huge', hugeLen, /header length/],
    ['header-not-json', safetensors(null, g.data, '{"0.weight": '), /JSON/],
    ['header-array', safetensors([], g.data), /object/],
    ['header-empty', safetensors({}, new Uint8Array()), /no tensors/],
    ['only-metadata', safetensors({ __metadata__: { a: 'b' } }, new Uint8Array()), /no tensors/],
    ['overlap', mod((h) => (h['2.weight'].data_offsets = [0, 8])), /overlap/],
    ['hole', safetensors({ ...g.header, '0.bias': { dtype: 'F32', shape: [2], data_offsets: [20, 28] }, '2.weight': { dtype: 'F32', shape: [1, 2], data_offsets: [28, 36] }, '2.bias': { dtype: 'F32', shape: [1], data_offsets: [36, 40] } }, u8(g.data, f32([0]))), /belong to no tensor/],
    ['zero-padded-index', safetensors({ ...g.header, '00.weight': { dtype: 'F32', shape: [2, 2], data_offsets: [36, 52] } }, u8(g.data, f32([5, 5, 5, 5]))), /00\.weight|leading zero/],
    ['repeated-key', safetensors(null, g.data, JSON.stringify(g.header).replace('"0.bias"', '"0.weight":{"dtype":"F32","shape":[1,4],"data_offsets":[0,16]},"0.bias"')), /duplicate key|repeated/],
    ['deep-metadata', safetensors(null, g.data, JSON.stringify(g.header).replace(/}$/, `,"__metadata__":{"x":${nest(6000, '"a"')}}}`)), /nest|deep|string/i],
    ['metadata-number', safetensors({ ...g.header, __metadata__: { a: 3 } }, g.data), /__metadata__/],
    ['dtype-i32', mod((h) => (h['0.weight'].dtype = 'I32')), /dtype/],
    ['shape-mismatch', mod((h) => (h['0.weight'].shape = [3, 2])), /bytes for shape|expected/],
    ['offsets-out', mod((h) => (h['2.bias'].data_offsets = [32, 400])), /data_offsets/],
    ['offsets-reversed', mod((h) => (h['2.bias'].data_offsets = [36, 32])), /data_offsets/],
    ['offsets-negative', mod((h) => (h['2.bias'].data_offsets = [-4, 0])), /data_offsets/],
    ['offsets-frac', mod((h) => (h['2.bias'].data_offsets = [32.5, 36])), /data_offsets/],
    ['shape-not-list', mod((h) => (h['0.weight'].shape = 'x')), /shape/],
    ['shape-3d', mod((h) => (h['0.weight'].shape = [2, 2, 1])), /shape/],
    ['nan-weight', safetensors(g.header, u8(f32([NaN, -1, 1, 1]), g.data.subarray(16))), /NaN/],
    ['inf-weight', safetensors(g.header, u8(f32([Infinity, -1, 1, 1]), g.data.subarray(16))), /infinite/],
    ['bias-only', safetensors({ '0.bias': { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32([1])), /bias without/],
    ['prefix-mismatch', mod((h) => ((h['a.2.weight'] = h['2.weight']), delete h['2.weight'])), /prefix/],
    ['odd-key', mod((h) => ((h['conv.weight'] = h['2.weight']), delete h['2.weight'])), /not a Linear/],
    ['chain-mismatch', safetensors({ ...g.header, '2.weight': { dtype: 'F32', shape: [2, 1], data_offsets: [24, 32] }, '2.bias': { dtype: 'F32', shape: [2], data_offsets: [32, 40] } }, u8(g.data.subarray(0, 32), f32([0, 0]))), /previous layer|inputs/],
    ['huge-index', mod((h) => ((h['99999999999999999999.weight'] = h['2.weight']), (h['99999999999999999999.bias'] = h['2.bias']), delete h['2.weight'], delete h['2.bias'])), /too large/],
  ];
}

function onnx(nodes: OnnxNode[], inits: OnnxTensor[], inDims: Array<number | string>, opts: { opset?: number; inputs?: string[] } = {}): Uint8Array {
  const dim = (d: number | string) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d });
  const model: OnnxModel = {
    irVersion: 7,
    producerName: 'sweep',
    opsetImport: [{ domain: '', version: opts.opset ?? 13 }],
    graph: {
      name: 'g',
      node: nodes,
      initializer: inits,
      input: (opts.inputs ?? ['x']).map((name) => ({ name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: inDims.map(dim) } } } })),
      output: [{ name: 'y', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [dim('N'), dim(1)] } } } }],
    },
  };
  return encodeModel(model);
}
const T = (name: string, dims: number[], values: number[]): OnnxTensor => ({ name, dims, dataType: DataType.FLOAT, rawData: f32(values) });
const N = (opType: string, input: string[], output: string[], attribute: OnnxNode['attribute'] = []): OnnxNode => ({ opType, input, output, attribute, name: `${opType}_${output[0]}` });
const gemm = (x: string, w: string, b: string, y: string): OnnxNode => N('Gemm', [x, w, b], [y], [{ name: 'transB', type: AttrType.INT, i: 1 }]);
function onnxGood(): Uint8Array {
  return onnx([gemm('x', 'W1', 'b1', 'h'), N('Relu', ['h'], ['r']), gemm('r', 'W2', 'b2', 'y')], [T('W1', [2, 2], [1, -1, 1, 1]), T('b1', [2], [0, 0]), T('W2', [1, 2], [1, -1]), T('b2', [1], [0])], ['N', 2]);
}

function badOnnx(): Array<[string, Bytes, RegExp | undefined, number?]> {
  const good = onnxGood();
  const wide = 30000;
  return [
    ['truncated', good.subarray(0, Math.floor(good.length / 2)), /ONNX|protobuf|decode|truncated|invalid/i],
    ['random-bytes', Uint8Array.from({ length: 200 }, (_, k) => (k * 73 + 11) & 255), /ONNX|protobuf|decode|invalid|wire/i],
    ['empty', new Uint8Array(), /graph|empty/i],
    ['matmul-rank3', onnx([N('MatMul', ['x', 'W'], ['y'])], [T('W', [3, 1], [1, 2, 3])], ['N', 3, 1]), /MatMul|rank|shape/],
    ['dup-initializer', onnx([gemm('x', 'W1', 'b1', 'h'), N('Relu', ['h'], ['r']), gemm('r', 'W2', 'b2', 'y')], [T('W1', [2, 2], [1, -1, 1, 1]), T('W1', [2, 2], [5, 5, 5, 5]), T('b1', [2], [0, 0]), T('W2', [1, 2], [1, -1]), T('b2', [1], [0])], ['N', 2]), /W1|duplicate|twice/],
    ['relu-raw-30000', onnx([N('Relu', ['x'], ['r']), N('MatMul', ['r', 'W'], ['y'])], [T('W', [wide, 1], new Array(wide).fill(1))], ['N', wide]), undefined, 0],
    ['add-raw-30000', onnx([N('Add', ['x', 'c'], ['a']), N('Relu', ['a'], ['r']), N('MatMul', ['r', 'W'], ['y'])], [T('c', [wide], new Array(wide).fill(1)), T('W', [wide, 1], new Array(wide).fill(1))], ['N', wide]), undefined, 0],
    ['conv', onnx([N('Conv', ['x', 'W'], ['y'])], [T('W', [1, 1], [1])], ['N', 1]), /Conv/],
    ['opset-8', onnx([gemm('x', 'W', 'b', 'y')], [T('W', [1, 2], [1, 1]), T('b', [1], [0])], ['N', 2], { opset: 8 }), /opset/],
    ['opset-99', onnx([gemm('x', 'W', 'b', 'y')], [T('W', [1, 2], [1, 1]), T('b', [1], [0])], ['N', 2], { opset: 99 }), /opset/],
    ['two-inputs', onnx([gemm('x', 'W', 'b', 'y')], [T('W', [1, 2], [1, 1]), T('b', [1], [0])], ['N', 2], { inputs: ['x', 'z'] }), /graph input/],
    ['external-data', onnx([gemm('x', 'W', 'b', 'y')], [{ name: 'W', dims: [1, 2], dataType: DataType.FLOAT, dataLocation: 1 }, T('b', [1], [0])], ['N', 2]), /external/],
    ['int-weight', onnx([gemm('x', 'W', 'b', 'y')], [{ name: 'W', dims: [1, 2], dataType: DataType.INT32, int32Data: [1, 1] }, T('b', [1], [0])], ['N', 2]), /dtype/],
    ['nan-weight', onnx([gemm('x', 'W', 'b', 'y')], [T('W', [1, 2], [NaN, 1]), T('b', [1], [0])], ['N', 2]), /NaN/],
    ['transpose-data', onnx([N('Transpose', ['x'], ['t']), gemm('t', 'W', 'b', 'y')], [T('W', [1, 2], [1, 1]), T('b', [1], [0])], ['N', 2]), /Transpose/],
    ['gemm-transA', onnx([N('Gemm', ['x', 'W', 'b'], ['y'], [{ name: 'transA', type: AttrType.INT, i: 1 }])], [T('W', [2, 1], [1, 1]), T('b', [1], [0])], ['N', 2]), /transA/],
    ['raw-length', onnx([gemm('x', 'W', 'b', 'y')], [{ name: 'W', dims: [1, 2], dataType: DataType.FLOAT, rawData: f32([1]) }, T('b', [1], [0])], ['N', 2]), /raw_data/],
    ['dims-huge', onnx([gemm('x', 'W', 'b', 'y')], [{ name: 'W', dims: [1e9, 1e9], dataType: DataType.FLOAT, rawData: f32([1, 1]) }, T('b', [1], [0])], ['N', 2]), /raw_data|dims/],
    ['off-path', onnx([gemm('x', 'W', 'b', 'h'), N('Relu', ['x'], ['y'])], [T('W', [1, 2], [1, 1]), T('b', [1], [0])], ['N', 2]), /data path/],
    ['no-layer', onnx([N('Identity', ['x'], ['y'])], [], ['N', 2]), /no Gemm/],
    ['features-mismatch', onnx([gemm('x', 'W', 'b', 'y')], [T('W', [1, 3], [1, 1, 1]), T('b', [1], [0])], ['N', 2]), /features/],
    ['self-add', onnx([N('Add', ['x', 'x'], ['y'])], [], ['N', 2]), /itself/],
    ['output-name', onnx([gemm('x', 'W', 'b', 'z')], [T('W', [1, 2], [1, 1]), T('b', [1], [0])], ['N', 2]), /graph output/],
  ];
}

function npy(descr: string, shape: string, data: Uint8Array, version = 1): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const pre = version === 1 ? 10 : 12;
  while ((pre + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const h = Buffer.alloc(pre);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(h);
  if (version === 1) h.writeUInt16LE(header.length, 8);
  else h.writeUInt32LE(header.length, 8);
  return u8(h, Buffer.from(header, 'latin1'), data);
}

function bigCnf(m: number, n: number): string {
  let s = 12345;
  const rnd = (k: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s % k) + 1;
  };
  const parts = [`p cnf ${n} ${m}\n`];
  for (let i = 0; i < m; i++) {
    const a = rnd(n) * (rnd(2) === 1 ? 1 : -1);
    const b = rnd(n) * (rnd(2) === 1 ? 1 : -1);
    const c = rnd(n) * (rnd(2) === 1 ? 1 : -1);
    parts.push(`${a} ${b} ${c} 0\n`);
  }
  return parts.join('');
}

// ---------------------------------------------------------------- the cases

export function cases(shared: Shared): Case[] {
  const cs: Case[] = [];
  const add = (c: Case): void => void cs.push(c);
  const nets = badNetworks();

  // 1. Malformed networks through eval (all of them), and the hostile ones through every reader.
  for (const [label, text, msg] of nets) add({ id: `eval/net/${label}`, args: ['eval', 'n.json', '--at', '0,0'], files: { 'n.json': text }, message: msg });
  const hostile = nets.filter(([l]) => /deep|dup-key|exp-|digits|utf16|invalid-utf8|two-output|sparse-rows|layers-100001|empty|truncated|div-zero|nan/.test(l));
  for (const [label, text, msg] of hostile) {
    add({ id: `grad/net/${label}`, args: ['grad', 'n.json', '--at', '0,0'], files: { 'n.json': text }, message: msg });
    add({ id: `lex/net/${label}`, args: ['lex', 'n.json', '--at', '0,0'], files: { 'n.json': text }, message: msg });
    add({ id: `dir/net/${label}`, args: ['dir', 'n.json', '--at', '0,0', '--dir', '1,0'], files: { 'n.json': text }, message: msg });
    add({ id: `conservative/net/${label}`, args: ['conservative', 'n.json'], files: { 'n.json': text }, message: msg });
    add({ id: `clarke-one/net/${label}`, args: ['clarke-one', 'n.json'], files: { 'n.json': text }, message: msg });
    add({ id: `clarke/net/${label}`, args: ['clarke', 'n.json', '--time-limit', '10'], files: { 'n.json': text }, message: msg });
    add({ id: `verify/net/${label}`, args: ['verify', 'n.json', 'c.json'], files: { 'n.json': text, 'c.json': shared.cert } });
    add({ id: `export/net/${label}`, args: ['export', 'n.json', '--onnx', 'o.onnx'], files: { 'n.json': text }, message: msg });
    add({ id: `audit/net/${label}`, args: ['audit', 'n.json', '--inputs', 'in.csv', '--no-clarke', '--quiet'], files: { 'n.json': text, 'in.csv': CSV }, message: msg });
    add({ id: `decode/net/${label}`, args: ['decode', 'n.json', '--cnf', 'f.cnf', '--at', '1,1'], files: { 'n.json': text, 'f.cnf': CNF }, message: msg });
  }

  // 2. Points, directions, bases.
  const atLits: Array<[string, RegExp | undefined]> = [['1,,2', undefined], ['1/0,0', undefined], ['abc', undefined], ['1e5000,0', /exponent|expected/], ['', undefined], ['1,2,3', /coordinates|expected 2|dimension/], ['NaN,0', undefined], ['0x1,0', undefined], [' ', undefined], ['1/2/3,0', undefined], ['Infinity,0', undefined], [`${'1'.repeat(1001)},0`, /digits|expected/]];
  for (const [at, msg] of atLits) {
    for (const cmd of ['eval', 'grad', 'lex', 'conservative', 'clarke-one', 'clarke'])
      add({ id: `${cmd}/at/${JSON.stringify(at).slice(0, 20)}`, args: [cmd, 'n.json', '--at', at, ...(cmd === 'clarke' ? ['--time-limit', '10'] : [])], files: { 'n.json': NET2 }, message: msg });
  }
  const atFiles: Array<[string, Bytes, RegExp | undefined]> = [
    ['deep', nest(10000), /nest|deep/i],
    ['deep-object', `[${nestObj(10000)}]`, /nest|deep/i],
    ['object', '{"x":1}', /array/],
    ['exp', '[1e1001,0]', /exponent/],
    ['empty', '', /JSON/],
    ['word', '[1,"a"]', /number/],
    ['utf16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[1,0]', 'utf16le')]), /UTF-16/],
    ['dup-key', '[{"a":1,"a":2}]', /duplicate|number/],
  ];
  for (const [label, text, msg] of atFiles)
    for (const cmd of ['eval', 'grad', 'lex', 'clarke', 'conservative'])
      add({ id: `${cmd}/at-file/${label}`, args: [cmd, 'n.json', '--at', 'x.json', ...(cmd === 'clarke' ? ['--time-limit', '10'] : [])], files: { 'n.json': NET2, 'x.json': text }, message: msg });
  add({ id: 'eval/at-folder', args: ['eval', 'n.json', '--at', 'sub'], files: { 'n.json': NET2, 'sub/keep': 'x' } });
  const bases: Array<[string, Bytes, RegExp | undefined]> = [
    ['deep', nest(10000), /nest|deep/i],
    ['singular', '[[1,0],[1,0]]', /singular|basis|independent/i],
    ['shape', '[[1]]', /basis|entries|expected/],
    ['not-array', '{"a":1}', /array/],
    ['three-rows', '[[1,0],[0,1],[1,1]]', /basis|expected|rows/],
    ['word', '[["a",0],[0,1]]', /number/],
    ['empty', '', /JSON/],
    ['exp', '[[1e-1001,0],[0,1]]', /exponent/],
  ];
  for (const [label, text, msg] of bases) add({ id: `lex/basis/${label}`, args: ['lex', 'n.json', '--at', '0,0', '--basis', 'm.json'], files: { 'n.json': NET2, 'm.json': text }, message: msg });
  for (const [label, d] of [['dim', '1,2,3'], ['word', 'abc'], ['zero-den', '1/0,1']] as const) add({ id: `dir/dir/${label}`, args: ['dir', 'n.json', '--at', '0,0', '--dir', d], files: { 'n.json': NET2 } });
  add({ id: 'dir/dir/deep-file', args: ['dir', 'n.json', '--at', '0,0', '--dir', 'd.json'], files: { 'n.json': NET2, 'd.json': nest(10000) }, message: /nest|deep/i });

  // 3. Options.
  for (const s of ['2', '-1', 'random:abc', '1/0', 'nan', '', 'random:-1', '0.5.5', '3/2']) add({ id: `grad/relu-prime/${s}`, args: ['grad', 'n.json', '--at', '0,0', '--relu-prime', s], files: { 'n.json': NET2 } });
  for (const c of ['0', '1', 'abc', '10000000', '']) add({ id: `conservative/count/${c}`, args: ['conservative', 'n.json', '--count', c], files: { 'n.json': NET2 } });
  for (const s of ['-1', 'abc', '1e20', '99999999999999999999']) {
    add({ id: `conservative/seed/${s}`, args: ['conservative', 'n.json', '--seed', s], files: { 'n.json': NET2 } });
    add({ id: `clarke-one/seed/${s}`, args: ['clarke-one', 'n.json', '--seed', s], files: { 'n.json': NET2 } });
    add({ id: `clarke/seed/${s}`, args: ['clarke', 'n.json', '--seed', s], files: { 'n.json': NET2 } });
  }
  const wide = JSON.stringify({ format: 'nsad-network', version: 1, inputDim: 1, layers: [{ weights: Array.from({ length: 24 }, () => [1]) }, { weights: [new Array(24).fill(1)] }] });
  add({ id: 'conservative/all-too-many', args: ['conservative', 'w.json', '--all'], files: { 'w.json': wide }, message: /20|free/ });
  for (const t of ['0', '-1', 'abc', '1e8', '', 'Infinity']) {
    add({ id: `clarke/time-limit/${t}`, args: ['clarke', 'n.json', '--time-limit', t], files: { 'n.json': NET2 } });
    add({ id: `decide/time-limit/${t}`, args: ['decide', 'f.cnf', '--time-limit', t], files: { 'f.cnf': CNF } });
    add({ id: `sat/time-limit/${t}`, args: ['sat', 'f.cnf', '--time-limit', t], files: { 'f.cnf': CNF } });
    add({ id: `milp/time-limit/${t}`, args: ['milp', 'm.lp', '--time-limit', t], files: { 'm.lp': shared.lp } });
    add({ id: `audit/time-limit/${t}`, args: ['audit', 'n.json', '--inputs', 'in.csv', '--time-limit', t, '--quiet'], files: { 'n.json': NET2, 'in.csv': CSV } });
  }
  for (const s of ['foo', 'BAB ', '']) {
    add({ id: `clarke/solver/${s}`, args: ['clarke', 'n.json', '--solver', s], files: { 'n.json': NET2 } });
    add({ id: `decide/solver/${s}`, args: ['decide', 'f.cnf', '--solver', s], files: { 'f.cnf': CNF } });
  }

  // 4. Output paths: never an input, never another output of the same command, checked before work.
  const outs: Case[] = [
    { id: 'clarke/out/cert-is-net', args: ['clarke', 'n.json', '--certificate', 'n.json'], files: { 'n.json': ABS }, message: /input/ },
    { id: 'clarke/out/cert-is-at', args: ['clarke', 'n.json', '--at', 'x.json', '--certificate', 'x.json'], files: { 'n.json': ABS, 'x.json': '[0]' }, message: /input/ },
    { id: 'clarke/out/proof-is-cert', args: ['clarke', 'n.json', '--certificate', 'p', '--proof', 'p'], files: { 'n.json': ABS } },
    { id: 'clarke/out/proof-is-cert-spelled', args: ['clarke', 'n.json', '--certificate', 'p', '--proof', './p'], files: { 'n.json': ABS } },
    { id: 'clarke/out/export-ext', args: ['clarke', 'n.json', '--export', 'm.txt'], files: { 'n.json': ABS } },
    { id: 'clarke/out/export-is-net', args: ['clarke', 'n.json', '--export', 'n.json.lp'], files: { 'n.json': ABS, 'n.json.lp': 'x' }, code: 0, outputs: ['n.json.lp'] },
    { id: 'clarke/out/cert-folder', args: ['clarke', 'n.json', '--certificate', 'sub'], files: { 'n.json': ABS, 'sub/keep': 'x' } },
    { id: 'clarke/out/cert-under-file', args: ['clarke', 'n.json', '--certificate', 'n.json/c.json'], files: { 'n.json': ABS } },
    { id: 'clarke/out/cert-is-cnf', args: ['clarke', 'n.json', '--cnf', 'f.cnf', '--certificate', 'f.cnf'], files: { 'n.json': ABS, 'f.cnf': CNF } },
    { id: 'clarke/cnf-missing', args: ['clarke', 'n.json', '--cnf', 'nope.cnf'], files: { 'n.json': ABS }, message: /nope\.cnf/ },
    { id: 'clarke/cnf-mismatch', args: ['clarke', 'n.json', '--cnf', 'f.cnf'], files: { 'n.json': ABS, 'f.cnf': CNF }, message: /not the reduction/ },
    { id: 'decide/out/network-is-cnf', args: ['decide', 'f.cnf', '--network', 'f.cnf'], files: { 'f.cnf': CNF }, message: /input/ },
    { id: 'decide/out/cert-is-network', args: ['decide', 'f.cnf', '--network', 'o.json', '--certificate', 'o.json'], files: { 'f.cnf': CNF } },
    { id: 'decide/out/cert-is-network-spelled', args: ['decide', 'f.cnf', '--network', 'o.json', '--certificate', './o.json'], files: { 'f.cnf': CNF } },
    { id: 'decide/out/proof-is-cnf', args: ['decide', 'f.cnf', '--proof', 'f.cnf'], files: { 'f.cnf': UNSAT }, message: /input/ },
    { id: 'reduce/out/is-input', args: ['reduce', 'f.cnf', '--out', 'f.cnf'], files: { 'f.cnf': CNF }, message: /input/ },
    { id: 'reduce/out/folder', args: ['reduce', 'f.cnf', '--out', 'sub'], files: { 'f.cnf': CNF, 'sub/keep': 'x' } },
    { id: 'reduce/out/empty', args: ['reduce', 'f.cnf', '--out', ''], files: { 'f.cnf': CNF } },
    { id: 'reduce/out/under-file', args: ['reduce', 'f.cnf', '--out', 'f.cnf/x.json'], files: { 'f.cnf': CNF } },
    { id: 'reduce/sparse-dense', args: ['reduce', 'f.cnf', '--out', 'o.json', '--sparse', '--dense'], files: { 'f.cnf': CNF } },
    { id: 'import/out/is-model', args: ['import', 'm.onnx', '--out', 'm.onnx'], files: { 'm.onnx': onnxGood() }, message: /input/ },
    { id: 'import/out/is-model-st', args: ['import', 'm.safetensors', '--out', 'm.safetensors'], files: { 'm.safetensors': safetensors(stGood().header, stGood().data) }, message: /input/ },
    { id: 'import/out/folder', args: ['import', 'm.onnx', '--out', 'sub'], files: { 'm.onnx': onnxGood(), 'sub/keep': 'x' } },
    { id: 'export/out/onnx-is-net', args: ['export', 'n.json', '--onnx', 'n.json'], files: { 'n.json': NET2 }, message: /input/ },
    { id: 'export/out/st-is-net', args: ['export', 'n.json', '--safetensors', 'n.json'], files: { 'n.json': NET2 }, message: /input/ },
    { id: 'export/out/same-twice', args: ['export', 'n.json', '--onnx', 'x', '--safetensors', 'x'], files: { 'n.json': NET2 } },
    { id: 'export/out/same-twice-spelled', args: ['export', 'n.json', '--onnx', 'x', '--safetensors', './x'], files: { 'n.json': NET2 } },
    { id: 'export/out/folder', args: ['export', 'n.json', '--onnx', 'sub'], files: { 'n.json': NET2, 'sub/keep': 'x' } },
    { id: 'audit/out/md-is-inputs', args: ['audit', 'n.json', '--inputs', 'in.csv', '--markdown', 'in.csv', '--quiet'], files: { 'n.json': NET2, 'in.csv': CSV }, message: /input/ },
    { id: 'audit/out/svg-is-net', args: ['audit', 'n.json', '--inputs', 'in.csv', '--svg', 'n.json', '--quiet'], files: { 'n.json': NET2, 'in.csv': CSV }, message: /input/ },
    { id: 'audit/out/md-is-svg', args: ['audit', 'n.json', '--inputs', 'in.csv', '--markdown', 'x', '--svg', 'x', '--quiet'], files: { 'n.json': NET2, 'in.csv': CSV } },
    { id: 'audit/out/md-is-model', args: ['audit', 'm.onnx', '--inputs', 'in.csv', '--markdown', 'm.onnx', '--quiet'], files: { 'm.onnx': onnxGood(), 'in.csv': CSV }, message: /input/ },
    { id: 'milp/out/convert-is-input', args: ['milp', 'm.lp', '--convert', 'm.lp'], files: { 'm.lp': shared.lp }, message: /input/ },
    { id: 'milp/out/convert-ext', args: ['milp', 'm.lp', '--convert', 'm.txt'], files: { 'm.lp': shared.lp } },
    { id: 'milp/out/convert-folder', args: ['milp', 'm.lp', '--convert', 'sub.mps'], files: { 'm.lp': shared.lp, 'sub.mps/keep': 'x' } },
  ];
  outs.forEach(add);

  // 5. CNF inputs.
  for (const [name, bytes] of shared.badCnfs) {
    add({ id: `sat/cnf/${name}`, args: ['sat', name, ...(name.startsWith('count-mismatch-strict') ? ['--strict'] : [])], files: { [name]: bytes } });
    add({ id: `decide/cnf/${name}`, args: ['decide', name], files: { [name]: bytes }, code: name.startsWith('count-mismatch-strict') ? 0 : 2 });
    if (/empty|header|unterminated|truncated|utf16/.test(name)) add({ id: `reduce/cnf/${name}`, args: ['reduce', name, '--out', 'o.json'], files: { [name]: bytes } });
  }
  add({ id: 'sat/missing', args: ['sat', 'nope.cnf'], message: /nope\.cnf/ });
  add({ id: 'sat/folder', args: ['sat', 'sub'], files: { 'sub/keep': 'x' } });
  add({ id: 'sat/stdin-bad', args: ['sat', '-'], stdin: 'p cnf 1 1\n2 0\n' });
  add({ id: 'decide/stdin-bad', args: ['decide', '-'], stdin: 'hello\n' });
  add({ id: 'sat/1e6-clauses', args: ['sat', 'big.cnf'], files: { 'big.cnf': shared.bigCnf }, code: 2, message: /limit|large|memory/i, maxMs: 120_000, notOut: /^s UNKNOWN/m });
  add({ id: 'decide/1e6-clauses-time-limit-10', args: ['decide', 'big.cnf', '--time-limit', '10'], files: { 'big.cnf': shared.bigCnf }, code: 0, maxMs: 25_000, message: /unknown|limit/i });

  // 6. decode.
  add({ id: 'decode/not-reduction', args: ['decode', 'n.json', '--cnf', 'f.cnf', '--at', '1,1'], files: { 'n.json': NET2, 'f.cnf': CNF }, code: 1 });
  add({ id: 'decode/not-reduction-positive', args: ['decode', 'n.json', '--cnf', 'f.cnf', '--at', '1,-1'], files: { 'n.json': NET2, 'f.cnf': 'p cnf 2 1\n-1 0\n' }, message: /not the reduction/ });
  add({ id: 'decode/at-dim', args: ['decode', 'r.json', '--cnf', 'f.cnf', '--at', '1,1,1'], files: { 'r.json': shared.reducedCnf, 'f.cnf': CNF }, message: /coordinates/ });
  add({ id: 'decode/cnf-bad', args: ['decode', 'r.json', '--cnf', 'g.cnf', '--at', '1,1'], files: { 'r.json': shared.reducedCnf, 'g.cnf': 'p cnf x\n' } });
  add({ id: 'decode/sha-mismatch', args: ['decode', 'r.json', '--cnf', 'g.cnf', '--at', '1,1'], files: { 'r.json': shared.reducedCnf, 'g.cnf': 'p cnf 2 2\n1 2 0\n-1 -2 0\nc other\n' }, message: /sha256|different/ });
  add({ id: 'decode/at-deep', args: ['decode', 'r.json', '--cnf', 'f.cnf', '--at', 'x.json'], files: { 'r.json': shared.reducedCnf, 'f.cnf': CNF, 'x.json': nest(10000) }, message: /nest|deep/i });

  // 7. verify: certificates and proofs.
  const cert = JSON.parse(shared.cert) as Record<string, unknown>;
  const certVariants: Array<[string, Bytes, number, RegExp | undefined]> = [
    ['empty', '', 2, /JSON/],
    ['not-json', '{"format":', 2, /JSON/],
    ['format', JSON.stringify({ ...cert, format: 'x' }), 2, /format/],
    ['version', JSON.stringify({ ...cert, version: 2 }), 2, /version/],
    ['no-at', JSON.stringify({ ...cert, at: undefined }), 2, /at/],
    ['at-length', JSON.stringify({ ...cert, at: [0, 0] }), 2, /at/],
    ['one-direction', JSON.stringify({ ...cert, directions: [[1]] }), 2, /direction/],
    ['gradient-word', JSON.stringify({ ...cert, gradients: [['a'], [1]] }), 2, /rational|number/],
    ['at-1e-1001', shared.cert.replace(/"at":\s*\[[^\]]*\]/, '"at":[1e-1001]'), 2, /exponent/],
    ['at-1e1001', shared.cert.replace(/"at":\s*\[[^\]]*\]/, '"at":[1e1001]'), 2, /exponent/],
    ['deep', shared.cert.replace(/}\s*$/, `,"x":${nest(10000)}}`), 2, /nest|deep/i],
    ['dup-key', shared.cert.replace(/"version":\s*1/, '"version":2,"version":1'), 2, /duplicate/],
    ['utf16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(shared.cert, 'utf16le')]), 2, /UTF-16/],
    ['nul', Buffer.from(shared.cert.replace('{', '{\0')), 2, /NUL/],
    ['same-gradients', JSON.stringify({ ...cert, gradients: [(cert.gradients as unknown[])[0], (cert.gradients as unknown[])[0]] }), 1, undefined],
  ];
  for (const [label, text, code, msg] of certVariants) add({ id: `verify/cert/${label}`, args: ['verify', 'n.json', 'c.json'], files: { 'n.json': ABS, 'c.json': text }, code, message: msg });
  add({ id: 'verify/cert-missing', args: ['verify', 'n.json', 'nope.json'], files: { 'n.json': ABS }, message: /nope\.json/ });
  const pl = shared.proof.split('\n').filter((l) => l !== '');
  const head = JSON.parse(pl[0]!) as Record<string, unknown>;
  // The first coordinate of the header's "at" replaced by `v`.
  const at0 = (v: string): string => pl[0]!.replace(/"at":\s*\[[^,\]]*/, `"at":[${v}`);
  const proofVariants: Array<[string, string, number | number[], RegExp | undefined]> = [
    ['truncated-half', pl.slice(0, Math.max(2, pl.length >> 1)).join('\n') + '\n', [1, 2], undefined],
    ['truncated-mid-line', shared.proof.slice(0, shared.proof.length - 5), [1, 2], undefined],
    ['header-only', pl[0]! + '\n', [1, 2], undefined],
    ['reordered', [pl[0]!, ...pl.slice(1).reverse()].join('\n') + '\n', [1, 2], undefined],
    ['bom', '\ufeff' + shared.proof, 0, undefined],
    ['signs-bad', [JSON.stringify({ ...head, signs: [2] }), ...pl.slice(1)].join('\n') + '\n', 2, /signs/],
    ['sha-number', [JSON.stringify({ ...head, network: { sha256: 3 } }), ...pl.slice(1)].join('\n') + '\n', 2, /sha256/],
    ['inputDim', [JSON.stringify({ ...head, inputDim: 5 }), ...pl.slice(1)].join('\n') + '\n', 2, /inputDim/],
    ['at-exact', [at0('1.0000000000000001'), ...pl.slice(1)].join('\n') + '\n', 1, undefined],
    ['at-1e-1001', [at0('1e-1001'), ...pl.slice(1)].join('\n') + '\n', 2, /exponent/],
    ['dup-key', [pl[0]!.replace('"version":1', '"version":2,"version":1'), ...pl.slice(1)].join('\n') + '\n', 2, /duplicate/],
    ['deep-line', [pl[0]!, nest(10000), ...pl.slice(1)].join('\n') + '\n', 2, /nest|deep/i],
    ['extra-after-end', shared.proof + '["x",0,0]\n', [1, 2], undefined],
    ['no-end', pl.slice(0, -1).join('\n') + '\n', [1, 2], undefined],
    ['one-sign', [JSON.stringify({ ...head, signs: [1] }), ...pl.slice(1, 1 + pl.slice(1).findIndex((l) => l.startsWith('{"end"')) + 1)].join('\n') + '\n', 1, undefined],
    ['other-network', shared.proof, 1, undefined],
  ];
  for (const [label, text, code, msg] of proofVariants)
    add({ id: `verify/proof/${label}`, args: ['verify', label === 'other-network' ? 'o.json' : 'n.json', 'p.jsonl'], files: { 'n.json': shared.proofNet, 'o.json': ABS, 'p.jsonl': text }, ...(Array.isArray(code) ? { codes: code } : { code }), message: msg });

  // 8. milp.
  for (const [label, file, text] of [
    ['missing', 'nope.lp', null],
    ['ext', 'm.txt', 'x'],
    ['empty-lp', 'm.lp', ''],
    ['garbage-lp', 'm.lp', 'this is not a model\n'],
    ['garbage-mps', 'm.mps', 'NAME\nROWS\n X Y Z\n'],
    ['binary', 'm.lp', Buffer.from([0, 1, 2, 3, 255])],
  ] as const)
    add({ id: `milp/${label}`, args: ['milp', file], files: text === null ? {} : { [file]: text } });
  add({ id: 'milp/solver', args: ['milp', 'm.lp', '--solver', 'cplex'], files: { 'm.lp': shared.lp } });

  // 9. import: ONNX and safetensors.
  for (const [label, bytes, msg, code] of badOnnx())
    add({ id: `import/onnx/${label}`, args: ['import', 'm.onnx', '--out', 'o.json'], files: { 'm.onnx': bytes }, message: msg, code: code ?? 2, maxMs: 60_000, outputs: code === 0 ? ['o.json'] : undefined });
  for (const [label, bytes, msg] of badSafetensors())
    add({ id: `import/safetensors/${label}`, args: ['import', 'm.safetensors', '--out', 'o.json'], files: { 'm.safetensors': bytes }, message: msg });
  add({ id: 'import/output-range', args: ['import', 'm.onnx', '--out', 'o.json', '--output', '5'], files: { 'm.onnx': onnxGood() }, message: /output/ });
  add({ id: 'import/output-neg', args: ['import', 'm.onnx', '--out', 'o.json', '--output', '-1'], files: { 'm.onnx': onnxGood() } });
  add({ id: 'import/output-word', args: ['import', 'm.onnx', '--out', 'o.json', '--output', 'x'], files: { 'm.onnx': onnxGood() } });
  add({ id: 'import/format', args: ['import', 'm.onnx', '--out', 'o.json', '--format', 'keras'], files: { 'm.onnx': onnxGood() } });
  add({ id: 'import/unknown-ext', args: ['import', 'm.bin', '--out', 'o.json'], files: { 'm.bin': 'hello' } });
  add({ id: 'import/onnx-is-st', args: ['import', 'm.onnx', '--out', 'o.json'], files: { 'm.onnx': safetensors(stGood().header, stGood().data) } });
  add({ id: 'import/missing', args: ['import', 'nope.onnx', '--out', 'o.json'], message: /nope\.onnx/ });

  // 10. export.
  for (const o of ['0xd', '8', '22', '1e1', '13.0', '', '13abc', '-13']) add({ id: `export/opset/${JSON.stringify(o)}`, args: ['export', 'n.json', '--onnx', 'o.onnx', '--opset', o], files: { 'n.json': NET2 }, message: /--opset/ });
  add({ id: 'export/opset/" 13"', args: ['export', 'n.json', '--onnx', 'o.onnx', '--opset', ' 13'], files: { 'n.json': NET2 }, code: 0, outputs: ['o.onnx'] });
  add({ id: 'export/dtype', args: ['export', 'n.json', '--onnx', 'o.onnx', '--dtype', 'int8'], files: { 'n.json': NET2 } });
  add({ id: 'export/third', args: ['export', 't.json', '--onnx', 'o.onnx'], files: { 't.json': withLayers([{ weights: [['1/3', -1], [1, 1]] }, { weights: [[1, -1]] }]) }, message: /representable/ });
  add({ id: 'export/third-st', args: ['export', 't.json', '--safetensors', 'o.st'], files: { 't.json': withLayers([{ weights: [['1/3', -1], [1, 1]] }, { weights: [[1, -1]] }]) }, message: /representable/ });
  add({ id: 'export/float16-overflow', args: ['export', 't.json', '--onnx', 'o.onnx', '--dtype', 'float16'], files: { 't.json': withLayers([{ weights: [[70000, -1], [1, 1]] }, { weights: [[1, -1]] }]) }, message: /representable/ });
  add({ id: 'export/no-output', args: ['export', 'n.json'], files: { 'n.json': NET2 } });

  // 11. audit inputs.
  const csvs: Array<[string, Bytes, RegExp | undefined]> = [
    ['nan-first-row', 'NaN,NaN\n1,2\n', /NaN/],
    ['nan-header-mix', 'NaN,x\n1,2\n', /NaN/],
    ['inf-first-row', 'inf,-Infinity\n1,2\n', /inf/i],
    ['escape-bytes', 'a,b\n1,\x1b[31mred\n', undefined],
    ['cr-in-field', 'a,b\n1,2\r3\n', undefined],
    ['invalid-utf8', Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\n')]), /UTF-8|not a number/],
    ['utf16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]), /UTF-16/],
    ['columns', 'a,b\n1,2,3\n', /expected 2/],
    ['empty', '', /no input rows/],
    ['header-only', 'a,b\n', /no input rows/],
    ['div-zero', 'a,b\n1/0,2\n', /not a number|denominator/],
    ['exp-5000', 'a,b\n1e5000,2\n', /exponent|not a number/],
    ['digits', `a,b\n${'9'.repeat(5000)},2\n`, /digits|not a number/],
    ['long-field', `a,b\n${'x'.repeat(5000)},2\n`, /not a number/],
    ['nul', Buffer.from('a,b\n1,\0\n'), /NUL/],
  ];
  for (const [label, text, msg] of csvs) add({ id: `audit/csv/${label}`, args: ['audit', 'n.json', '--inputs', 'in.csv', '--no-clarke', '--quiet'], files: { 'n.json': NET2, 'in.csv': text }, message: msg });
  add({ id: 'audit/round-overflow', args: ['audit', 'n.json', '--inputs', 'in.csv', '--round-inputs', 'float32', '--no-clarke', '--quiet'], files: { 'n.json': NET2, 'in.csv': 'a,b\n1,2\n1e39,0\n' }, message: /in\.csv:3/ });
  add({ id: 'audit/round-overflow-f16', args: ['audit', 'n.json', '--inputs', 'in.csv', '--round-inputs', 'float16', '--no-clarke', '--quiet'], files: { 'n.json': NET2, 'in.csv': 'a,b\n70000,2\n' }, message: /in\.csv:2/ });
  const npys: Array<[string, Uint8Array, RegExp | undefined]> = [
    ['magic', Buffer.from('not numpy at all'), /npy|magic|not a number|expected/],
    ['truncated', npy('<f4', '(2, 2)', f32([1, 2])), /bytes|truncated/],
    ['big-endian', npy('>f4', '(1, 2)', f32([1, 2])), /big-endian/],
    ['dim', npy('<f4', '(1, 3)', f32([1, 2, 3])), /inputDim/],
    ['nan', npy('<f4', '(1, 2)', f32([NaN, 2])), /NaN/],
    ['version-9', npy('<f4', '(1, 2)', f32([1, 2]), 9), /version/],
    ['object', npy('|O', '(1, 2)', new Uint8Array(16)), /descr/],
    ['shape-huge', npy('<f4', '(99999999999999999999, 2)', f32([1, 2])), /bytes|shape/],
    ['no-rows', npy('<f4', '(0, 2)', new Uint8Array()), /no input rows/],
  ];
  for (const [label, bytes, msg] of npys) add({ id: `audit/npy/${label}`, args: ['audit', 'n.json', '--inputs', 'in.npy', '--no-clarke', '--quiet'], files: { 'n.json': NET2, 'in.npy': bytes }, message: msg });
  for (const [label, opt, v] of [['float', '--float', 'float8'], ['output', '--output', 'x'], ['seed', '--seed', '-1'], ['round', '--round-inputs', 'int8'], ['output-st', '--output', '7']] as const)
    add({ id: `audit/opt/${label}`, args: ['audit', label === 'output-st' ? 'm.onnx' : 'n.json', '--inputs', 'in.csv', opt, v, '--quiet'], files: { 'n.json': NET2, 'in.csv': CSV, 'm.onnx': onnxGood() } });
  add({ id: 'audit/inputs-missing', args: ['audit', 'n.json', '--inputs', 'nope.csv', '--quiet'], files: { 'n.json': NET2 }, message: /nope\.csv/ });
  add({ id: 'audit/inputs-folder', args: ['audit', 'n.json', '--inputs', 'sub', '--quiet'], files: { 'n.json': NET2, 'sub/keep': 'x' } });
  // Imported sparse (no dense 30,000² identity), then refused by the audit's dense float passes, naming the model.
  add({ id: 'audit/model-relu-30000', args: ['audit', 'm.onnx', '--inputs', 'in.npy', '--no-clarke', '--quiet'], files: { 'm.onnx': badOnnx().find(([l]) => l === 'relu-raw-30000')![1], 'in.npy': npy('<f4', '(1, 30000)', f32(new Array(30000).fill(0))) }, message: /^nsad: m\.onnx: a 30000×30000 layer is too large/, maxMs: 120_000 });
  add({ id: 'audit/model-overlap', args: ['audit', 'm.safetensors', '--inputs', 'in.csv', '--no-clarke', '--quiet'], files: { 'm.safetensors': badSafetensors().find(([l]) => l === 'overlap')![1], 'in.csv': CSV }, message: /overlap/ });

  // 12. experiment: shard, resume, merge.
  for (const s of ['1/99999999999999999999', '0/1', '2/1', 'abc', '1/0', '1/2/3', ' / ', '-1/2', '1.5/2', '1/1e3'])
    add({ id: `experiment/shard/${JSON.stringify(s)}`, args: ['experiment', 'artifacts', '--quick', '--out', 'out', '--shard', s, '--no-progress'] });
  for (const [opt, v] of [['--jobs', '0'], ['--jobs', 'abc'], ['--jobs', '100000'], ['--time-limit', '0'], ['--time-limit', 'x'], ['--seed', '-1'], ['--seed', 'x'], ['--methods', 'cplex'], ['--methods', '']] as const)
    add({ id: `experiment/opt/${opt}=${v}`, args: ['experiment', 'artifacts', '--quick', '--out', 'out', opt, v, '--no-progress'] });
  add({ id: 'experiment/unknown', args: ['experiment', 'nope', '--out', 'out'] });
  add({ id: 'experiment/extra-args', args: ['experiment', 'artifacts', 'extra', '--out', 'out'] });
  add({ id: 'experiment/out-is-file', args: ['experiment', 'artifacts', '--quick', '--out', 'f', '--no-progress'], files: { f: 'x' } });
  add({ id: 'experiment/merge/none', args: ['experiment', 'merge', '--out', 'out'] });
  add({ id: 'experiment/merge/missing', args: ['experiment', 'merge', 'nope', '--out', 'out'], message: /nope/ });
  const A = shared.shardA;
  const B = shared.shardB;
  add({ id: 'experiment/merge/out-is-A', args: ['experiment', 'merge', 'A', 'B', '--out', 'A', '--no-progress'], files: { ...A, ...B }, message: /A/ });
  add({ id: 'experiment/merge/out-is-B-spelled', args: ['experiment', 'merge', 'A', 'B', '--out', './B/', '--no-progress'], files: { ...A, ...B } });
  add({ id: 'experiment/merge/same-twice', args: ['experiment', 'merge', 'A', 'A', '--out', 'out', '--no-progress'], files: { ...A }, message: /overlap|twice|same/ });
  const damage = (label: string, f: (files: Record<string, Bytes>) => void, msg?: RegExp): void => {
    const files: Record<string, Bytes> = { ...A, ...B };
    f(files);
    add({ id: `experiment/merge/${label}`, args: ['experiment', 'merge', 'A', 'B', '--out', 'out', '--no-progress'], files, message: msg });
  };
  const rowsA = String(A['A/selftest/rows.jsonl']);
  damage('rows-deep', (f) => (f['A/selftest/rows.jsonl'] = `${nest(10000)}\n` + rowsA), /nest|deep|row/i);
  damage('rows-bad-middle', (f) => (f['A/selftest/rows.jsonl'] = '{"id":\n' + rowsA), /rows\.jsonl:1/);
  damage('rows-dup-id', (f) => (f['A/selftest/rows.jsonl'] = rowsA + rowsA), /duplicate/);
  damage('rows-dup-key', (f) => (f['A/selftest/rows.jsonl'] = rowsA.replace('{"id"', '{"id":"x","id"')), /duplicate/);
  damage('rows-overlap', (f) => (f['B/selftest/rows.jsonl'] = rowsA), /overlap/);
  damage('manifest-deep', (f) => (f['A/selftest/manifest.json'] = nestObj(10000)), /nest|deep/i);
  damage('manifest-not-json', (f) => (f['A/selftest/manifest.json'] = '{'), /manifest/);
  damage('manifest-dup-key', (f) => (f['A/selftest/manifest.json'] = String(A['A/selftest/manifest.json']).replace('{', '{"experiment":"x",')), /duplicate/);
  damage('manifest-options', (f) => (f['A/selftest/manifest.json'] = String(A['A/selftest/manifest.json']).replace(/"seed":\s*\d+/, '"seed": 7')), /options|differ/);
  damage('manifest-array', (f) => (f['A/selftest/manifest.json'] = '[]'), /manifest/);
  add({ id: 'experiment/resume-other-options', args: ['experiment', 'selftest', '--quick', '--out', 'A', '--shard', '1/3', '--resume', '--seed', '7', '--no-progress'], files: { ...A }, message: /resume/ });
  add({ id: 'experiment/resume-other-shard', args: ['experiment', 'selftest', '--quick', '--out', 'A', '--shard', '2/3', '--resume', '--no-progress'], files: { ...A }, message: /resume/ });
  add({ id: 'experiment/resume-deep-rows', args: ['experiment', 'selftest', '--quick', '--out', 'A', '--shard', '1/3', '--resume', '--no-progress'], files: { ...A, 'A/selftest/rows.jsonl': `${nest(10000)}\n` + rowsA }, message: /nest|deep|row/i });

  // 12b. explore (docs/explore.md): one input, the slice, the outputs.
  const X2 = { 'n.json': NET2 };
  add({ id: 'explore/one-input', args: ['explore', 'n.json', '--at', '0', '--out', 'p.html'], files: { 'n.json': ABS } });
  add({ id: 'explore/plane-dependent', args: ['explore', 'n.json', '--at', '0,0', '--plane', '1,0;2,0', '--out', 'p.html'], files: X2 });
  add({ id: 'explore/plane-length', args: ['explore', 'n.json', '--at', '0,0', '--plane', '1,0,0;0,1,0', '--out', 'p.html'], files: X2 });
  add({ id: 'explore/radius-0', args: ['explore', 'n.json', '--at', '0,0', '--radius', '0', '--out', 'p.html'], files: X2 });
  add({ id: 'explore/at-length', args: ['explore', 'n.json', '--at', '0', '--out', 'p.html'], files: X2 });
  add({ id: 'explore/out-is-net', args: ['explore', 'n.json', '--at', '0,0', '--out', 'n.json'], files: X2, message: /input/ });
  add({ id: 'explore/svg-is-out', args: ['explore', 'n.json', '--at', '0,0', '--out', 'p.html', '--svg', './p.html'], files: X2 });

  // 13. generate (options and size limits, docs/formats.md "Limits, in one place").
  for (const [label, args] of [
    ['vars-0', ['random-ksat', '--vars', '0', '--ratio', '4']],
    ['vars-word', ['random-ksat', '--vars', 'x', '--ratio', '4']],
    ['count-0', ['php', '--holes', '3', '--count', '0']],
    ['family', ['nope']],
    ['clauses-neg', ['random-ksat', '--vars', '5', '--clauses', '-1']],
    ['ratio-nan', ['random-ksat', '--vars', '5', '--ratio', 'nan']],
    ['holes-0', ['php', '--holes', '0']],
    ['k-0', ['random-ksat', '--vars', '5', '--ratio', '4', '--k', '0']],
    ['time-limit-no-solve', ['random-ksat', '--vars', '5', '--ratio', '4', '--time-limit', '3']],
    ['tseitin-odd-degree-sum', ['tseitin', '--vertices', '5', '--degree', '3']],
    ['coloring-gnp-pairs', ['coloring', '--vertices', '20000', '--p', '0.5']],
    ['kxor-k-21', ['kxor', '--vars', '30', '--k', '21', '--ratio', '1']],
    ['ordering-0', ['ordering', '--elements', '0']],
    ['net-hidden-linear-neurons', ['net-hidden-linear', '--inputs', '1000', '--kinks', '1000', '--depth', '1000']],
    ['net-planted-two-kinks', ['net-planted-two', '--inputs', '3', '--width', '2', '--depth', '1', '--kinks', '3']],
    ['net-reduction-formula', ['net-reduction', '--formula', 'nope']],
    ['suite-preset', ['suite', '--preset', 'huge']],
  ] as const)
    add({ id: `generate/${label}`, args: ['generate', ...args, '--out', 'g'] });
  add({ id: 'generate/out-is-file', args: ['generate', 'php', '--holes', '2', '--out', 'f'], files: { f: 'x' } });
  add({ id: 'generate/suite-out-not-empty', args: ['generate', 'suite', '--preset', 'small', '--out', 'full'], files: { 'full/x': 'x' } });
  add({ id: 'generate/vars-1e8', args: ['generate', 'random-ksat', '--vars', '100000000', '--ratio', '4.26', '--out', 'g'] });
  add({ id: 'generate/clauses-1e9', args: ['generate', 'random-ksat', '--vars', '100', '--clauses', '1000000000', '--out', 'g'] });

  // 14. commander usage errors.
  add({ id: 'cli/unknown-command', args: ['frobnicate'] });
  add({ id: 'cli/unknown-option', args: ['eval', 'n.json', '--at', '0,0', '--frob'], files: { 'n.json': NET2 } });
  add({ id: 'cli/missing-argument', args: ['eval'] });

  // 15. Signals mid-run: no temp file, no half-written output, ended by the signal.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    add({ id: `signal/${sig}/reduce-big`, args: ['reduce', 'big.cnf', '--out', 'o.json'], files: { 'big.cnf': shared.midCnf }, signal: { sig, after: 2500 }, outputs: ['o.json'], maxMs: 60_000 });
    add({ id: `signal/${sig}/export-chain`, args: ['export', 'c.json', '--onnx', 'o.onnx', '--safetensors', 'o.st'], files: { 'c.json': shared.chain }, signal: { sig, after: 2500 }, outputs: ['o.onnx', 'o.st'], maxMs: 60_000 });
    add({ id: `signal/${sig}/experiment`, args: ['experiment', 'artifacts', '--quick', '--out', 'out', '--no-progress', '--jobs', '1'], signal: { sig, after: 3000 }, outputs: ['out/artifacts/rows.jsonl', 'out/artifacts/manifest.json'], maxMs: 60_000 });
    add({ id: `signal/${sig}/clarke-bab`, args: ['clarke', 'r.json', '--proof', 'p.jsonl', '--time-limit', '30'], files: { 'r.json': shared.reducedHard }, signal: { sig, after: 3000 }, outputs: ['p.jsonl'], maxMs: 60_000, owner: 'lead (proof writer)' });
    add({ id: `signal/${sig}/decide-proof`, args: ['decide', 'h.cnf', '--proof', 'p.jsonl', '--network', 'n.json', '--time-limit', '30'], files: { 'h.cnf': shared.hardCnf }, signal: { sig, after: 3000 }, outputs: ['p.jsonl', 'n.json'], maxMs: 60_000, owner: 'lead (proof writer)' });
    add({ id: `signal/${sig}/import-big`, args: ['import', 'm.safetensors', '--out', 'o.json'], files: { 'm.safetensors': shared.bigSt }, signal: { sig, after: 2500 }, outputs: ['o.json'], maxMs: 60_000 });
  }
  return cs;
}

// ---------------------------------------------------------------- shared fixtures (built once with the tree under test)

export interface Shared {
  cert: string;
  proof: string;
  proofNet: string;
  lp: string;
  reducedCnf: string;
  reducedHard: string;
  hardCnf: string;
  badCnfs: Array<[string, Bytes]>;
  bigCnf: string;
  midCnf: string;
  chain: string;
  bigSt: Uint8Array;
  shardA: Record<string, Bytes>;
  shardB: Record<string, Bytes>;
}

/** What one run of the CLI gave. `timedOut`: killed at the case's limit. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  ms: number;
  timedOut: boolean;
}

/** Runs `nsad ...args` in `cwd` (a child process, or in process). */
export type Runner = (args: string[], cwd: string, opts: { stdin?: Bytes; signal?: Case['signal']; timeoutMs: number }) => Promise<RunResult>;

export function readTree(dir: string, base = dir, acc: Record<string, Buffer> = {}): Record<string, Buffer> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) readTree(p, base, acc);
    else acc[relative(base, p)] = readFileSync(p);
  }
  return acc;
}

export function writeFiles(dir: string, files: Record<string, Bytes>): void {
  for (const [name, content] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}
/**
 * The fixtures that come from running the tree under test itself (a certificate, a proof, an LP
 * model, reductions, two shard outputs of an experiment), plus generated big inputs. `fixtures`
 * is the repository's test/fixtures folder (the bad DIMACS files).
 */
export async function buildShared(work: string, run: Runner, fixtures: string): Promise<Shared> {
  const dir = join(work, '_shared');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFiles(dir, { 'abs.json': ABS, 'f.cnf': CNF });
  const must = async (args: string[]): Promise<void> => {
    const r = await run(args, dir, { timeoutMs: 300_000 });
    if (r.code !== 0) throw new Error(`setup: nsad ${args.join(' ')}: exit ${r.code}\n${r.err}`);
  };
  await must(['clarke', 'abs.json', '--export', 'm.lp', '--solver', 'highs']);
  await must(['reduce', 'f.cnf', '--out', 'r.json']);
  // A formula whose bab run lasts long enough to be interrupted (unsatisfiable, pigeonhole 6 → 5).
  const php = (h: number): string => {
    const v = (i: number, j: number) => i * h + j + 1;
    const cl: string[] = [];
    for (let i = 0; i <= h; i++) cl.push(Array.from({ length: h }, (_, j) => v(i, j)).join(' ') + ' 0');
    for (let j = 0; j < h; j++) for (let a = 0; a <= h; a++) for (let b = a + 1; b <= h; b++) cl.push(`${-v(a, j)} ${-v(b, j)} 0`);
    return `p cnf ${(h + 1) * h} ${cl.length}\n${cl.join('\n')}\n`;
  };
  writeFileSync(join(dir, 'hard.cnf'), php(6));
  await must(['reduce', 'hard.cnf', '--out', 'hard.json']);
  const badDir = join(fixtures, 'cnf/bad');
  const badCnfs: Array<[string, Bytes]> = readdirSync(badDir).map((f) => [f, readFileSync(join(badDir, f))]);
  badCnfs.push(['utf16.cnf', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CNF, 'utf16le')])]);
  badCnfs.push(['gz-garbage.cnf.gz', u8([0x1f, 0x8b, 8, 0], Buffer.from('garbage'))]);
  badCnfs.push(['gz-bomb.cnf.gz', gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20))]);
  badCnfs.push(['huge-header.cnf', 'p cnf 99999999999999999999 1\n1 0\n']);
  badCnfs.push(['literal-huge.cnf', 'p cnf 2 1\n99999999999999999999 0\n']);
  // A big safetensors model (2 layers of 1500 × 1500 float32) for an import to be interrupted.
  const w = 1500;
  const big = new Float32Array(w * w).map((_, k) => ((k * 2654435761) % 1000) / 1024 - 0.5);
  const bigSt = safetensors(
    { '0.weight': { dtype: 'F32', shape: [w, w], data_offsets: [0, 4 * w * w] }, '2.weight': { dtype: 'F32', shape: [1, w], data_offsets: [4 * w * w, 4 * w * w + 4 * w] } },
    u8(new Uint8Array(big.buffer), new Uint8Array(big.buffer, 0, 4 * w)),
  );
  // Shard outputs of the runner's self-test experiment (rows known in advance, no solver: the
  // messages about them do not move when a real experiment changes).
  for (const [s, name] of [['1/3', 'A'], ['2/3', 'B']] as const) await must(['experiment', 'selftest', '--quick', '--out', name, '--shard', s, '--no-progress', '--jobs', '1']);
  const shardFiles = (name: string): Record<string, Bytes> => {
    const t = readTree(join(dir, name));
    return Object.fromEntries(Object.entries(t).map(([k, v]) => [`${name}/${k}`, v.toString('utf8')]));
  };
  return {
    cert: CERT,
    proof: proofFor(PROOF_NET, '0', '0'),
    proofNet: PROOF_NET,
    lp: readFileSync(join(dir, 'm.lp'), 'utf8'),
    reducedCnf: readFileSync(join(dir, 'r.json'), 'utf8'),
    reducedHard: readFileSync(join(dir, 'hard.json'), 'utf8'),
    hardCnf: php(6),
    badCnfs,
    bigCnf: bigCnf(1_000_000, 250_000),
    midCnf: bigCnf(200_000, 50_000),
    chain: chain(100000),
    bigSt,
    shardA: shardFiles('A'),
    shardB: shardFiles('B'),
  };
}

// ---------------------------------------------------------------- judging

const hash = (b: Buffer | Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

export interface Verdict {
  id: string;
  /** Exit 2: the error line without `nsad: `, the case folder written `<dir>`. */
  line?: string;
  clean: boolean;
  problems: string[];
  code: number | null;
  signal: string | null;
  ms: number;
  err: string;
  owner?: string;
}

export function tempFiles(dir: string): string[] {
  return Object.keys(readTree(dir)).filter((f) => /(^|\/)\.[^/]*\.tmp$|\.nsad-\d+\.tmp$/.test(f));
}

/** The folder a case runs in (under `work`). */
export function caseDir(work: string, c: Case): string {
  return join(work, c.id.replace(/[^A-Za-z0-9._=-]+/g, '_'));
}

/**
 * Run one case in a fresh folder and judge it (the rules of the module comment). `messages`: the
 * recorded one-line messages by case id (exit-2 cases must have one). `timeoutMs`: the default limit.
 */
export async function judge(c: Case, work: string, run: Runner, messages: Readonly<Record<string, string>> | null, timeoutMs = 60_000): Promise<Verdict> {
  const dir = caseDir(work, c);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFiles(dir, c.files ?? {});
  const before = Object.fromEntries(Object.entries(readTree(dir)).map(([k, v]) => [k, hash(v)]));
  const r = await run(c.args, dir, { stdin: c.stdin, signal: c.signal, timeoutMs: c.maxMs ?? timeoutMs });
  const problems: string[] = [];
  let line: string | undefined;
  const expected = c.code ?? 2;
  if (r.timedOut) problems.push(`no answer within ${(c.maxMs ?? timeoutMs) / 1000} s (hang)`);
  const crashed = /\n\s+at |^\s+at |Error: .*\n\s+at|FATAL ERROR|Maximum call stack|heap out of memory|Node\.js v\d/m.test(r.err);
  if (crashed) problems.push('stack trace or crash on stderr');
  if (c.signal) {
    const sigNo = c.signal.sig === 'SIGINT' ? 2 : 15;
    const byThis = r.signal === c.signal.sig || r.code === 128 + sigNo;
    if (!r.timedOut && !byThis && r.code !== 0) problems.push(`ended with code ${r.code} signal ${r.signal}, expected the ${c.signal.sig} convention`);
  } else if (!r.timedOut) {
    const allowed = c.codes ?? [expected];
    if (r.code === null || !allowed.includes(r.code)) problems.push(`exit ${r.code ?? r.signal}, expected ${allowed.join(' or ')}`);
    if (r.code === 2 && allowed.includes(2)) {
      const lines = r.err.split('\n').filter((l) => l !== '' && !l.startsWith('nsad: warning:'));
      if (lines.length !== 1 || !lines[0]!.startsWith('nsad: ')) problems.push(`stderr is ${lines.length} lines, expected one nsad: line`);
      const nsadLines = lines.filter((l) => l.startsWith('nsad: '));
      // eslint-disable-next-line no-control-regex
      if (/[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f]/.test(r.err.replace(/\n$/, ''))) problems.push('raw control bytes on stderr');
      if (c.message && !c.message.test(nsadLines[0] ?? '')) problems.push(`message does not match ${c.message}`);
      line = (nsadLines[0] ?? '').slice('nsad: '.length).split(dir).join('<dir>');
      if (messages !== null) {
        const want = messages[c.id];
        if (want === undefined) problems.push('no expected message recorded (test/fixtures/bad-inputs/messages.json)');
        else if (want !== line) problems.push(`message differs from the recorded one: ${JSON.stringify(want)}`);
      }
    } else if (r.code !== 2 && c.message && !c.message.test(r.out + r.err)) problems.push(`output does not match ${c.message}`);
  }
  if (c.notOut && c.notOut.test(r.out)) problems.push(`stdout matches ${c.notOut}`);
  const temps = tempFiles(dir);
  if (temps.length) problems.push(`temp files left: ${temps.join(', ')}`);
  const after = readTree(dir);
  for (const [k, h] of Object.entries(before)) {
    if (!(k in after)) problems.push(`input ${k} deleted`);
    else if (hash(after[k]!) !== h && !(c.outputs ?? []).includes(k)) problems.push(`input ${k} changed`);
  }
  const created = Object.keys(after).filter((k) => !(k in before) && !temps.includes(k));
  if (!c.signal && r.code === 2 && created.length) problems.push(`written despite exit 2: ${created.join(', ')}`);
  for (const k of c.outputs ?? []) {
    if (!(k in after) || !k.endsWith('.json')) continue;
    try {
      JSON.parse(after[k]!.toString('utf8'));
    } catch {
      problems.push(`output ${k} is not complete JSON`);
    }
  }
  if (c.signal)
    for (const k of created.filter((f) => f.endsWith('.jsonl') && !(c.outputs ?? []).includes(f))) problems.push(`unexpected output ${k}`);
  rmSync(dir, { recursive: true, force: true });
  return { id: c.id, clean: problems.length === 0, problems, code: r.code, signal: r.signal, ms: r.ms, err: r.err.slice(0, 400), owner: c.owner, ...(line !== undefined ? { line } : {}) };
}

