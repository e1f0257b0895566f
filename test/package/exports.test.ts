/**
 * The package's public surface: package.json points at what `npm run build` produces from
 * src/index.ts, and src/index.ts exports the API the README and docs/library.md promise.
 * (CI builds, packs, installs and runs the examples: .ci/run.)
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as api from '../../src/index';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, any>;

describe('package.json', () => {
  it('exports the compiled src/index.ts with its declarations (tsconfig.build.json: rootDir ".", outDir dist)', () => {
    const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8'));
    expect(build.compilerOptions.rootDir).toBe('.');
    expect(build.compilerOptions.outDir).toBe('dist');
    expect(build.compilerOptions.declaration).toBe(true);
    expect(pkg.main).toBe('dist/src/index.js');
    expect(pkg.types).toBe('dist/src/index.d.ts');
    expect(pkg.exports['.']).toEqual({ types: './dist/src/index.d.ts', import: './dist/src/index.js' });
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'bin', 'instances']));
    expect(pkg.scripts.prepack).toMatch(/build/);
  });

  it('keeps test and build tools out of the runtime dependencies', () => {
    for (const dev of ['fast-check', 'vitest', 'typescript', 'tsx', 'dependency-cruiser', 'tsc-alias']) expect(pkg.dependencies[dev], dev).toBeUndefined();
  });

  it('the build copies every run-time asset that is loaded by path (worker and child-process files)', () => {
    const assets: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(join(ROOT, d), { withFileTypes: true })) {
        if (e.isDirectory() && e.name !== 'results' && e.name !== 'node_modules') walk(join(d, e.name));
        else if (/\.(mjs|cjs)$/.test(e.name)) assets.push(join(d, e.name));
      }
    };
    for (const r of ['src', 'reductions', 'experiments']) walk(r);
    // scripts/copy-assets.mjs finds them by the same search; these three must be among them.
    expect(assets).toEqual(expect.arrayContaining([join('src', 'milp', 'backends', 'solver-worker.mjs'), join('src', 'cnf', 'minisat-child.cjs'), join('src', 'io', 'worker-boot.mjs')]));
  });
});

describe("src/index.ts (import … from 'nsad')", () => {
  it('exports each area of the API', () => {
    const fns = [
      'readNetworkFile', 'parseNetwork', 'writeNetworkFile', 'evaluateExact', 'compileFloat', // network I/O, evaluation
      'backward', 'directionalDerivative', 'lexicographicSubgradient', 'backpropTape', // AD
      'parseDimacs', 'readCnfFile', 'writeDimacs', 'solveSat', // DIMACS, SAT
      'randomKSat', 'planted', 'php', 'generatorRng', 'randomNetwork', // generators
      'reduceCnf', 'decodePoint', 'decideCnf', 'assignmentFromCertificate', // reduction
      'decideConservative', 'clarkeOne', // conservative side
      'decideClarke', 'localize', // Clarke side
      'verifyCertificate', 'certificateToJson', // certificates, verifier
      'getBackend', 'toLpFormat', // MILP
      'runExperiment', 'runAll', 'mergeDirs', 'loadExperiment', // experiment runner
    ];
    for (const f of fns) expect(typeof (api as Record<string, unknown>)[f], f).toBe('function');
    expect(typeof api.Rational.of).toBe('function');
  });

  it("exports every name the docs import from 'nsad' (README, docs/*.md, examples/)", () => {
    const texts = [join(ROOT, 'README.md'), ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', f)), ...readdirSync(join(ROOT, 'examples')).map((f) => join(ROOT, 'examples', f))];
    const missing: string[] = [];
    let seen = 0;
    for (const file of texts) {
      for (const m of readFileSync(file, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'nsad'/g)) {
        for (const raw of m[1]!.split(',')) {
          const name = raw.trim();
          if (name === '' || name.startsWith('type ')) continue;
          seen++;
          if (!(name in api)) missing.push(`${file}: ${name}`);
        }
      }
    }
    expect(seen).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('works end to end on a tiny network: the zero artifact (docs/theory.md §3)', async () => {
    const net = api.carryNetwork(); // relu(x) − relu(−x) = x
    const zero = [api.Rational.of(0)];
    expect(api.backward(net, zero, api.PYTORCH).gradient.map(String)).toEqual(['0']);
    expect(api.clarkeOne(net, zero, 1).subgradient.map(String)).toEqual(['1']);
    expect(api.lexicographicSubgradient(net, zero).subgradient.map(String)).toEqual(['1']);
  });
});
