/**
 * Regenerate the committed benchmark suites: `npm run instances` (or `tsx instances/generate.ts
 * [OUT_DIR]`, default: this directory). The formula suite is defined in src/cnf/suite.ts; the
 * small preset of `nsad generate suite` (formula and network families with known answers,
 * reductions/families/suite.ts) goes to `suite-small/`. The output is the same bytes on every run
 * and machine (test/cnf/suite.test.ts and test/families/suite-small.test.ts check it).
 */
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSuite, SMALL_SUITE_DIR } from '../src/cnf/suite';
import { DEFAULT_EVIDENCE_LIMIT, SUITE_SEED, writeSuite } from '../reductions/families/suite';

const out = resolve(process.argv[2] ?? dirname(fileURLToPath(import.meta.url)));
const m = generateSuite(out, (g, files) => {
  const st = files.map((f) => f.entry.status);
  const count = (s: string): number => st.filter((x) => x === s).length;
  process.stderr.write(`${g.dir}: ${files.length} files (${files[0]?.entry.n} vars, ${files[0]?.entry.m} clauses): sat ${count('sat')}, unsat ${count('unsat')}, unknown ${count('unknown')}\n`);
});
process.stderr.write(`wrote ${m.files.length} files and manifest.json to ${out}\n`);
// The small suite is rewritten whole (a preset's files only, no leftovers of an older preset).
const small = join(out, SMALL_SUITE_DIR);
rmSync(small, { recursive: true, force: true });
const s = await writeSuite(small, 'small', SUITE_SEED, { evidenceLimitSec: DEFAULT_EVIDENCE_LIMIT });
process.stderr.write(`wrote ${s.instances.length} instances, manifest.json and instances.csv to ${small} (nsad generate suite --preset small)\n`);
