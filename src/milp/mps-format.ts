/**
 * Free-format MPS text for a `MilpModel` (`--export model.mps`), read by CBC, Gurobi, CPLEX,
 * SCIP and HiGHS (HiGHS-wasm reads it back in test/milp/formats.test.ts).
 *
 * Choices, for portability across MPS readers:
 * - names as in the LP export (`exportNames`: no spaces, unique, at most 255 characters);
 * - `OBJSENSE` section with `MAX` on its own line for a maximization (the objective is never negated,
 *   so objective values read the same in every solver);
 * - integer columns sit between `MARKER INTORG/INTEND` lines, in model order (one marker pair per
 *   run of consecutive integer columns, so the column order is the model's);
 * - every bound is explicit (LO/UP/MI/PL/FR/FX): readers disagree on the default bounds of
 *   integer columns (some make them binary), and on `UP < 0` without a lower bound;
 * - a two-sided row `lo ≤ a·x ≤ hi` is a `G` row with RHS `lo` and range `hi − lo` (so `lo` is exact
 *   and the upper side is `lo + (hi − lo)` in float64); a free row is omitted;
 * - a column with no nonzero entry is listed with a 0 objective coefficient so that it exists.
 */
import type { MilpModel } from './model';
import { checkModel, exportNames, fmtNumber, sanitizeNames } from './lp-format';

/**
 * Free MPS text of `model`.
 * Pre: as for `toLpFormat`. Post: text ending in "ENDATA\n" describing the same columns in the same
 * order, bounds, integrality, objective and feasible set (free rows dropped).
 */
export function toMps(model: MilpModel): string {
  checkModel(model);
  const names = exportNames(model);
  const n = model.vars.length;
  const kept = model.constraints.map((c, i) => ({ c, i })).filter(({ c }) => !(c.lo === -Infinity && c.hi === Infinity));
  const rowNames = kept.map(({ i }) => names.rows[i]!);
  const probName = sanitizeNames([model.name], 'nsad')[0]!;
  const lines: string[] = [];
  lines.push(`* Written by nsad: ${n} variables, ${model.constraints.length} constraints${kept.length < model.constraints.length ? ` (${model.constraints.length - kept.length} free rows omitted)` : ''}`);
  lines.push(`NAME ${probName}`);
  if (model.sense === 'max') lines.push('OBJSENSE', '    MAX');
  lines.push('ROWS', ' N  obj');
  const types: string[] = kept.map(({ c }) => (c.lo === c.hi ? 'E' : c.hi === Infinity ? 'G' : c.lo === -Infinity ? 'L' : 'G'));
  kept.forEach((_, k) => lines.push(` ${types[k]}  ${rowNames[k]}`));

  // Column-wise entries: objective first, then rows in order; duplicates summed, zeros dropped.
  const cols: Map<string, number>[] = Array.from({ length: n }, () => new Map());
  for (const t of model.objective) cols[t.v]!.set('obj', (cols[t.v]!.get('obj') ?? 0) + t.c);
  kept.forEach(({ c }, k) => {
    for (const t of c.terms) cols[t.v]!.set(rowNames[k]!, (cols[t.v]!.get(rowNames[k]!) ?? 0) + t.c);
  });
  lines.push('COLUMNS');
  let inInt = false;
  let marker = 0;
  model.vars.forEach((v, j) => {
    if (v.integer !== inInt) {
      lines.push(`    MARKER${marker} 'MARKER' '${v.integer ? 'INTORG' : 'INTEND'}'`);
      if (!v.integer) marker++;
      inInt = v.integer;
    }
    const entries = [...cols[j]!.entries()].filter(([, a]) => a !== 0);
    if (entries.length === 0) entries.push(['obj', 0]);
    for (const [row, a] of entries) lines.push(`    ${names.vars[j]}  ${row}  ${fmtNumber(a)}`);
  });
  if (inInt) lines.push(`    MARKER${marker} 'MARKER' 'INTEND'`);

  lines.push('RHS');
  kept.forEach(({ c }, k) => {
    const rhs = types[k] === 'L' ? c.hi : c.lo;
    if (rhs !== 0) lines.push(`    RHS  ${rowNames[k]}  ${fmtNumber(rhs)}`);
  });
  const ranged = kept.map(({ c }, k) => ({ c, k })).filter(({ c }) => c.lo !== c.hi && Number.isFinite(c.lo) && Number.isFinite(c.hi));
  if (ranged.length > 0) {
    lines.push('RANGES');
    for (const { c, k } of ranged) lines.push(`    RNG  ${rowNames[k]}  ${fmtNumber(c.hi - c.lo)}`);
  }
  lines.push('BOUNDS');
  model.vars.forEach((v, j) => {
    const name = names.vars[j]!;
    if (v.lb === -Infinity && v.ub === Infinity) lines.push(` FR BND  ${name}`);
    else if (v.lb === v.ub) lines.push(` FX BND  ${name}  ${fmtNumber(v.lb)}`);
    else {
      lines.push(v.lb === -Infinity ? ` MI BND  ${name}` : ` LO BND  ${name}  ${fmtNumber(v.lb)}`);
      lines.push(v.ub === Infinity ? ` PL BND  ${name}` : ` UP BND  ${name}  ${fmtNumber(v.ub)}`);
    }
  });
  lines.push('ENDATA');
  return lines.join('\n') + '\n';
}
