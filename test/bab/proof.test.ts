/**
 * The proof format and its independent checker (src/verify/proof.ts): round trips through a file,
 * tampered proofs rejected (leaf dropped, bound choices altered, split moved, order flag flipped,
 * counts, wrong network, wrong gradient, wrong point), hand-written proofs on tiny networks, and a
 * randomized soundness test: no proof is ever accepted for a network whose D = G − g·h is not 0
 * (ground truth by exact region enumeration, reductions/zero-test.ts).
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Rational, ZERO } from '../../src/exact/rational';
import { Rng } from '../../src/exact/rng';
import { babDecide, babProblem } from '../../src/clarke/bab';
import { ProofBuffer, ProofFileWriter, readProofLines } from '../../src/certificate/proof';
import { verifyProof } from '../../src/verify/proof';
import { networkToJson } from '../../src/network/format';
import { networkOf } from '../../src/network/network';
import { reduceCnf } from '../../reductions/sat-to-relu';
import { makeCnf } from '../../src/cnf/cnf';
import { localize, genericDirection } from '../../src/clarke/localize';
import { decideIdenticallyZero } from '../../reductions/zero-test';
import { randomNetwork, tiePoint } from '../clarke/helpers';
import { tangentMinusLinear } from './helpers';

// All 8 clauses over 3 variables: unsatisfiable, and every leaf of a refutation is a falsified clause.
const ALL8 = makeCnf(3, [
  [1, 2, 3], [1, 2, -3], [1, -2, 3], [1, -2, -3], [-1, 2, 3], [-1, 2, -3], [-1, -2, 3], [-1, -2, -3],
]);
const NET = reduceCnf(ALL8);
const NETJ = networkToJson(NET);
const Z3 = [ZERO, ZERO, ZERO];

function proofOf(net = NET, g = Z3, strategy: 'cdcl' | 'tree' = 'cdcl'): string[] {
  const buf = new ProofBuffer();
  const r = babDecide(net, { gradient: g, proofSink: buf.sink, timeLimitSec: 20, strategy });
  expect(r.kind).toBe('proof');
  return buf.lines;
}

describe('proof round trip', () => {
  it('the proof of an unsatisfiable formula checks, and says singleton', () => {
    const lines = proofOf();
    const r = verifyProof(NETJ, lines.join('\n'));
    expect(r.valid, r.reason).toBe(true);
    expect(r.singleton).toBe(true);
    expect(r.signs).toEqual([1, -1]);
    expect(r.leaves).toBeGreaterThanOrEqual(8);
    expect(r.nodes).toBe(lines.filter((l) => l.startsWith('[')).length);
  });

  it('through a file, atomically, read back line by line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsad-proof-'));
    const path = join(dir, 'p.jsonl');
    const w = new ProofFileWriter(path);
    const r = babDecide(NET, { gradient: Z3, proofSink: w.sink });
    expect(r.kind).toBe('proof');
    expect(existsSync(path)).toBe(false); // nothing under the final name before commit
    w.commit();
    expect(readdirSync(dir)).toEqual(['p.jsonl']);
    expect(w.bytes).toBe(readFileSync(path).length);
    expect(verifyProof(NETJ, readProofLines(path)).valid).toBe(true);
    const w2 = new ProofFileWriter(join(dir, 'q.jsonl'));
    w2.sink('{}');
    w2.abort();
    expect(readdirSync(dir)).toEqual(['p.jsonl']);
    // A run killed mid-search (SIGKILL) leaves its temp; the next write of that proof removes it
    // (both namings: the toolkit's and nsad 0.2's), and leaves temps of living writers alone.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(dir, `.p.jsonl.nsad-${dead}.tmp`), '');
    writeFileSync(join(dir, `.p.jsonl.${dead}.1733000000000.tmp`), '');
    writeFileSync(join(dir, `.p.jsonl.nsad-${process.ppid}.tmp`), '');
    const w3 = new ProofFileWriter(path);
    w3.sink('{}');
    w3.commit();
    expect(readdirSync(dir).sort()).toEqual([`.p.jsonl.nsad-${process.ppid}.tmp`, 'p.jsonl']);
  });

  it('a linear network needs one leaf per sign; |x| has no proof with any g', () => {
    const ident = networkOf(1, [[[1], [-1]], [[1, -1]]]); // relu(x) − relu(−x) = x
    const one = [Rational.int(1)];
    const r = babDecide(ident, { gradient: one });
    expect(r.kind).toBe('proof');
    const header = (g: string) =>
      JSON.stringify({ format: 'nsad-clarke-proof', version: 1, network: { sha256: babProblem(ident, [ZERO]).hash }, inputDim: 1, at: [0], gradient: [g], signs: [1, -1] });
    const hand = [header('1'), '{"tree":1}', '["b"]', '{"end":1,"nodes":1,"leaves":1}', '{"tree":-1}', '["b"]', '{"end":-1,"nodes":1,"leaves":1}'];
    expect(verifyProof(networkToJson(ident), hand.join('\n')).valid).toBe(true);
    const wrongG = [header('1/2'), ...hand.slice(1)];
    expect(verifyProof(networkToJson(ident), wrongG.join('\n')).reason).toMatch(/not closed/);
    // |x| = relu(x) + relu(−x): ∂^c = [−1, 1]; try every hand proof shape splitting at 0.
    const abs = networkOf(1, [[[1], [-1]], [[1, 1]]]);
    const hAbs = (g: string) => header(g).replace(babProblem(ident, [ZERO]).hash, babProblem(abs, [ZERO]).hash);
    for (const g of ['0', '1', '-1'])
      for (const tree of [['["b"]'], ['["x",0,0]', '["b"]', '["b"]'], ['["n",1]', '["b"]', '["b"]']]) {
        const n = tree.length;
        const L = tree.filter((t) => t.startsWith('["b"')).length;
        const text = [hAbs(g), '{"tree":1}', ...tree, `{"end":1,"nodes":${n},"leaves":${L}}`, '{"tree":-1}', ...tree, `{"end":-1,"nodes":${n},"leaves":${L}}`].join('\n');
        expect(verifyProof(networkToJson(abs), text).valid).toBe(false);
      }
  });
});

describe('tampered proofs are rejected (version 1: one tree per sign)', () => {
  const lines = proofOf(NET, Z3, 'tree');
  const check = (ls: string[]) => verifyProof(NETJ, ls.join('\n'));
  const leafIdx = lines.findIndex((l) => l.startsWith('["b"'));
  const splitIdx = lines.findIndex((l) => l.startsWith('["x"'));

  it('a leaf dropped', () => {
    const ls = lines.filter((_, i) => i !== leafIdx);
    expect(check(ls).valid).toBe(false);
  });
  it('the end line dropped, or the counts changed', () => {
    expect(check(lines.filter((l) => !l.startsWith('{"end":1'))).valid).toBe(false);
    expect(check(lines.map((l) => (l.startsWith('{"end":1') ? l.replace('"leaves":', '"leaves":1') : l))).valid).toBe(false);
  });
  it('every leaf with its bound choices removed fails somewhere', () => {
    expect(check(lines.map((l) => (l.startsWith('["b"') ? '["b"]' : l))).valid).toBe(false);
  });
  it('a leaf moved to another place of the tree (the bound no longer holds there)', () => {
    const leaves = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('["b"'));
    const distinct = leaves.find(([l]) => l !== leaves[0]![0]);
    expect(distinct).toBeDefined();
    const ls = lines.slice();
    ls[leaves[0]![1]] = distinct![0];
    ls[distinct![1]] = leaves[0]![0];
    expect(check(ls).valid).toBe(false);
  });
  it('a split value moved, out of the box, or its child order flipped', () => {
    const moved = lines.slice();
    moved[splitIdx] = moved[splitIdx]!.replace(/,0(,1)?\]$/, ',"1/2"$1]');
    expect(check(moved).valid).toBe(false);
    const out = lines.slice();
    out[splitIdx] = out[splitIdx]!.replace(/,0(,1)?\]$/, ',1$1]');
    expect(check(out).reason).toMatch(/strictly inside/);
    const flipped = lines.slice();
    flipped[splitIdx] = flipped[splitIdx]!.endsWith(',1]') ? flipped[splitIdx]!.replace(/,1\]$/, ']') : flipped[splitIdx]!.replace(/\]$/, ',1]');
    expect(check(flipped).valid).toBe(false);
  });
  it('a split whose second child is missing (a gap in the cover)', () => {
    const ls = lines.slice();
    ls.splice(splitIdx, 1);
    expect(check(ls).valid).toBe(false);
  });
  it('another network, another gradient, another point, a modified header', () => {
    const other = reduceCnf(makeCnf(3, ALL8.clauses.slice(0, 7)));
    expect(verifyProof(networkToJson(other), lines.join('\n')).reason).toMatch(/another network/);
    const g = lines.slice();
    g[0] = g[0]!.replace('"gradient":[0,0,0]', '"gradient":[0,"1/1000",0]');
    expect(check(g).valid).toBe(false);
    const at = lines.slice();
    at[0] = at[0]!.replace('"at":[0,0,0]', '"at":[1,0,0]');
    expect(check(at).valid).toBe(false);
    const v3 = lines.slice();
    v3[0] = v3[0]!.replace('"version":1', '"version":3');
    expect(check(v3).malformed).toBe('proof');
    // A version-1 proof is a version-2 proof without lemmas.
    const v2 = lines.slice();
    v2[0] = v2[0]!.replace('"version":1', '"version":2');
    expect(check(v2).valid).toBe(true);
    expect(check(lines.slice(0, -1)).valid).toBe(false);
    expect(check([...lines, '["b"]']).reason).toMatch(/after the last tree/);
    expect(check(['not json']).valid).toBe(false);
  });
  it('a partial substitution set that is not valid', () => {
    // On the tree of sign −1 the root is closed with no choices; a forged substitution claiming
    // relu(ê) ≤ U(P) + R with U(P) + L(R) < 0 must be refused or make no difference.
    const idx = lines.findIndex((l) => l === '{"tree":-1}') + 1;
    const forged = lines.slice();
    const p = NET.inputDim;
    forged[idx] = `["b",[${p}],[[${p},[0]]]]`;
    const r = check(forged);
    if (r.valid) expect(r.signs).toEqual([1, -1]);
    else expect(r.reason).toMatch(/substitution|not closed|not a term/);
  });
});

for (const style of ['resolution', 'rup'] as const)
  describe(`tampered proofs are rejected (version 2, lemmas written as ${style})`, () => {
    const buf = new ProofBuffer();
    expect(babDecide(NET, { gradient: Z3, proofSink: buf.sink, proofStyle: style }).kind).toBe('proof');
    const lines = buf.lines;
    const check = (ls: string[]) => verifyProof(NETJ, ls.join('\n'));
    const isLemma = (l: string): boolean => l.startsWith('{"lemma"') || l.startsWith('["u"');
    const lemmaAt = lines.map((l, i) => [l, i] as const).filter(([l]) => isLemma(l));
    const endAt = lines.findIndex((l) => l.startsWith('{"end":1'));
    const cubeOf = (l: string): number[] => (l.startsWith('["u"') ? (JSON.parse(l) as unknown[]).slice(1) as number[] : JSON.parse(l).cube);
    const withCube = (l: string, cube: number[]): string => (l.startsWith('["u"') ? JSON.stringify(['u', ...cube]) : JSON.stringify({ lemma: JSON.parse(l).lemma, cube }));
    /** The lines of lemma j: its header and its tree (preorder: a split opens two children, a resolution one). */
    const lemmaLines = (j: number): [number, number] => {
      let i = lemmaAt[j]![1] + 1;
      if (lemmaAt[j]![0].startsWith('["u"')) return [i - 1, i];
      for (let need = 1; need > 0; i++) need += lines[i]!.startsWith('["x"') || lines[i]!.startsWith('["n"') ? 1 : lines[i]!.startsWith('["r"') ? 0 : -1;
      return [lemmaAt[j]![1], i];
    };

    it('the search writes version 2 with lemmas, and the checker accepts it', () => {
      expect(JSON.parse(lines[0]!).version).toBe(2);
      expect(lemmaAt.length).toBeGreaterThanOrEqual(8); // one per falsified clause at least
      expect(lines.some((l) => l.startsWith(style === 'rup' ? '["u"' : '["r"'))).toBe(true);
      const r = check(lines);
      expect(r.valid, r.reason).toBe(true);
      expect(r.singleton).toBe(true);
    });
    it('a lemma line in a version-1 file is refused', () => {
      const ls = lines.slice();
      ls[0] = ls[0]!.replace('"version":2', '"version":1');
      expect(check(ls).reason).toMatch(/version 2/);
    });
    it('a lemma dropped: later citations point at other lemmas, or past the end, or propagation misses it', () => {
      let refused = 0;
      for (let j = 0; j < lemmaAt.length; j++) {
        const [a, b] = lemmaLines(j);
        if (!check([...lines.slice(0, a), ...lines.slice(b)]).valid) refused++;
      }
      // A lemma derived by propagation may be one the later ones do not need after all.
      if (style === 'resolution') expect(refused).toBe(lemmaAt.length);
      else expect(refused).toBeGreaterThan(lemmaAt.length / 2);
    });
    it('a literal removed from a cube, or its sign flipped: the lemma no longer holds or no longer fits its uses', () => {
      let tried = 0;
      let refused = 0;
      for (const [l, i] of lemmaAt) {
        const cube = cubeOf(l);
        for (let t = 0; t < cube.length; t++)
          for (const nc of [cube.filter((_, u) => u !== t), cube.map((x, u) => (u === t ? -x : x))]) {
            const ls = lines.slice();
            ls[i] = withCube(l, nc);
            tried++;
            // (On this unsatisfiable formula a forged lemma may be true; soundness on false
            // claims is the randomized test below.)
            if (!check(ls).valid) refused++;
          }
      }
      expect(tried).toBeGreaterThan(10);
      expect(refused).toBeGreaterThan(tried / 2);
    });
    it('a citation of another lemma, of a lemma not yet proven, or of itself', () => {
      const cites = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('["c"') || l.startsWith('["r"'));
      let refused = 0;
      for (const [l, i] of cites) {
        const a = JSON.parse(l) as unknown[];
        const k = a[a.length - 1] as number;
        for (const other of [k + 1, lemmaAt.length, -1]) {
          const ls = lines.slice();
          const b = a.slice();
          b[b.length - 1] = other;
          ls[i] = JSON.stringify(b);
          if (!check(ls).valid) refused++;
        }
      }
      expect(refused).toBeGreaterThanOrEqual(2 * cites.length);
    });
    if (style === 'resolution')
      it('a resolution with its side flipped, or turned into a plain citation', () => {
        const rs = lines.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith('["r"'));
        expect(rs.length).toBeGreaterThan(0);
        for (const [l, i] of rs) {
          const a = JSON.parse(l) as [string, number, number, number];
          const flipped = lines.slice();
          flipped[i] = JSON.stringify(['r', a[1], -a[2], a[3]]);
          expect(check(flipped).valid, l).toBe(false);
          const cite = lines.slice();
          cite[i] = JSON.stringify(['c', a[3]]);
          expect(check(cite).valid, l).toBe(false);
        }
      });
    else
      it('a lemma by propagation moved before the lemmas it rests on; a cube with a variable twice', () => {
        const u = lemmaAt.filter(([l]) => l.startsWith('["u"') && cubeOf(l).length > 0);
        expect(u.length).toBeGreaterThan(0);
        const [l, i] = u[u.length - 1]!;
        const ls = lines.slice();
        ls.splice(i, 1);
        ls.splice(lines.findIndex((x) => x === '{"tree":1}') + 1, 0, l); // first of all lemmas
        expect(check(ls).valid).toBe(false);
        const twice = lines.slice();
        const c = cubeOf(l);
        twice[i] = JSON.stringify(['u', ...c, -c[0]!]);
        expect(check(twice).reason).toMatch(/twice/);
        const general = lines.slice();
        general[i] = JSON.stringify(['u', ['x', 0, '1/2', 1]]);
        expect(check(general).valid).toBe(false);
      });
    it('the lemma count of the end line, a lemma number out of order, a malformed cube', () => {
      expect(check(lines.map((l, i) => (i === endAt ? l.replace(/"lemmas":\d+/, '"lemmas":1') : l))).valid).toBe(false);
      const objLemma = lemmaAt.find(([l]) => l.startsWith('{"lemma"') && JSON.parse(l).lemma > 0)!;
      const [l, i] = objLemma;
      const k = JSON.parse(l).lemma as number;
      const renum = lines.slice();
      renum[i] = l.replace(`"lemma":${k}`, `"lemma":${k + 5}`);
      expect(check(renum).reason).toMatch(new RegExp(`expected lemma ${k}`));
      for (const bad of ['[0]', '[4]', '["y",1,1]', '[["x",0,"1/2",2]]', '[["n",0,1]]', '"all"']) {
        const ls = lines.slice();
        ls[i] = `{"lemma":${k},"cube":${bad}}`;
        expect(check(ls).valid, bad).toBe(false);
      }
    });
  });

describe('randomized soundness: the checker never accepts a proof for a nonzero D', () => {
  it('forged proofs (bab trees for one sign reused, random leaves) on 80 random networks', () => {
    const rng = new Rng(424242);
    let accepted = 0;
    let rejectedWrong = 0;
    for (let t = 0; t < 80; t++) {
      const p = 2 + (t % 2);
      const base = randomNetwork(rng, { p, widths: [2 + (t % 3), 2], wmax: 2, bias: t % 2 === 1 });
      const { net, at } = t % 2 === 1 ? tiePoint(rng, base) : { net: base, at: Array.from({ length: p }, () => ZERO) };
      const loc = localize(net, at);
      const gen = genericDirection(net, loc.preAtBar, new Rng(t + 7));
      if (gen === null || gen.pass.gradient === null) continue;
      // Sometimes the true g, sometimes a perturbed one (then D ≢ 0 unless by luck).
      const g = gen.pass.gradient.map((v, i) => (t % 3 === 0 && i === 0 ? v.add(Rational.of(1n, 3n)) : v));
      const zero = decideIdenticallyZero(tangentMinusLinear(net, at, g)).zero;
      // Forge: a tree that splits every input at 0 then at ±1/2, every leaf with all nodes α = 1
      // or none, plus the proof bab writes for the sign it can prove (when it proves one).
      const prob = babProblem(net, at);
      const N = prob.dag.nodes.length;
      const header = JSON.stringify({ format: 'nsad-clarke-proof', version: 1, network: { sha256: prob.hash }, inputDim: p, at: at.map((v) => v.toJSON()), gradient: g.map((v) => v.toJSON()), signs: [1, -1] });
      const allA = `["b",[${Array.from({ length: N }, (_, k) => p + k).join(',')}]]`;
      const tree = (leaf: string): string[] => {
        const out: string[] = [];
        const rec = (i: number): void => {
          if (i === p) {
            out.push(rng.float() < 0.5 ? leaf : '["b"]');
            return;
          }
          out.push(`["x",${i},0]`);
          rec(i + 1);
          rec(i + 1);
        };
        rec(0);
        return out;
      };
      for (const leaf of ['["b"]', allA]) {
        const t1 = tree(leaf);
        const t2 = tree(leaf);
        const cnt = (ts: string[]) => `"nodes":${ts.length},"leaves":${ts.filter((s) => s.startsWith('["b"')).length}`;
        const text = [header, '{"tree":1}', ...t1, `{"end":1,${cnt(t1)}}`, '{"tree":-1}', ...t2, `{"end":-1,${cnt(t2)}}`].join('\n');
        const r = verifyProof(networkToJson(net), text);
        if (r.valid) {
          accepted++;
          expect(zero).toBe(true);
        } else if (!zero) rejectedWrong++;
      }
      // Forge version 2: lemmas over random sign cubes, each closed by a bare or all-α leaf, lemmas
      // "by propagation" over random cubes, and the box cited from the last.
      for (let f = 0; f < 2; f++) {
        const v2: string[] = [header.replace('"version":1', '"version":2'), '{"tree":1}'];
        let nodes = 0;
        let k = 0;
        for (let j = 0; j < 2 * p; j++) {
          const cube = Array.from({ length: p }, (_, i) => (rng.float() < 0.6 ? (rng.float() < 0.5 ? i + 1 : -(i + 1)) : 0)).filter((x) => x !== 0);
          if (rng.float() < 0.5) v2.push(`{"lemma":${k},"cube":${JSON.stringify(cube)}}`, rng.float() < 0.5 ? '["b"]' : allA);
          else v2.push(JSON.stringify(['u', ...cube]));
          nodes++;
          k++;
        }
        v2.push('["u"]', `["c",${k}]`, `{"end":1,"nodes":${nodes + 2},"leaves":${nodes + 2},"lemmas":${k + 1}}`, '{"tree":-1}', '["b"]', '{"end":-1,"nodes":1,"leaves":1}');
        const r = verifyProof(networkToJson(net), v2.join('\n'));
        if (r.valid) {
          accepted++;
          expect(zero).toBe(true);
        } else if (!zero) rejectedWrong++;
      }
      const buf = new ProofBuffer();
      const res = babDecide(net, { at, gradient: g, proofSink: buf.sink, timeLimitSec: 5 });
      if (res.kind === 'proof') {
        expect(zero).toBe(true);
        expect(verifyProof(networkToJson(net), buf.text()).valid).toBe(true);
      }
      if (res.kind === 'witness') expect(zero).toBe(false);
    }
    expect(rejectedWrong).toBeGreaterThan(10);
    expect(accepted).toBeGreaterThan(0);
  });
});
