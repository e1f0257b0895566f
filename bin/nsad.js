#!/usr/bin/env node
// The installed package ships only the compiled dist/ and runs it. In a clone, dist/ is run when
// `npm run build` (also run by `npm ci`, script "prepare") made it after the last change to the
// sources — start-up is part of every measured CLI time — and otherwise the TypeScript sources
// run through tsx, so an edit takes effect without a build step to remember.
import { existsSync, readdirSync, statSync } from 'node:fs';

const here = (p) => new URL(`../${p}`, import.meta.url);

/** Newest modification time under the source folders (milliseconds), or Infinity if unreadable. */
function newestSource() {
  let newest = 0;
  const walk = (url) => {
    for (const e of readdirSync(url, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'results' || e.name === 'reference') continue;
      const u = new URL(e.isDirectory() ? `${e.name}/` : e.name, url);
      if (e.isDirectory()) walk(u);
      else if (/\.(ts|mjs|cjs|json)$/.test(e.name)) newest = Math.max(newest, statSync(u).mtimeMs);
    }
  };
  try {
    for (const d of ['src/', 'reductions/', 'experiments/']) walk(here(d));
    newest = Math.max(newest, statSync(here('package.json')).mtimeMs);
  } catch {
    return Infinity;
  }
  return newest;
}

const inClone = existsSync(here('src/cli/main.ts'));
const stamp = here('dist/.build-stamp');
if (!inClone || (existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource())) {
  await import('../dist/src/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
