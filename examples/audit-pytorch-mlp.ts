// Audit a PyTorch MLP exactly (docs/audit.md): import the trained weights as exact rationals, then
// ask, per input, where it sits exactly on a kink, whether float32/float16 decide a sign that exact
// arithmetic decides otherwise, and whether backprop with relu'(0) = 0 returns a Clarke subgradient.
//
//   npx tsx examples/audit-pytorch-mlp.ts MODEL.onnx INPUTS.npy [OUTDIR]     # your model
//   npx tsx examples/audit-pytorch-mlp.ts MODEL.safetensors INPUTS.npy [OUTDIR]
//   npx tsx examples/audit-pytorch-mlp.ts [OUTDIR]                          # self-contained demo
//   npx tsx examples/audit-pytorch-mlp.ts --timing                          # cost on a 784-128-64-1 MLP
//   npx tsx examples/audit-pytorch-mlp.ts --tied [OUTDIR]                   # Clarke sets at 1…20 ties
//
// Your model comes from PyTorch with one of (not run here; see docs/audit.md):
//   torch.onnx.export(model.eval(), torch.zeros(1, p), "mlp.onnx", input_names=["x"], output_names=["y"])
//   safetensors.torch.save_file(model.state_dict(), "mlp.safetensors")
//   numpy.save("inputs.npy", X_test.numpy().astype("float32"))
//
// Without arguments, the demo stands in for that Python: it trains a 2-16-16-1 ReLU MLP in float32
// (seeded SGD on a quadrant task), writes it as ONNX in the layout torch.onnx.export produces
// (Gemm with transB = 1, Relu) and as a safetensors state dict (0.weight, 0.bias, 2.weight, …),
// writes float32 test inputs as .npy, and adds inputs placed exactly on kinks (rationals, as CSV),
// then audits all of them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
// Only the package's public API ('nsad'; in the repository tsconfig.json maps it to src/index.ts).
import {
  Rational, Rng, Network, layerOf, exportOnnx, exportSafetensors, importModelFile, writeNpy,
  readInputRows, auditNetwork, auditMarkdown, auditJson, auditSvg, rref, roundRows, evaluateExact,
} from 'nsad';

const f = Math.fround;

/**
 * A ReLU MLP of the given widths trained in float32 arithmetic by seeded SGD on (F(x) − y(x))²/2,
 * x uniform in [−1, 1]^p. The demo: 2-16-16-1, target +1 on quadrants I and III, −1 else.
 */
function trainMlp(dims: number[], target: (x: number[]) => number, steps: number, lr32: number, seed: number): { W: number[][][]; b: number[][] } {
  const rng = new Rng(seed);
  const W = dims.slice(1).map((r, l) => Array.from({ length: r }, () => Array.from({ length: dims[l]! }, () => f((rng.float() * 2 - 1) * Math.sqrt(6 / dims[l]!)))));
  const b = dims.slice(1).map((r) => new Array<number>(r).fill(0));
  const lr = f(lr32);
  for (let step = 0; step < steps; step++) {
    const x = Array.from({ length: dims[0]! }, () => f(rng.float() * 2 - 1));
    const y = target(x);
    // forward (float32: every operation rounded)
    const acts: number[][] = [x];
    const pres: number[][] = [];
    for (let l = 0; l < W.length; l++) {
      const z = W[l]!.map((row, i) => row.reduce((s, w, j) => f(s + f(w * acts[l]![j]!)), b[l]![i]!));
      pres.push(z);
      acts.push(l < W.length - 1 ? z.map((v) => (v > 0 ? v : 0)) : z);
    }
    // backward of (F − y)^2 / 2, relu'(0) = 0 as in PyTorch
    let g = [f(acts[W.length]![0]! - y)];
    for (let l = W.length - 1; l >= 0; l--) {
      const a = acts[l]!;
      const gin = new Array<number>(a.length).fill(0);
      W[l]!.forEach((row, i) => {
        row.forEach((w, j) => {
          gin[j] = f(gin[j]! + f(g[i]! * w));
          row[j] = f(w - f(lr * f(g[i]! * a[j]!)));
        });
        b[l]![i] = f(b[l]![i]! - f(lr * g[i]!));
      });
      if (l > 0) g = gin.map((v, j) => (pres[l - 1]![j]! > 0 ? v : 0));
    }
  }
  return { W, b };
}

async function audit(net: Network, inputsPath: string, outDir: string, label: string): Promise<void> {
  const inputs = readInputRows(inputsPath, net.inputDim);
  const report = await auditNetwork(net, inputs.rows, { floats: ['float32', 'float16'], timeLimitSec: 10, progress: (s) => process.stderr.write(`  ${s}\n`) }, inputs.where);
  const md = auditMarkdown(report, label);
  console.log(md);
  const base = label.replace(/\W+/g, '-').replace(/^-|-$/g, '');
  writeFileSync(join(outDir, `${base}.json`), auditJson(report) + '\n');
  writeFileSync(join(outDir, `${base}.svg`), await auditSvg(report));
}

/**
 * Cost on an MNIST-sized MLP (784-128-64-1, float32 weights drawn uniformly at the Kaiming scale,
 * seeded): ONNX export and import, then the audit of 10 sparse "images" (80 % zeros, other pixels
 * k/255) without kinks, and of the zero image on a bias-free copy, where all 192 neurons are at an
 * exact zero (the worst case: the Clarke decision runs on the whole network).
 */
async function timing(): Promise<void> {
  const rng = new Rng(7);
  const dims = [784, 128, 64, 1];
  const make = (bias: boolean) =>
    new Network(784, dims.slice(1).map((r, l) => {
      const c = dims[l]!;
      const s = Math.sqrt(6 / c);
      return layerOf(
        Array.from({ length: r }, () => Array.from({ length: c }, () => Rational.fromNumber(f((rng.float() * 2 - 1) * s)))),
        Array.from({ length: r }, () => Rational.fromNumber(bias ? f((rng.float() * 2 - 1) * 0.1) : 0)),
      );
    }));
  const net = make(true);
  const dir = join(tmpdir(), 'nsad-audit-timing');
  mkdirSync(dir, { recursive: true });
  let t = performance.now();
  const bytes = exportOnnx(net, 'timing');
  writeFileSync(join(dir, 'mlp784.onnx'), bytes);
  console.log(`export: ${(performance.now() - t).toFixed(0)} ms, ${bytes.length} bytes`);
  t = performance.now();
  const back = importModelFile(join(dir, 'mlp784.onnx'));
  console.log(`import: ${(performance.now() - t).toFixed(0)} ms`);
  const images = Array.from({ length: 10 }, () => Array.from({ length: 784 }, () => (rng.float() < 0.8 ? Rational.int(0) : Rational.of(BigInt(rng.int(1, 255)), 255n))));
  t = performance.now();
  const r = await auditNetwork(back, images, { floats: ['float32', 'float16'] });
  console.log(`audit of 10 images: ${((performance.now() - t) / 10).toFixed(0)} ms per input (${r.summary.kinkInputs} kink inputs)`);
  const zero = [Array.from({ length: 784 }, () => Rational.int(0))];
  const biasFree = make(false);
  t = performance.now();
  const z = await auditNetwork(biasFree, zero, { floats: ['float32'], clarke: false });
  console.log(`bias-free net at x = 0 without the Clarke decision: ${(performance.now() - t).toFixed(0)} ms (${z.inputs[0]!.zeros.length} zero neurons)`);
  t = performance.now();
  const c = await auditNetwork(biasFree, zero, { floats: ['float32'], timeLimitSec: 10 });
  console.log(`… with the Clarke decision: ${(performance.now() - t).toFixed(0)} ms, answer ${c.inputs[0]!.clarke!.answer}; backprop in the Clarke set: ${c.inputs[0]!.backprop.inClarke}`);
}

/**
 * The Clarke set and backprop's membership on a trained model at inputs that sit on k = 1…20
 * first-layer kinks at once (docs/audit.md "Kinks of a trained model"): a 24-32-16-1 MLP trained in
 * float32 (target: the sign of x1·x2 + x3·x4 + … + x7·x8), exported to ONNX and imported exactly.
 * For k = 1…6 three inputs each, then one each at k = 7, 8, 10, 12, 16, 20: float32-representable coordinates drawn in [−1, 1], then k of them
 * solved exactly (a k × k rational system) so that k chosen first-layer neurons have pre-activation
 * exactly 0. Then float16 and bfloat16 test inputs (the float32 test set rounded), where a
 * coincidental exact zero is what low precision could make common. Prints Markdown, writes JSON.
 */
async function tied(outDir: string): Promise<void> {
  const dims = [24, 32, 16, 1];
  const { W, b } = trainMlp(dims, (x) => (x[0]! * x[1]! + x[2]! * x[3]! + x[4]! * x[5]! + x[6]! * x[7]! > 0 ? 1 : -1), 6000, 0.01, 2024);
  const trained = new Network(24, W.map((Wl, l) => layerOf(Wl.map((r) => r.map((v) => Rational.fromNumber(v))), b[l]!.map((v) => Rational.fromNumber(v)))));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'mlp24.onnx'), exportOnnx(trained, 'tied'));
  const net = importModelFile(join(outDir, 'mlp24.onnx'));
  const rng = new Rng(11);
  const W0 = net.layers[0]!.weights;
  const b0 = net.layers[0]!.bias;
  /** x with k first-layer neurons (a random subset) exactly at 0: coordinates 0..k−1 solved for. */
  const onKinks = (k: number): Rational[] | null => {
    const x = Array.from({ length: 24 }, () => Rational.fromNumber(f(rng.float() * 2 - 1)));
    const rows = [...Array(32).keys()].sort(() => rng.float() - 0.5).slice(0, k);
    const system = rows.map((i) => {
      const rest = W0[i]!.reduce((s, w, j) => (j < k ? s : s.add(w.mul(x[j]!))), b0[i]!);
      return [...W0[i]!.slice(0, k), rest.neg()];
    });
    const r = rref(system, k + 1);
    if (r.rank !== k || r.pivots.some((c, i) => c !== i)) return null; // singular: draw again
    for (let j = 0; j < k; j++) x[j] = r.rows[j]![k]!;
    const pre = evaluateExact(net, x).pre[0]!;
    return rows.every((i) => pre[i]!.isZero()) ? x : null;
  };
  const rowsOut: Record<string, unknown>[] = [];
  console.log('| k tied (first layer) | input | zero neurons | pieces | gradients | extreme points | complete | relu\'(0)=0 | ½ | 1 | set + membership s |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  // Three inputs per k up to 6, then one per k (the set has 2^k pieces when the k tied neurons'
  // hyperplanes are in general position: from k ≈ 8 the limits make it partial).
  for (const k of [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 20])
    for (let t = 0; t < (k <= 6 ? 3 : 1); t++) {
      let x: Rational[] | null = null;
      for (let tries = 0; x === null && tries < 20; tries++) x = onKinks(k);
      if (x === null) continue;
      const t0 = performance.now();
      const rep = await auditNetwork(net, [x], { floats: [], timeLimitSec: 20 });
      const ms = performance.now() - t0;
      const a = rep.inputs[0]!;
      const m = (p: string) => a.membership?.find((v) => String(v.reluPrime) === p)?.answer ?? '–';
      const set = a.clarkeSet;
      rowsOut.push({ k, input: t, zeros: a.zeros.length, set: set ?? null, membership: a.membership?.map((v) => ({ reluPrime: String(v.reluPrime), answer: v.answer, ms: v.timeMs })) ?? null, ms });
      console.log(`| ${k} | ${t + 1} | ${a.zeros.length} | ${set?.pieces ?? '–'} | ${set?.gradients ?? '–'} | ${set?.extremePoints ?? '–'} | ${set ? (set.complete ? 'yes' : 'no') : '–'} | ${m('0')} | ${m('1/2')} | ${m('1')} | ${(ms / 1000).toFixed(2)} |`);
    }
  // Low-precision inputs: 400 float32 test inputs rounded to float16 and to bfloat16.
  const test = Array.from({ length: 400 }, () => Array.from({ length: 24 }, () => Rational.fromNumber(f(rng.float() * 2 - 1))));
  const low: Record<string, unknown> = {};
  for (const dtype of ['float16', 'bfloat16'] as const) {
    const t0 = performance.now();
    const rep = await auditNetwork(net, roundRows(test, dtype), { floats: ['float32'], timeLimitSec: 20 });
    const s = rep.summary;
    low[dtype] = { inputs: s.inputs, kinkInputs: s.kinkInputs, zeroNeurons: s.zeroNeurons, membership: s.membership, clarkeSets: s.clarkeSets, ms: performance.now() - t0 };
    console.log(`\n${dtype}: ${s.inputs} inputs, ${s.kinkInputs} on a kink (${s.zeroNeurons} exact zero pre-activations); membership relu'(0)=0: ${JSON.stringify(s.membership['0' as keyof typeof s.membership])}; ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  writeFileSync(join(outDir, 'tied.json'), JSON.stringify({ model: 'mlp24.onnx (24-32-16-1, float32, trained)', rows: rowsOut, lowPrecision: low }, null, 1) + '\n');
  console.log(`\nJSON in ${join(outDir, 'tied.json')}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--timing') return timing();
  if (process.argv[2] === '--tied') return tied(process.argv[3] ?? join(tmpdir(), 'nsad-audit-tied'));
  const [model, inputs, out] = process.argv.slice(2);
  if (model && inputs) {
    const outDir = out ?? join(tmpdir(), 'nsad-audit');
    mkdirSync(outDir, { recursive: true });
    await audit(importModelFile(model), inputs, outDir, 'audit');
    console.log(`report and figure in ${outDir}`);
    return;
  }
  const outDir = model ?? join(tmpdir(), 'nsad-audit-demo');
  mkdirSync(outDir, { recursive: true });
  const { W, b } = trainMlp([2, 16, 16, 1], (x) => (x[0]! * x[1]! > 0 ? 1 : -1), 4000, 0.02, 2023);
  const trained = new Network(2, W.map((Wl, l) => layerOf(Wl.map((r) => r.map((v) => Rational.fromNumber(v))), b[l]!.map((v) => Rational.fromNumber(v)))));
  // What the three lines of Python would have written:
  writeFileSync(join(outDir, 'mlp.onnx'), exportOnnx(trained, 'demo'));
  writeFileSync(join(outDir, 'mlp.safetensors'), exportSafetensors(trained, 'demo'));
  const rng = new Rng(7);
  const test: number[] = [];
  for (let k = 0; k < 200; k++) test.push(f(rng.float() * 2 - 1), f(rng.float() * 2 - 1));
  test.push(0, 0, 0.5, 0, 0, -0.25); // the origin and points on the axes, where the task changes label
  writeFileSync(join(outDir, 'inputs.npy'), writeNpy(test, [test.length / 2, 2], 'float32'));

  // Import both files: the same exact network.
  const fromOnnx = importModelFile(join(outDir, 'mlp.onnx'));
  const fromSt = importModelFile(join(outDir, 'mlp.safetensors'));
  const same = fromOnnx.layers.every((l, k) => l.weights.every((row, i) => row.every((w, j) => w.eq(fromSt.layers[k]!.weights[i]![j]!))) && l.bias.every((v, i) => v.eq(fromSt.layers[k]!.bias[i]!)));
  console.log(`imported mlp.onnx and mlp.safetensors: ${same ? 'the same exact network' : 'DIFFERENT networks'}; meta: ${JSON.stringify(fromOnnx.meta.imported)}\n`);

  // Inputs placed exactly on a first-layer kink: x2 = −(b_k + w_k1 x1) / w_k2, a rational that no
  // float holds; the float passes see the rounded point, exact arithmetic the kink itself.
  const lines: string[] = ['x1,x2'];
  for (let k = 0; k < 16; k++) {
    const row = fromOnnx.layers[0]!.weights[k]!;
    if (row[1]!.isZero()) continue;
    const x1 = Rational.of(BigInt(rng.int(-8, 8)), 16n);
    const x2 = fromOnnx.layers[0]!.bias[k]!.add(row[0]!.mul(x1)).neg().div(row[1]!);
    if (x2.abs().cmp(Rational.int(1)) > 0) continue;
    lines.push(`${x1},${x2}`);
  }
  writeFileSync(join(outDir, 'kinks.csv'), lines.join('\n') + '\n');

  await audit(fromOnnx, join(outDir, 'inputs.npy'), outDir, 'test inputs (float32 .npy)');
  await audit(fromOnnx, join(outDir, 'kinks.csv'), outDir, 'inputs on first-layer kinks (exact CSV)');
  console.log(`models, inputs, JSON reports and SVG figures in ${outDir}`);
}

await main();
