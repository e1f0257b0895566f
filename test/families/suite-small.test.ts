/**
 * The small suite (reductions/families/suite.ts, preset small) against the definitions: every
 * formula row's status by brute force (≤ 20 variables) or the SAT solver, the Tseitin / k-XOR
 * statuses by their exact criteria, every network row's evidence re-checked by the independent
 * verifier (src/verify) and refused once tampered with, the hidden-linear facts recomputed, and
 * the same seed writing the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSuite, type SuiteManifest } from '../../reductions/families/suite';
import { parseDimacs } from '../../src/cnf/dimacs';
import { satisfies, type Cnf } from '../../src/cnf/cnf';
import { solveSat } from '../../src/cnf/sat';
import { verifyCertificate } from '../../src/verify/index';
import { verifyProof } from '../../src/verify/proof';

function bruteSat(f: Cnf): boolean {
  for (let mask = 0; mask < 2 ** f.n; mask++) {
    const a = Array.from({ length: f.n }, (_, i) => ((mask >> i) & 1 ? i + 1 : -(i + 1)));
    if (satisfies(f, a)) return true;
  }
  return false;
}

function listFiles(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? listFiles(dir, join(rel, d.name)) : [join(rel, d.name)]))
    .sort();
}

describe('generate suite --preset small', () => {
  const root = mkdtempSync(join(tmpdir(), 'nsad-suite-'));
  const a = join(root, 'a');
  const b = join(root, 'b');
  let m: SuiteManifest;

  it('writes the same bytes for the same seed', async () => {
    m = await writeSuite(a, 'small', 1, { evidenceLimitSec: 30 });
    await writeSuite(b, 'small', 1, { evidenceLimitSec: 30 });
    const fa = listFiles(a);
    expect(fa).toEqual(listFiles(b));
    expect(fa).toContain('instances.csv');
    for (const f of fa) expect(readFileSync(join(b, f), 'utf8'), f).toBe(readFileSync(join(a, f), 'utf8'));
    expect(m.instances.length).toBe(readFileSync(join(a, 'instances.csv'), 'utf8').trim().split('\n').length - 1);
  }, 120_000);

  it('formula rows: status agrees with brute force or the SAT solver; expected = two iff satisfiable', () => {
    const rows = m.instances.filter((e) => e.kind === 'cnf');
    expect(new Set(rows.map((e) => e.family))).toEqual(new Set(['random-ksat', 'planted', 'php', 'tseitin', 'coloring', 'kxor', 'ordering']));
    for (const e of rows) {
      const f = parseDimacs(readFileSync(join(a, e.file), 'utf8'), e.file);
      const sat = f.n <= 20 ? bruteSat(f) : solveSat(f).status === 'sat';
      expect(e.status, e.file).toBe(sat ? 'sat' : 'unsat');
      expect(e.expected, e.file).toBe(sat ? 'two' : 'singleton');
      // What theory fixes, whatever the draw.
      if (e.family === 'tseitin' && e.params.charge === 'odd') expect(sat, e.file).toBe(false);
      if (e.family === 'ordering' || e.family === 'php') expect(sat, e.file).toBe(false);
      if (e.family === 'planted') expect(sat, e.file).toBe(true);
    }
  });

  it('network rows: evidence accepted by src/verify and agreeing with the expected answer; tampered evidence refused', () => {
    const rows = m.instances.filter((e) => e.kind === 'network');
    expect(new Set(rows.map((e) => e.family))).toEqual(new Set(['hidden-linear', 'planted-two', 'doubling', 'random-ternary', 'reduction']));
    for (const e of rows) {
      expect(e.evidence, e.file).not.toBeNull();
      const net = JSON.parse(readFileSync(join(a, e.file), 'utf8')) as unknown;
      const text = readFileSync(join(a, e.evidence!.file), 'utf8');
      if (e.evidence!.kind === 'certificate') {
        expect(e.expected, e.file).toBe('two');
        const cert = JSON.parse(text) as { gradients: (number | string)[][] };
        expect(verifyCertificate(net, cert).valid, e.file).toBe(true);
        // Tamper: the first gradient's first coordinate replaced by another exact value.
        const bad = structuredClone(cert);
        const g0 = bad.gradients[0]!;
        g0[0] = String(g0[0]) === '0' ? 1 : 0;
        expect(verifyCertificate(net, bad).valid, `${e.file} tampered`).toBe(false);
      } else {
        expect(e.expected, e.file).toBe('singleton');
        const lines = text.split('\n').filter((l) => l !== '');
        const ok = verifyProof(net, lines);
        expect(ok.valid && ok.singleton, e.file).toBe(true);
        // Tamper: drop the last leaf-bearing line.
        const cut = lines.slice(0, -2).concat(lines.slice(-1));
        const bad = verifyProof(net, cut);
        expect(bad.valid && bad.singleton, `${e.file} tampered`).toBe(false);
      }
    }
  });

  it('hidden-linear: the recorded backprop vectors are (2s)^(depth+1)·c for s = 0 and s = 1', () => {
    for (const e of m.instances.filter((x) => x.family === 'hidden-linear')) {
      const f = e.facts as { clarke: string[]; backpropReluPrime0: string[]; backpropReluPrime1: string[] };
      const scale = 2 ** ((e.params.depth as number) + 1);
      expect(f.backpropReluPrime0.every((v) => v === '0')).toBe(true);
      expect(f.backpropReluPrime1).toEqual(f.clarke.map((v) => String(Number(v) * scale)));
      expect(f.clarke.some((v) => v !== '0')).toBe(true);
    }
  });

  it('cleans up', () => {
    rmSync(root, { recursive: true, force: true });
  });
});
