/**
 * `npx tsx bench/clarke-set.ts [--quick]`: the cost of the whole Clarke set (clarkeSet,
 * docs/theory.md §9) and of one membership question (clarkeContains, backprop with relu'(0) = 0),
 * against the number of tied neurons and against the network size (issue 19).
 *
 *   A. Tied neurons k = 1 … 20: a random 8-24-16-1 network with integer weights in [−3, 3]; the
 *      point x̄ has integer coordinates and the biases of k first-layer neurons are set so that
 *      their pre-activation at x̄ is exactly 0 (the others get a nonzero pre-activation).
 *   B. Size: random p-h1-h2-1 networks with float32-like dyadic weights (k/64, |k| ≤ 64) up to
 *      784-128-64-1, with 5 tied first-layer neurons at the point.
 * Every certificate is re-checked by src/verify/set.ts inside clarkeSet / clarkeContains (the
 * time includes it). Limits: 20 s and 10^5 pieces per set and per membership question (a partial set is recorded as such).
 * Writes bench/results/clarke-set.json and .md with the machine's load average.
 */
import { cpus, loadavg } from 'node:os';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rational, ZERO } from '../src/exact/rational';
import { Rng } from '../src/exact/rng';
import { Network, layerOf } from '../src/network/network';
import { clarkeSet, clarkeContains } from '../src/clarke/set';
import { backward } from '../src/ad/backward';
import { writeFileAtomic, writeJsonAtomic } from '../src/io/atomic';

const quick = process.argv.includes('--quick');
const here = dirname(fileURLToPath(import.meta.url));
const LIMIT = 20;
const MAX_PIECES = 100_000;

/** A network p-h1-h2-1 with weights w(), a point with integer coordinates and exactly k tied first-layer neurons. */
function instance(rng: Rng, dims: number[], k: number, w: () => Rational): { net: Network; at: Rational[] } {
  const p = dims[0]!;
  const at = Array.from({ length: p }, () => Rational.int(rng.int(-2, 2)));
  const layers = dims.slice(1).map((rows, l) => {
    const W = Array.from({ length: rows }, () => Array.from({ length: dims[l]! }, w));
    const b = W.map((row, i) => {
      if (l > 0) return Rational.of(BigInt(rng.int(-4, 4)), 8n);
      const z = row.reduce((s, v, j) => s.add(v.mul(at[j]!)), ZERO);
      // tied: pre-activation exactly 0; else ±(1/2 … 2) away from 0.
      return i < k ? z.neg() : z.neg().add(Rational.of(BigInt(rng.int(1, 4) * (rng.int(0, 1) ? 1 : -1)), 2n));
    });
    return layerOf(W, b);
  });
  return { net: new Network(p, layers), at };
}

interface Row {
  series: 'tied' | 'size';
  dims: string;
  tied: number;
  weights: number;
  complete: boolean;
  gradients: number;
  pieces: number;
  extremePoints: number | null;
  setMs: number;
  membership: string;
  membershipMs: number;
}

function measure(series: Row['series'], net: Network, at: Rational[], dims: number[]): Row {
  const t0 = performance.now();
  const set = clarkeSet(net, { at, maxPieces: MAX_PIECES, timeLimitSec: LIMIT, seed: 1 });
  const setMs = performance.now() - t0;
  const v = backward(net, at).gradient;
  const t1 = performance.now();
  const m = clarkeContains(net, v, { at, timeLimitSec: LIMIT, seed: 1 });
  const membershipMs = performance.now() - t1;
  const row: Row = { series, dims: dims.join('-'), tied: set.tied.length, weights: net.weightCount, complete: set.complete, gradients: set.gradients.length, pieces: set.pieces, extremePoints: set.extremePoints, setMs, membership: m.answer, membershipMs };
  process.stderr.write(`clarke-set: ${row.dims} tied ${row.tied}: ${row.gradients} gradients, ${row.pieces} pieces${row.complete ? '' : ' (partial)'} in ${(setMs / 1000).toFixed(2)} s; backprop ${m.answer} in ${(membershipMs / 1000).toFixed(2)} s\n`);
  return row;
}

const load0 = loadavg();
const started = new Date().toISOString();
const rows: Row[] = [];
for (const k of quick ? [1, 2, 4, 8] : Array.from({ length: 20 }, (_, i) => i + 1)) {
  const rng = new Rng(1000 + k);
  const dims = [8, 24, 16, 1];
  const { net, at } = instance(rng, dims, k, () => Rational.int(rng.int(-3, 3)));
  rows.push(measure('tied', net, at, dims));
}
const sizes = quick ? [[16, 16, 8, 1], [64, 32, 16, 1]] : [[16, 16, 8, 1], [64, 32, 16, 1], [256, 64, 32, 1], [784, 128, 64, 1]];
for (const dims of sizes) {
  const rng = new Rng(2000 + dims[0]!);
  const { net, at } = instance(rng, dims, 5, () => Rational.of(BigInt(rng.int(-64, 64)), 64n));
  rows.push(measure('size', net, at, dims));
}
const record = {
  command: `npx tsx bench/clarke-set.ts${quick ? ' --quick' : ''}`,
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  started,
  finished: new Date().toISOString(),
  loadAverage: { before: load0, after: loadavg() },
  limits: { timeLimitSec: LIMIT, maxPieces: MAX_PIECES },
  rows,
};
const f = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 3 : 1);
const md = [
  `# Clarke set and membership cost (\`${record.command}\`)`,
  '',
  `${record.machine.model}, ${record.machine.cpus} cores, Node ${record.machine.node}; ${started} → ${record.finished}; load average before ${load0.map((x) => x.toFixed(2)).join(' ')}, after ${record.loadAverage.after.map((x) => x.toFixed(2)).join(' ')}.`,
  '',
  '| series | network | tied neurons | weights | complete | gradients | pieces | extreme points | set s | backprop (relu\'(0)=0) in set | membership s |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.series} | ${r.dims} | ${r.tied} | ${r.weights} | ${r.complete ? 'yes' : 'no'} | ${r.gradients} | ${r.pieces} | ${r.extremePoints ?? '–'} | ${f(r.setMs)} | ${r.membership} | ${f(r.membershipMs)} |`),
  '',
].join('\n');
const out = resolve(here, 'results', quick ? 'clarke-set-quick' : 'clarke-set');
writeJsonAtomic(`${out}.json`, record);
writeFileAtomic(`${out}.md`, md);
process.stdout.write(md);
