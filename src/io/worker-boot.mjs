// The one worker-thread entry (the parallel branch and bound, the experiments' pool): it imports
// the module named by `workerData.bootModule` (a file URL without extension) — in the built
// package (dist/) the compiled .js beside it; in the repository, where only the .ts exists, after
// registering tsx as bin/nsad.js does.
import { existsSync } from 'node:fs';
import { workerData } from 'node:worker_threads';

const base = workerData?.bootModule;
if (typeof base !== 'string') throw new Error('worker-boot: workerData.bootModule (a file URL without extension) is required');
if (existsSync(new URL(`${base}.js`))) {
  await import(`${base}.js`);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(`${base}.ts`);
}
