/**
 * The `nsad-clarke-proof` format, versions 1 and 2 (docs/formats.md, "Proof (nsad-clarke-proof,
 * versions 1 and 2)"; version 2 adds lemmas, citations, resolution and deletion lines): an exact,
 * streamable proof that the Clarke subdifferential of F at x̄ is the singleton {g}
 * (docs/theory.md §6, §8). JSON Lines:
 *
 *     {"format":"nsad-clarke-proof","version":1,"network":{"sha256":…},"inputDim":p,
 *      "at":x̄,"gradient":g,"signs":[1,-1],"box":"[-1,1]^p","claim":…}
 *     {"tree":1}
 *     ["x",3,0]            input split x_3 ≤ 0 | x_3 ≥ 0 (first child first, preorder)
 *     ["b",[57],[[41,[2]]]] leaf closed by an exact bound (α = 1 nodes, partial substitutions)
 *     …
 *     {"end":1,"nodes":N,"leaves":L}
 *     {"tree":-1} … {"end":-1,…}
 *
 * This module writes and reads the lines; src/verify/proof.ts (which shares no code with it)
 * checks them. Rationals are JSON integers or strings "a/b".
 */
import { closeSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tempFileFor } from '../io/atomic';
import { StringDecoder } from 'node:string_decoder';
import type { Rational } from '../exact/rational';

export const PROOF_FORMAT = 'nsad-clarke-proof';
/** The version written: 2 when a tree uses lemmas, else 1 (both read by src/verify/proof.ts). */
export const PROOF_VERSION = 2;

export type ProofSign = 1 | -1;

export interface ProofHeader {
  /** networkHash (src/verify/proof.ts) of the network's exact weights. */
  networkSha256: string;
  inputDim: number;
  at: readonly Rational[];
  gradient: readonly Rational[];
  signs: readonly ProofSign[];
  /** Free-form provenance (tool, network file name); not checked. */
  producer?: Record<string, unknown>;
  /** Format version (default PROOF_VERSION); 1 when no tree has lemmas. */
  version?: 1 | 2;
}

/** Receives the proof line by line (without the newline). */
export type ProofSink = (line: string) => void;

const vec = (v: readonly Rational[]): (number | string)[] => v.map((r) => r.toJSON());

export function headerLine(h: ProofHeader): string {
  const claim =
    h.signs.length === 2
      ? 'for both signs s: s*(G(h) - gradient.h) <= 0 for all h in [-1,1]^p, G the tangent network of F at `at`; hence G is linear and the Clarke subdifferential of F at `at` is {gradient}'
      : `${h.signs[0]}*(G(h) - gradient.h) <= 0 for all h in [-1,1]^p, G the tangent network of F at \`at\``;
  return JSON.stringify({
    format: PROOF_FORMAT,
    version: h.version ?? PROOF_VERSION,
    network: { sha256: h.networkSha256 },
    inputDim: h.inputDim,
    at: vec(h.at),
    gradient: vec(h.gradient),
    signs: h.signs,
    box: '[-1,1]^p',
    claim,
    ...(h.producer ? { producer: h.producer } : {}),
  });
}

export const treeOpenLine = (sign: ProofSign): string => `{"tree":${sign}}`;
export const treeEndLine = (sign: ProofSign, nodes: number, leaves: number, lemmas = 0): string =>
  `{"end":${sign},"nodes":${nodes},"leaves":${leaves}${lemmas > 0 ? `,"lemmas":${lemmas}` : ''}}`;
/**
 * Version 2: lemma k, `σ·D ≤ 0` on the box cut by `cube` (sign literals at 0: i+1 for x_i ≥ 0,
 * −(i+1) for x_i ≤ 0), proven by the tree that follows (on that domain).
 */
export const lemmaLine = (k: number, cube: readonly number[]): string => `{"lemma":${k},"cube":${JSON.stringify(cube)}}`;
/**
 * Version 2: the next lemma, `σ·D ≤ 0` on the box cut by the sign literals (i+1: x_i ≥ 0,
 * −(i+1): x_i ≤ 0), derived by unit propagation over the lemmas before it (no tree follows).
 */
export const rupLemmaLine = (cube: readonly number[]): string => `["u"${cube.map((l) => `,${l}`).join('')}]`;
/** Version 2: lemmas no later "u" lemma needs; the checker stops propagating over them. */
export const deleteLine = (ks: readonly number[]): string => `["d"${ks.map((k) => `,${k}`).join('')}]`;
/** Version 2: leaf closed by lemma k (the leaf's domain lies in the lemma's cube). */
export const citeLine = (k: number): string => `["c",${k}]`;
/**
 * Version 2: resolution — split x_i at 0; the child on side s (1: x_i ≥ 0, −1: x_i ≤ 0) is closed
 * by lemma k; the other child's subtree follows.
 */
export const resolutionLine = (i: number, s: 1 | -1, k: number): string => `["r",${i},${s},${k}]`;
/** Input split at c; `upperFirst`: the first child (in preorder) is x_i ≥ c. */
export const inputSplitLine = (i: number, c: Rational, upperFirst = false): string => `["x",${i},${JSON.stringify(c.toJSON())}${upperFirst ? ',1' : ''}]`;
/** Phase split; `inactiveFirst`: the first child is ê ≤ 0. */
export const nodeSplitLine = (id: number, inactiveFirst = false): string => `["n",${id}${inactiveFirst ? ',1' : ''}]`;

function choices(A: readonly number[], S: ReadonlyArray<readonly [number, readonly number[]]>): string {
  if (A.length === 0 && S.length === 0) return '';
  const a = `,${JSON.stringify(A)}`;
  return S.length === 0 ? a : `${a},${JSON.stringify(S)}`;
}
export const boundLeafLine = (A: readonly number[], S: ReadonlyArray<readonly [number, readonly number[]]>): string => `["b"${choices(A, S)}]`;
export const emptyLeafLine = (id: number, A: readonly number[], S: ReadonlyArray<readonly [number, readonly number[]]>): string => `["e",${id}${choices(A, S)}]`;

/**
 * A proof file written through a sibling temp file and renamed into place on `commit()` (so a
 * crash or an abandoned search never leaves a half-written proof under the final name).
 */
export class ProofFileWriter {
  private fd: number;
  private readonly tmp: string;
  private buf: string[] = [];
  private bufLen = 0;
  bytes = 0;
  lines = 0;

  constructor(readonly path: string) {
    // The toolkit's temp naming (src/io/atomic.ts): a temp left by a killed run is removed by the
    // next write of the same file.
    this.tmp = tempFileFor(path);
    this.fd = openSync(this.tmp, 'w');
  }

  /** The sink to hand to the search. */
  readonly sink: ProofSink = (line: string): void => {
    this.buf.push(line, '\n');
    this.bufLen += line.length + 1;
    this.lines++;
    if (this.bufLen > 1 << 16) this.flush();
  };

  private flush(): void {
    if (this.buf.length === 0) return;
    const data = Buffer.from(this.buf.join(''), 'utf8');
    writeSync(this.fd, data);
    this.bytes += data.length;
    this.buf = [];
    this.bufLen = 0;
  }

  commit(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }

  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
    rmSync(this.tmp, { force: true });
  }
}

/** Collects a proof in memory (tests, small proofs). */
export class ProofBuffer {
  readonly lines: string[] = [];
  bytes = 0;
  readonly sink: ProofSink = (line: string): void => {
    this.lines.push(line);
    this.bytes += Buffer.byteLength(line) + 1;
  };
  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

/** The lines of a proof file, read in 1 MiB chunks (streaming: the file is never held whole). */
export function* readProofLines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    const dec = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const text = rest + dec.write(chunk.subarray(0, n));
      const parts = text.split('\n');
      rest = parts.pop()!;
      for (const line of parts) yield line;
    }
    rest += dec.end();
    if (rest !== '') yield rest;
  } finally {
    closeSync(fd);
  }
}

/**
 * A `--proof FILE` output for the CLI: lines go to a temp file during the search; `settle` keeps
 * the file only for an exact singleton proven by bab, after re-checking it with the independent
 * checker (src/verify/proof.ts) from the file itself; otherwise the temp file is removed.
 */
export class ProofOutput {
  private readonly w: ProofFileWriter | null;
  constructor(readonly path: string | undefined) {
    this.w = path === undefined ? null : new ProofFileWriter(path);
  }
  get sink(): ProofSink | undefined {
    return this.w?.sink;
  }
  abort(): void {
    this.w?.abort();
  }
  settle(keep: boolean, check: (lines: Iterable<string>) => { valid: boolean; reason?: string; leaves: number; timeMs: number }): { message: string | null; failure: string | null } {
    if (this.w === null) return { message: null, failure: null };
    if (!keep) {
      this.w.abort();
      return { message: `no proof written to ${this.path} (the answer is not a singleton proven by bab)`, failure: null };
    }
    try {
      this.w.commit();
    } catch (e) {
      this.w.abort();
      return { message: null, failure: `--proof ${this.path}: not written (${(e as Error).message})` };
    }
    const v = check(readProofLines(this.w.path));
    if (!v.valid) return { message: null, failure: `--proof ${this.path}: the written proof failed the independent checker: ${v.reason}` };
    return { message: `proof written to ${this.path} (${this.w.bytes} bytes, ${v.leaves} leaves, re-checked by the independent checker in ${(v.timeMs / 1000).toFixed(2)} s)`, failure: null };
  }
}
