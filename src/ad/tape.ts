/**
 * A general tape: straight-line programs over the dictionary {+, −, ×, relu, constants}, for
 * programs that are not layered networks — the paper's `relu2(t) = relu(−t) + t` and
 * `zero = relu2 − relu` (docs/theory.md §3) are the motivating examples.
 *
 *     const t = new Tape(1);
 *     const x = t.input(0);
 *     const relu2 = t.add(t.relu(t.neg(x)), x);
 *     t.setOutput(t.sub(relu2, t.relu(x)));       // zero(x) = 0 for every x
 *     backpropTape(t, [ZERO], PYTORCH).gradient   // [1]  — conservative, not Clarke (docs/theory.md §3)
 *     lexicographicTape(t, [ZERO]).subgradient    // [0]  — Clarke (docs/theory.md §7)
 *
 * Node ids are indices in creation order, so the tape is topologically sorted by construction
 * (an operation may only refer to ids that already exist). All arithmetic is exact (Rational).
 *
 * relu'(0) policies (src/ad/relu-prime.ts) apply to the tape's relu nodes numbered 0..R−1 in
 * creation order, viewed as a single "layer" of width R: a per-neuron policy is `s[0][k]`, and a
 * seeded random policy draws in that order.
 *
 * Op counts (src/ad/ops.ts) are structural: every node of the tape is executed by every sweep.
 *   forward:  add/sub/neg → 1 add; mul → 1 mul; relu → 1 relu.
 *   reverse:  add, sub → 2 add; neg → 1 add; mul → 2 mul + 2 add; relu → 1 relu (the relu'
 *             comparison) + 1 mul + 1 add.
 *   tangent (one direction): add/sub/neg → 1 add; mul → 2 mul + 1 add; relu → 1 relu + 1 mul.
 */
import { Rational, ZERO, ONE } from '../exact/rational';
import { UserError } from '../errors';
import { opCounts, addOps, scaleOps, type OpCounts } from './ops';
import { resolveReluPrime, PYTORCH, type ReluPrime } from './relu-prime';
import { lexicographicFromRow, checkDirections } from './linear';
import type { Network } from '../network/network';

/** The operations a tape records. */
export type TapeOpKind = 'input' | 'const' | 'add' | 'sub' | 'mul' | 'neg' | 'relu';

/** One recorded operation: its kind, operand ids and (for constants) its value. */
export interface TapeNode {
  readonly op: TapeOpKind;
  /** First operand id (input index for 'input'; −1 for 'const'). */
  readonly a: number;
  /** Second operand id (−1 for unary ops). */
  readonly b: number;
  /** The value of a 'const' node. */
  readonly value?: Rational;
}

/**
 * A straight-line program over {+, −, ×, relu, constants} that need not be a layered network (for
 * instance relu2 and zero of docs/theory.md §3). Build it with input/constant/add/sub/mul/neg/relu
 * and setOutput; evaluate and differentiate it with evaluateTape, backpropTape, directionalTape
 * and lexicographicTape.
 */
export class Tape {
  readonly inputDim: number;
  private readonly _nodes: TapeNode[] = [];
  private readonly inputIds: number[];
  private _output = -1;
  private _relus = 0;

  constructor(inputDim: number) {
    if (!Number.isSafeInteger(inputDim) || inputDim < 0) throw new RangeError(`Tape: inputDim must be a non-negative integer, got ${inputDim}`);
    this.inputDim = inputDim;
    this.inputIds = new Array<number>(inputDim).fill(-1);
  }

  /** The node of input coordinate i (one node per coordinate; repeated calls return the same id). */
  input(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.inputDim) throw new RangeError(`Tape.input: index ${i} out of range 0..${this.inputDim - 1}`);
    if (this.inputIds[i]! < 0) this.inputIds[i] = this.push({ op: 'input', a: i, b: -1 });
    return this.inputIds[i]!;
  }
  constant(r: Rational | number | bigint): number {
    const v = r instanceof Rational ? r : typeof r === 'bigint' ? Rational.int(r) : Rational.fromNumber(r);
    return this.push({ op: 'const', a: -1, b: -1, value: v });
  }
  add(a: number, b: number): number {
    return this.push({ op: 'add', a: this.check(a), b: this.check(b) });
  }
  sub(a: number, b: number): number {
    return this.push({ op: 'sub', a: this.check(a), b: this.check(b) });
  }
  mul(a: number, b: number): number {
    return this.push({ op: 'mul', a: this.check(a), b: this.check(b) });
  }
  neg(a: number): number {
    return this.push({ op: 'neg', a: this.check(a), b: -1 });
  }
  relu(a: number): number {
    this._relus++;
    return this.push({ op: 'relu', a: this.check(a), b: -1 });
  }
  setOutput(id: number): void {
    this._output = this.check(id);
  }

  get output(): number {
    if (this._output < 0) throw new UserError('tape: no output set (call setOutput)');
    return this._output;
  }
  get nodes(): readonly TapeNode[] {
    return this._nodes;
  }
  get size(): number {
    return this._nodes.length;
  }
  /** Number of relu nodes (the width of the single "layer" seen by relu'(0) policies). */
  get reluCount(): number {
    return this._relus;
  }

  private push(n: TapeNode): number {
    this._nodes.push(n);
    return this._nodes.length - 1;
  }
  private check(id: number): number {
    if (!Number.isInteger(id) || id < 0 || id >= this._nodes.length)
      throw new RangeError(`Tape: node id ${id} does not exist (ids 0..${this._nodes.length - 1})`);
    return id;
  }
}

function checkTapePoint(t: Tape, x: readonly Rational[], what = 'point'): void {
  if (x.length !== t.inputDim) throw new UserError(`${what}: expected ${t.inputDim} coordinates (tape inputDim), got ${x.length}`);
}

/** Structural cost of one forward sweep of the tape. */
export function tapeForwardOps(t: Tape): OpCounts {
  let add = 0;
  let mul = 0;
  let relu = 0;
  for (const n of t.nodes) {
    if (n.op === 'add' || n.op === 'sub' || n.op === 'neg') add++;
    else if (n.op === 'mul') mul++;
    else if (n.op === 'relu') relu++;
  }
  return opCounts(add, mul, relu);
}

/** Structural cost of the reverse sweep (see header). */
export function tapeReverseOps(t: Tape): OpCounts {
  let add = 0;
  let mul = 0;
  let relu = 0;
  for (const n of t.nodes) {
    if (n.op === 'add' || n.op === 'sub') add += 2;
    else if (n.op === 'neg') add += 1;
    else if (n.op === 'mul') {
      mul += 2;
      add += 2;
    } else if (n.op === 'relu') {
      relu += 1;
      mul += 1;
      add += 1;
    }
  }
  return opCounts(add, mul, relu);
}

/** Structural cost of propagating one tangent direction (see header). */
export function tapeTangentOps(t: Tape): OpCounts {
  let add = 0;
  let mul = 0;
  let relu = 0;
  for (const n of t.nodes) {
    if (n.op === 'add' || n.op === 'sub' || n.op === 'neg') add++;
    else if (n.op === 'mul') {
      mul += 2;
      add += 1;
    } else if (n.op === 'relu') {
      relu += 1;
      mul += 1;
    }
  }
  return opCounts(add, mul, relu);
}

/** All node values at x (exact). */
function forwardValues(t: Tape, x: readonly Rational[]): Rational[] {
  const nodes = t.nodes;
  const val = new Array<Rational>(nodes.length);
  for (let k = 0; k < nodes.length; k++) {
    const n = nodes[k]!;
    switch (n.op) {
      case 'input':
        val[k] = x[n.a]!;
        break;
      case 'const':
        val[k] = n.value!;
        break;
      case 'add':
        val[k] = val[n.a]!.add(val[n.b]!);
        break;
      case 'sub':
        val[k] = val[n.a]!.sub(val[n.b]!);
        break;
      case 'mul':
        val[k] = val[n.a]!.mul(val[n.b]!);
        break;
      case 'neg':
        val[k] = val[n.a]!.neg();
        break;
      case 'relu':
        val[k] = val[n.a]!.sign() > 0 ? val[n.a]! : ZERO;
        break;
    }
  }
  return val;
}

/**
 * Evaluate a tape exactly at x: the output value, the value of every node, and the operation
 * counts.
 */
export function evaluateTape(t: Tape, x: readonly Rational[]): { value: Rational; values: Rational[]; ops: OpCounts } {
  checkTapePoint(t, x);
  const values = forwardValues(t, x);
  return { value: values[t.output]!, values, ops: tapeForwardOps(t) };
}

export interface TapeBackpropResult {
  value: Rational;
  gradient: Rational[];
  /** Relu node indices k (0..R−1, creation order) whose argument was exactly 0. */
  zeros: number[];
  /** The relu' value used at each relu node, creation order. */
  choices: Rational[];
  ops: OpCounts;
}

/**
 * Reverse mode on the tape with the given relu'(0) policy. The result is the chain-rule product
 * with relu'(0) := s, an element of the conservative gradient of the program (docs/theory.md §1, §3) —
 * which need not be in the Clarke subdifferential (`zero`'s backprop at 0 is 1).
 * Pre: x.length === t.inputDim. Post: gradient.length === t.inputDim.
 */
export function backpropTape(t: Tape, x: readonly Rational[], policy: ReluPrime = PYTORCH): TapeBackpropResult {
  checkTapePoint(t, x);
  const nodes = t.nodes;
  const val = forwardValues(t, x);
  const choose = resolveReluPrime(policy, [t.reluCount]);
  // relu'(v) per relu node, decided in creation order so that a seeded random policy is reproducible.
  const choices: Rational[] = [];
  const zeros: number[] = [];
  const deriv = new Array<Rational>(nodes.length);
  for (let k = 0; k < nodes.length; k++) {
    const n = nodes[k]!;
    if (n.op !== 'relu') continue;
    const s = val[n.a]!.sign();
    const r = choices.length;
    let d: Rational;
    if (s > 0) d = ONE;
    else if (s < 0) d = ZERO;
    else {
      zeros.push(r);
      d = choose(0, r);
    }
    choices.push(d);
    deriv[k] = d;
  }
  const adj = new Array<Rational>(nodes.length).fill(ZERO);
  adj[t.output] = ONE;
  for (let k = nodes.length - 1; k >= 0; k--) {
    const g = adj[k]!;
    if (g.isZero()) continue;
    const n = nodes[k]!;
    switch (n.op) {
      case 'add':
        adj[n.a] = adj[n.a]!.add(g);
        adj[n.b] = adj[n.b]!.add(g);
        break;
      case 'sub':
        adj[n.a] = adj[n.a]!.add(g);
        adj[n.b] = adj[n.b]!.sub(g);
        break;
      case 'neg':
        adj[n.a] = adj[n.a]!.sub(g);
        break;
      case 'mul':
        adj[n.a] = adj[n.a]!.add(g.mul(val[n.b]!));
        adj[n.b] = adj[n.b]!.add(g.mul(val[n.a]!));
        break;
      case 'relu':
        adj[n.a] = adj[n.a]!.add(g.mul(deriv[k]!));
        break;
      default:
        break;
    }
  }
  const gradient = new Array<Rational>(t.inputDim).fill(ZERO);
  nodes.forEach((n, k) => {
    if (n.op === 'input') gradient[n.a] = adj[k]!;
  });
  return { value: val[t.output]!, gradient, zeros, choices, ops: addOps(tapeForwardOps(t), tapeReverseOps(t)) };
}

/**
 * Propagate the value and k tangents through the tape. `lex = false`: k independent one-sided
 * directional derivatives F'(x; v_j) — at a relu whose argument is exactly 0 the tangent u' maps to
 * relu(u'), the one-sided derivative of relu at 0, direction by direction. `lex = true`: the k
 * tangents form one row (Nesterov's lexicographic derivative, docs/theory.md §7): at a zero argument the
 * whole row passes if its first nonzero entry is positive and is zeroed otherwise.
 */
function tangentSweep(t: Tape, x: readonly Rational[], V: readonly (readonly Rational[])[], lex: boolean): { value: Rational; out: Rational[] } {
  const nodes = t.nodes;
  const k = V.length;
  const val = new Array<Rational>(nodes.length);
  const tan = new Array<Rational[]>(nodes.length);
  const zeroRow = new Array<Rational>(k).fill(ZERO);
  for (let id = 0; id < nodes.length; id++) {
    const n = nodes[id]!;
    switch (n.op) {
      case 'input':
        val[id] = x[n.a]!;
        tan[id] = V.map((v) => v[n.a]!);
        break;
      case 'const':
        val[id] = n.value!;
        tan[id] = zeroRow;
        break;
      case 'add': {
        val[id] = val[n.a]!.add(val[n.b]!);
        const ta = tan[n.a]!;
        const tb = tan[n.b]!;
        tan[id] = ta.map((u, j) => u.add(tb[j]!));
        break;
      }
      case 'sub': {
        val[id] = val[n.a]!.sub(val[n.b]!);
        const ta = tan[n.a]!;
        const tb = tan[n.b]!;
        tan[id] = ta.map((u, j) => u.sub(tb[j]!));
        break;
      }
      case 'neg':
        val[id] = val[n.a]!.neg();
        tan[id] = tan[n.a]!.map((u) => u.neg());
        break;
      case 'mul': {
        const va = val[n.a]!;
        const vb = val[n.b]!;
        val[id] = va.mul(vb);
        const ta = tan[n.a]!;
        const tb = tan[n.b]!;
        tan[id] = ta.map((u, j) => u.mul(vb).add(va.mul(tb[j]!)));
        break;
      }
      case 'relu': {
        const va = val[n.a]!;
        const s = va.sign();
        val[id] = s > 0 ? va : ZERO;
        const ta = tan[n.a]!;
        if (s > 0) tan[id] = ta;
        else if (s < 0) tan[id] = zeroRow;
        else if (lex) tan[id] = firstNonzeroSign(ta) > 0 ? ta : zeroRow;
        else tan[id] = ta.map((u) => (u.sign() > 0 ? u : ZERO));
        break;
      }
    }
  }
  return { value: val[t.output]!, out: tan[t.output]! };
}

export function firstNonzeroSign(row: readonly Rational[]): -1 | 0 | 1 {
  for (const u of row) {
    const s = u.sign();
    if (s !== 0) return s;
  }
  return 0;
}

/** One-sided directional derivative F'(x; v) of the tape program (exact, nonsmooth-correct). */
export function directionalTape(t: Tape, x: readonly Rational[], v: readonly Rational[]): { value: Rational; derivative: Rational; ops: OpCounts } {
  const r = directionalsTape(t, x, [v]);
  return { value: r.value, derivative: r.derivatives[0]!, ops: r.ops };
}

/** Vector mode: F'(x; v_j) for every row v_j of V, in one sweep carrying V.length tangents. */
export function directionalsTape(t: Tape, x: readonly Rational[], V: readonly (readonly Rational[])[]): { value: Rational; derivatives: Rational[]; ops: OpCounts } {
  checkTapePoint(t, x);
  V.forEach((v, j) => checkTapePoint(t, v, `direction ${j + 1}`));
  const r = tangentSweep(t, x, V, false);
  return { value: r.value, derivatives: r.out, ops: addOps(tapeForwardOps(t), scaleOps(tapeTangentOps(t), V.length)) };
}

/**
 * Lexicographic subgradient of the tape program at x (docs/theory.md §7). `M` lists the p directions
 * m_1..m_p as rows (M[k] = m_k; default: the identity). With J = F'(x; M) the lexicographic
 * derivative row, the result g solves g·m_k = J_k for all k (docs/theory.md §7's F'(x;M)·M^{-1} with M's
 * columns the directions). For a program built from relu, +, −, × and constants
 * this is an element of the Clarke subdifferential. Cost: p + 1 sweeps (value + p tangents).
 * Pre: M is p×p and nonsingular (UserError otherwise).
 */
export function lexicographicTape(t: Tape, x: readonly Rational[], M?: readonly (readonly Rational[])[]): { value: Rational; subgradient: Rational[]; ops: OpCounts } {
  checkTapePoint(t, x);
  const p = t.inputDim;
  const dirs = M ?? identity(p);
  checkDirections(dirs, p);
  const r = tangentSweep(t, x, dirs, true);
  const { subgradient, ops } = lexicographicFromRow(M, r.out, addOps(tapeForwardOps(t), scaleOps(tapeTangentOps(t), p)));
  return { value: r.value, subgradient, ops };
}

export function identity(p: number): Rational[][] {
  return Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i === j ? ONE : ZERO)));
}

/**
 * The tape of a layered network (docs/theory.md §1): neuron by neuron, Σ_j w_ij a_j (+ b_i) with ±1 weights
 * as additions/subtractions and other weights as multiplications by constants, relu on hidden
 * layers. Relu nodes are created layer by layer, neuron by neuron — the order in which
 * `backward` applies relu'(0) policies — so a per-neuron policy `s[l][i]` becomes `[flat(s)]` and a
 * seeded random policy draws the same sequence. Used to cross-check the two engines.
 */
export function networkToTape(net: Network): Tape {
  const t = new Tape(net.inputDim);
  let a: number[] = Array.from({ length: net.inputDim }, (_, i) => t.input(i));
  const L = net.layers.length;
  net.layers.forEach((layer, l) => {
    const next: number[] = [];
    for (let i = 0; i < layer.rows; i++) {
      let acc = -1;
      // CSR row (src/network/network.ts): nonzeros in increasing column order, as before.
      for (let k = layer.start[i]!; k < layer.start[i + 1]!; k++) {
        const w = layer.w[k]!;
        const j = layer.col[k]!;
        const unitSign = layer.unit[k]!;
        if (acc < 0) acc = unitSign === 1 ? a[j]! : unitSign === -1 ? t.neg(a[j]!) : t.mul(t.constant(w), a[j]!);
        else if (unitSign === 1) acc = t.add(acc, a[j]!);
        else if (unitSign === -1) acc = t.sub(acc, a[j]!);
        else acc = t.add(acc, t.mul(t.constant(w), a[j]!));
      }
      const b = layer.bias[i]!;
      if (acc < 0) acc = t.constant(b);
      else if (!b.isZero()) acc = t.add(acc, t.constant(b));
      next.push(l < L - 1 ? t.relu(acc) : acc);
    }
    a = next;
  });
  t.setOutput(a[0]!);
  return t;
}
