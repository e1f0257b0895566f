/**
 * Time the reference SAT solver (src/cnf/sat.ts) on the SATLIB samples and on this suite:
 * `npx tsx instances/time-satlib.ts [--json]`. One warm-up solve first (JIT of the Emscripten
 * MiniSat), then every file once, in-process; reports count, statuses, median, max and total ms.
 * A family whose status differs from the expected one is reported and makes the exit code 1.
 */
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCnfFile } from '../src/cnf/dimacs';
import { solveSat } from '../src/cnf/sat';
import { satlibDir, satlibFiles, satlibStatus, SATLIB_FAMILIES } from '../src/cnf/satlib';
import { readManifest } from '../src/cnf/manifest';
import { php } from '../src/cnf/generators/php';
import { median } from '../src/exact/stats';

interface Row { family: string; files: number; statuses: Record<string, number>; mismatches: string[]; medianMs: number; maxMs: number; totalMs: number }

function row(family: string, items: { path: string; expect: string }[]): Row {
  const ts: number[] = [];
  const statuses: Record<string, number> = {};
  const mismatches: string[] = [];
  for (const it of items) {
    const r = solveSat(readCnfFile(it.path, { warn: () => {} }));
    ts.push(r.timeMs);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.status !== it.expect) mismatches.push(`${basename(it.path)}: ${r.status}`);
  }
  ts.sort((a, b) => a - b);
  const r3 = (x: number): number => Math.round(x * 10) / 10;
  return { family, files: items.length, statuses, mismatches, medianMs: r3(ts.length ? median(ts) : 0), maxMs: r3(ts[ts.length - 1] ?? 0), totalMs: r3(ts.reduce((a, b) => a + b, 0)) };
}

solveSat(php(5)); // warm-up
const rows: Row[] = [];
if (satlibDir() === null) process.stderr.write('SATLIB samples absent (expected instances/satlib/ or $NSAD_SATLIB): skipped\n');
else for (const fam of SATLIB_FAMILIES) rows.push(row(fam, satlibFiles(fam).map((path) => ({ path, expect: satlibStatus(fam) }))));
const here = dirname(fileURLToPath(import.meta.url));
const m = readManifest(here);
for (const fam of ['random-ksat', 'planted', 'php'])
  rows.push(row(`instances/${fam}`, m.files.filter((e) => e.family === fam).map((e) => ({ path: join(here, e.file), expect: e.status }))));
if (process.argv.includes('--json')) console.log(JSON.stringify({ rows }));
else for (const r of rows) console.log(`${r.family.padEnd(22)} ${String(r.files).padStart(4)} files  ${JSON.stringify(r.statuses).padEnd(22)} median ${r.medianMs} ms  max ${r.maxMs} ms  total ${r.totalMs} ms${r.mismatches.length ? `  MISMATCH ${r.mismatches.join(', ')}` : ''}`);
if (rows.some((r) => r.mismatches.length > 0)) process.exitCode = 1;
