/**
 * Regenerate the committed benchmark suite: `npm run instances` (or `tsx instances/generate.ts
 * [OUT_DIR]`, default: this directory). The suite is defined in src/cnf/suite.ts; the output is the
 * same bytes on every run and machine (test/cnf/suite.test.ts checks it).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSuite } from '../src/cnf/suite';

const out = resolve(process.argv[2] ?? dirname(fileURLToPath(import.meta.url)));
const m = generateSuite(out, (g, files) => {
  const st = files.map((f) => f.entry.status);
  const count = (s: string): number => st.filter((x) => x === s).length;
  process.stderr.write(`${g.dir}: ${files.length} files (${files[0]?.entry.n} vars, ${files[0]?.entry.m} clauses): sat ${count('sat')}, unsat ${count('unsat')}, unknown ${count('unknown')}\n`);
});
process.stderr.write(`wrote ${m.files.length} files and manifest.json to ${out}\n`);
