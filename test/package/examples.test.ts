/**
 * The examples run from the sources: tsx resolves 'nsad' to src/index.ts through the `paths` entry
 * of tsconfig.json (CI also runs them against the packed package, .ci/run). The quickest one runs
 * here on every `npm test`; the others take tens of seconds of MILP time and run in CI.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

describe('examples/', () => {
  it("import only from 'nsad'", () => {
    for (const f of readdirSync(join(ROOT, 'examples')).filter((f) => /\.(mjs|ts)$/.test(f))) {
      const text = readFileSync(join(ROOT, 'examples', f), 'utf8');
      const specs = [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
      expect(specs.filter((s) => s !== 'nsad' && !s.startsWith('node:')), f).toEqual([]);
    }
  });

  it('audit-backprop runs from the sources and flags backprop outside a singleton Clarke set', () => {
    const out = execFileSync(process.execPath, [TSX, join(ROOT, 'examples', 'audit-backprop.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(out).toMatch(/carry\(x\) = relu\(x\) - relu\(-x\)/);
    expect(out).toMatch(/BACKPROP OUTSIDE the Clarke set \{\[1\]\} with relu'\(0\)=0 and relu'\(0\)=1/);
    expect(out).toMatch(/\d+ of 5 networks: PyTorch-convention backprop returned a non-Clarke element at 0/);
  }, 60_000);
});
