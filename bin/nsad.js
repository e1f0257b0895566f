#!/usr/bin/env node
// In a clone the CLI runs the TypeScript sources through tsx (no build step to remember); the
// installed package ships no sources, only the compiled dist/, and runs that.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../src/cli/main.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
} else {
  await import('../dist/src/cli/main.js');
}
