/**
 * Claim 1 (docs/theory.md §2): the nonsmooth cheap gradient principle. backprop(P) returns an element of
 * the conservative gradient with cost(backprop(P)) ≤ ω_b · cost(P), ω_b independent of the
 * dimension (≈ 5 for ReLU networks; Baur–Strassen's 5 for rational functions).
 *
 * Measured two ways on random ternary networks (widths × depths × batch sizes):
 *  - the op-count ratio in the paper's cost model (src/ad/ops.ts: structural counts of +, ×, relu
 *    of the program F and of forward+reverse sweep); it does not depend on the batch;
 *  - the wall-clock ratio time(value and gradient)/time(value) of the float64 kernels
 *    (src/network/float.ts), per batch size, median of several timed batches;
 *  - at batch 1, also the exact ratio time(backward)/time(evaluateExact) of the BigInt engines at a
 *    random rational point, and a check that the exact and float gradients agree there.
 * The claim holds when every op-count ratio is ≤ 5 and does not grow with the size.
 */
import { Rng } from '../src/exact/rng';
import { backward } from '../src/ad/backward';
import { evaluateExact } from '../src/network/evaluate';
import { networkForwardOps, networkBackpropOps } from '../src/ad/ops';
import { compileFloat, FloatEngine } from '../src/network/float';
import { taskSeed } from './runner/shard';
import { fitLine, fmt, median } from './runner/fit';
import { markdownTable } from './runner/table';
import { ruleLayer } from './runner/plot';
import type { Experiment, ExperimentOptions, Row, Task } from './runner/types';
import { randomTernaryNetwork, randomPoint, timeRatio, round } from './common';

const OMEGA_B = 5;

interface CgTask extends Task {
  width: number;
  depth: number;
  batch: number;
}

function grid(o: ExperimentOptions): { widths: number[]; depths: number[]; batches: number[] } {
  if (o.tiny) return { widths: [8, 16], depths: [2], batches: [1, 4] };
  return o.quick
    ? { widths: [16, 64, 256], depths: [2, 8], batches: [1, 32] }
    : { widths: [16, 64, 256, 1024], depths: [2, 4, 8, 16], batches: [1, 32, 256] };
}

const exactMaxWidth = (quick: boolean): number => (quick ? 64 : 256);
const pad = (k: number, w = 4): string => String(k).padStart(w, '0');

/**
 * Once per process: exercise the float kernels for ~200 ms on throwaway networks of several
 * shapes, so the first timed task does not measure V8's JIT compiling and re-optimizing them.
 */
let warmed = false;
function warmUp(): void {
  if (warmed) return;
  warmed = true;
  const rng = new Rng(1);
  const t0 = performance.now();
  for (const [w, d, b] of [[16, 2, 1], [16, 2, 32], [64, 4, 1], [64, 4, 32]] as const) {
    const eng = new FloatEngine(compileFloat(randomTernaryNetwork(w, d, rng), 'f64'), b);
    const X = Float64Array.from({ length: w * b }, () => rng.float() - 0.5);
    while (performance.now() - t0 < 50 * (w === 16 ? (b === 1 ? 1 : 2) : b === 1 ? 3 : 4)) {
      eng.forward(X);
      eng.gradient(X);
    }
  }
}

const cheapGradient: Experiment<CgTask, Row> = {
  name: 'cheap-gradient',
  title: 'Claim 1: the nonsmooth cheap gradient principle (backprop / forward cost ratio)',
  describe(o) {
    const g = grid(o);
    return (
      `Random ternary bias-free networks (weights −1/0/1 with probability 1/3 each), input dimension = width, ` +
      `widths ${g.widths.join(', ')} × depths ${g.depths.join(', ')} (hidden layers) × batch sizes ${g.batches.join(', ')}. ` +
      `Op ratio: structural counts of the paper's cost model (src/ad/ops.ts), cost(forward+reverse)/cost(forward). ` +
      `Wall-clock ratio: float64 kernels (src/network/float.ts), time(value+gradient)/time(value), median over ${o.quick ? 5 : 9} alternating timed batches of ≥ ${o.quick ? 5 : 30} ms each. ` +
      `At batch 1 also the exact BigInt engines at a random rational point (width ≤ ${exactMaxWidth(o.quick)}). Tasks run one at a time (timings).`
    );
  },
  defaultTimeLimitSec: () => 60,
  parallel: false,
  tasks(o: ExperimentOptions): CgTask[] {
    const g = grid(o);
    const out: CgTask[] = [];
    for (const width of g.widths)
      for (const depth of g.depths)
        for (const batch of g.batches) out.push({ id: `w${pad(width)}-d${pad(depth, 2)}-b${pad(batch, 3)}`, width, depth, batch });
    return out;
  },
  async run(t, o) {
    warmUp();
    const seed = taskSeed(o.seed, `net-w${t.width}-d${t.depth}`); // same network for every batch size
    const rng = new Rng(seed);
    const net = randomTernaryNetwork(t.width, t.depth, rng);
    const fOps = networkForwardOps(net);
    const bOps = networkBackpropOps(net);
    const fn = compileFloat(net, 'f64');
    const eng = new FloatEngine(fn, t.batch);
    const X = new Float64Array(t.batch * t.width);
    const xr = new Rng(taskSeed(o.seed, `x-${t.id}`));
    for (let i = 0; i < X.length; i++) X[i] = xr.float() * 2 - 1;
    const minMs = o.quick ? 5 : 30;
    const samples = o.quick ? 5 : 9;
    const tm = timeRatio(() => eng.forward(X), () => eng.gradient(X), minMs, samples);
    const tf = tm.tf;
    const tg = tm.tg;
    const row: Row = {
      id: t.id,
      width: t.width,
      depth: t.depth,
      batch: t.batch,
      seed,
      neurons: net.neurons,
      nonzeros: net.nonzeros,
      forwardOps: fOps.total,
      backpropOps: bOps.total,
      opRatio: round(bOps.total / fOps.total),
      floatForwardUs: round(tf * 1e6, 3),
      floatGradientUs: round(tg * 1e6, 3),
      timeRatio: round(tm.ratio),
      exactRatio: null,
      exactAgrees: null,
    };
    if (t.batch === 1 && t.width <= exactMaxWidth(o.quick)) {
      const x = randomPoint(t.width, new Rng(taskSeed(o.seed, `xr-${t.id}`)));
      const bw = { value: backward(net, x) };
      const te = timeRatio(() => evaluateExact(net, x), () => backward(net, x), minMs, o.quick ? 3 : 5);
      row.exactForwardMs = round(te.tf * 1e3, 4);
      row.exactBackwardMs = round(te.tg * 1e3, 4);
      row.exactRatio = round(te.ratio);
      // backward's own op count must be the structural one, and the float gradient must match the
      // exact one at this point (the float kernel only rounds; small ternary nets stay exact-ish).
      const g1 = new FloatEngine(fn, 1).gradient(Float64Array.from(x, (r) => r.toNumber())).gradients;
      const tol = 1e-9 * Math.max(1, ...bw.value.gradient.map((r) => Math.abs(r.toNumber())));
      // Both engines use relu'(0) = 0, so they must agree even where a pre-activation is exactly 0
      // (deep random nets have neurons whose inputs are all dead); `exactZeros` counts those.
      row.exactAgrees = bw.value.ops.total === bOps.total && bw.value.gradient.every((r, j) => Math.abs(r.toNumber() - g1[j]!) <= tol);
      row.exactZeros = bw.value.zeros.length;
    }
    return row;
  },
  report(rows) {
    const opR = rows.map((r) => r.opRatio as number);
    const timeR = rows.map((r) => r.timeRatio as number);
    const exactR = rows.filter((r) => r.exactRatio !== null).map((r) => r.exactRatio as number);
    const maxOp = Math.max(...opR);
    const fitOp = fitLine(rows.map((r) => Math.log10(r.nonzeros as number)), opR);
    const byBatch = new Map<number, number[]>();
    for (const r of rows) {
      const b = r.batch as number;
      byBatch.set(b, [...(byBatch.get(b) ?? []), r.timeRatio as number]);
    }
    const disagreements = rows.filter((r) => r.exactAgrees === false).map((r) => r.id);
    const table = markdownTable({
      columns: ['id', 'width', 'depth', 'batch', 'nonzeros', 'op ratio', 'float time ratio', 'exact time ratio', 'forward µs', 'gradient µs'],
      rows: rows.map((r) => [r.id, r.width as number, r.depth as number, r.batch as number, r.nonzeros as number, fmt(r.opRatio as number), fmt(r.timeRatio as number), r.exactRatio === null ? '' : fmt(r.exactRatio as number), fmt(r.floatForwardUs as number), fmt(r.floatGradientUs as number)]),
    });
    const batchLines = [...byBatch.entries()].map(([b, xs]) => `batch ${b}: median ${fmt(median(xs))}, max ${fmt(Math.max(...xs))}`).join('; ');
    const notes =
      `\nOp ratio: max ${fmt(maxOp)}, min ${fmt(Math.min(...opR))}; slope against log10(nonzeros) ${fmt(fitOp.slope)} (0 = dimension-free).\n` +
      `Float wall-clock ratio: ${batchLines}.\n` +
      (exactR.length ? `Exact (BigInt) wall-clock ratio at batch 1: median ${fmt(median(exactR))}, max ${fmt(Math.max(...exactR))}.\n` : '') +
      (disagreements.length ? `\n**Exact and float gradients DISAGREE on ${disagreements.join(', ')}.**\n` : `Exact backward's op count equals the structural count, and its gradient matches the float gradient, on every batch-1 row.\n`);
    const data = rows.flatMap((r) => [
      { size: r.nonzeros, ratio: r.opRatio, kind: 'op count', depth: r.depth, batch: r.batch },
      { size: r.nonzeros, ratio: r.timeRatio, kind: `float time, batch ${r.batch}`, depth: r.depth, batch: r.batch },
      ...(r.exactRatio === null ? [] : [{ size: r.nonzeros, ratio: r.exactRatio, kind: 'exact time, batch 1', depth: r.depth, batch: r.batch }]),
    ]);
    const yMax = Math.max(OMEGA_B + 1, ...data.map((d) => d.ratio as number)) * 1.05;
    const plot = {
      title: 'cost(backprop) / cost(F) against network size',
      layer: [
        {
          data: { values: data },
          mark: { type: 'point', filled: true, size: 50 },
          encoding: {
            x: { field: 'size', type: 'quantitative', scale: { type: 'log' }, title: 'network size: nonzero weights (log scale)' },
            y: { field: 'ratio', type: 'quantitative', scale: { domain: [0, yMax] }, title: 'cost ratio backprop / forward (dimensionless)' },
            color: { field: 'kind', type: 'nominal', title: null },
            shape: { field: 'depth', type: 'nominal', title: 'hidden layers' },
          },
        },
        ...ruleLayer(OMEGA_B, 'ω_b = 5'),
      ],
    };
    const holds = rows.length === 0 ? 'unknown' : maxOp <= OMEGA_B && Math.abs(fitOp.slope) < 0.5 && disagreements.length === 0 ? 'yes' : 'no';
    return {
      markdown: table + notes,
      plots: [{ name: 'ratio', spec: plot }],
      claims: [
        {
          ref: '1',
          claim: 'Nonsmooth cheap gradient',
          statement: 'cost(backprop(P)) ≤ ω_b·cost(P), ω_b ≈ 5 independent of dimension',
          measured: `${rows.length} networks (${Math.min(...rows.map((r) => r.nonzeros as number))}–${Math.max(...rows.map((r) => r.nonzeros as number))} weights): op ratio ${fmt(Math.min(...opR))}–${fmt(maxOp)}; float wall-clock ratio median ${fmt(median(timeR))} (max ${fmt(Math.max(...timeR))})${exactR.length ? `; exact median ${fmt(median(exactR))}` : ''}`,
          holds,
        },
      ],
      summary: { maxOpRatio: maxOp, opRatioSlope: fitOp.slope, medianTimeRatio: median(timeR), maxTimeRatio: Math.max(...timeR), medianExactRatio: exactR.length ? median(exactR) : null, disagreements },
    };
  },
};
export default cheapGradient;
