// Build step after `tsc -p tsconfig.build.json` and tsc-alias: copy the plain JavaScript files that
// are loaded at run time by path (worker threads, child processes) next to their compiled
// neighbours in dist/, so the packed package runs without tsx. Listed by search, not by hand, so a
// new worker file cannot be forgotten.
import { cpSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOTS = ['src', 'reductions', 'experiments'];
const SKIP = new Set(['results', 'node_modules']);
const copied = [];

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!SKIP.has(name)) walk(p);
    } else if (/\.(mjs|cjs)$/.test(name)) {
      const to = join('dist', p);
      mkdirSync(dirname(to), { recursive: true });
      cpSync(p, to);
      copied.push(p);
    }
  }
}
for (const r of ROOTS) walk(r);
if (copied.length === 0) throw new Error('copy-assets: no .mjs/.cjs asset found (run from the repository root)');
process.stderr.write(`copy-assets: ${copied.join(', ')} → dist/\n`);
// The stamp bin/nsad.js compares with the sources' modification times (a clone runs dist/ only
// when it is newer than every source file). Written last, after every file of the build.
writeFileSync(join('dist', '.build-stamp'), `${new Date().toISOString()}\n`);
