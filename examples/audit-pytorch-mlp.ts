// Audit a PyTorch MLP exactly (docs/audit.md): import the trained weights as exact rationals, then
// ask, per input, where it sits exactly on a kink, whether float32/float16 decide a sign that exact
// arithmetic decides otherwise, and whether backprop with relu'(0) = 0 returns a Clarke subgradient.
//
//   npx tsx examples/audit-pytorch-mlp.ts MODEL.onnx INPUTS.npy [OUTDIR]     # your model
//   npx tsx examples/audit-pytorch-mlp.ts MODEL.safetensors INPUTS.npy [OUTDIR]
//   npx tsx examples/audit-pytorch-mlp.ts [OUTDIR]                          # self-contained demo
//   npx tsx examples/audit-pytorch-mlp.ts --timing                          # cost on a 784-128-64-1 MLP
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
  readInputRows, auditNetwork, auditMarkdown, auditJson, auditSvg,
} from 'nsad';

const f = Math.fround;

/** A 2-16-16-1 ReLU MLP trained in float32 arithmetic: target +1 on quadrants I and III, −1 else. */
function trainDemo(seed: number): { W: number[][][]; b: number[][] } {
  const rng = new Rng(seed);
  const dims = [2, 16, 16, 1];
  const W = dims.slice(1).map((r, l) => Array.from({ length: r }, () => Array.from({ length: dims[l]! }, () => f((rng.float() * 2 - 1) * Math.sqrt(6 / dims[l]!)))));
  const b = dims.slice(1).map((r) => new Array<number>(r).fill(0));
  const lr = f(0.02);
  for (let step = 0; step < 4000; step++) {
    const x = [f(rng.float() * 2 - 1), f(rng.float() * 2 - 1)];
    const y = x[0]! * x[1]! > 0 ? 1 : -1;
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

async function main(): Promise<void> {
  if (process.argv[2] === '--timing') return timing();
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
  const { W, b } = trainDemo(2023);
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
