// Worker-thread entry of the parallel branch and bound (./parallel.ts). In the built package
// (dist/) the compiled worker.js sits next to this file; in the repository only worker.ts does, so
// register tsx first (as bin/nsad.js does).
import { existsSync } from 'node:fs';

if (existsSync(new URL('./worker.js', import.meta.url))) {
  await import('./worker.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./worker.ts');
}
