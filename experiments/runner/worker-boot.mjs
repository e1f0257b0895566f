// Worker-thread entry: register tsx (as bin/nsad.js does) so the worker can load TypeScript.
import { register } from 'tsx/esm/api';
register();
await import('./worker.ts');
