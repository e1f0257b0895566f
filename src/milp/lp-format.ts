/**
 * CPLEX LP text for a `MilpModel` (`--export model.lp`), so users can run CBC, Gurobi, CPLEX or
 * native HiGHS on exactly the model nsad solved. HiGHS-wasm reads it back (test/milp/formats.test.ts).
 *
 * Choices, for portability across LP readers:
 * - names are sanitized (`sanitizeNames`): letters, digits, `_` and `.`; never starting with a
 *   digit, `.`, or `e`/`E` (which a reader may take for an exponent); never a section keyword;
 *   unique; at most 255 characters;
 * - the objective lists every variable in model order (zero coefficients included), so a reader
 *   that numbers columns by first appearance keeps the model's column order;
 * - a two-sided row `lo ≤ a·x ≤ hi` (lo < hi) becomes two rows `<name>_lo` and `<name>_hi`
 *   (CPLEX LP has no portable range row); a free row is omitted (it constrains nothing);
 * - every bound is written explicitly (LP's default is [0, +∞)); integers go in `General`;
 * - numbers are JavaScript's shortest round-trip decimal form, so float64 values survive exactly;
 * - long expressions are wrapped at about 200 characters (CPLEX accepts up to 560 per line).
 */
import type { LinTerm, MilpModel } from './model';

const KEYWORDS = new Set([
  'free', 'inf', 'infinity', 'st', 's.t.', 'st.', 'end', 'bound', 'bounds', 'general', 'generals', 'gen', 'binary',
  'binaries', 'bin', 'subject', 'such', 'to', 'that', 'max', 'min', 'maximize', 'minimize', 'maximise', 'minimise',
  'maximum', 'minimum', 'semi', 'semis', 'semi-continuous', 'sos', 'int', 'integer', 'integers', 'obj', 'rhs', 'rng',
  'bnd', 'marker', 'objsense', 'name', 'rows', 'columns', 'ranges', 'endata',
]);

const MAX_NAME = 255;

/**
 * Map arbitrary names to names every LP/MPS reader accepts, one-to-one over the list.
 * Pre: `reserved` holds names already taken (e.g. the objective's). Post: result[i] is unique,
 * not in `reserved`, matches /^[A-Za-z_][A-Za-z0-9_.]*$/, does not start with e/E, is not a keyword.
 */
export function sanitizeNames(names: readonly string[], fallback: string, reserved: ReadonlySet<string> = new Set()): string[] {
  const used = new Set<string>([...reserved].map((s) => s.toLowerCase()));
  return names.map((raw, i) => {
    let s = raw.replace(/[^A-Za-z0-9_.]/g, '_').slice(0, MAX_NAME - 12);
    if (s === '') s = `${fallback}${i}`;
    if (/^[0-9.eE]/.test(s)) s = `n_${s}`;
    if (KEYWORDS.has(s.toLowerCase())) s = `${s}_`;
    let cand = s;
    for (let k = 2; used.has(cand.toLowerCase()); k++) cand = `${s}_${k}`;
    used.add(cand.toLowerCase());
    return cand;
  });
}

/** Shortest decimal that reads back as the same float64; refuses NaN/±∞ (bounds are handled by callers). */
export function fmtNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot write ${x} as a coefficient`);
  return Object.is(x, -0) ? '0' : String(x);
}

/** Sum duplicate terms (same variable) in order of first appearance; keep zeros only if asked. */
function merged(terms: readonly LinTerm[], keepZeros = false): LinTerm[] {
  const acc = new Map<number, number>();
  for (const t of terms) acc.set(t.v, (acc.get(t.v) ?? 0) + t.c);
  return [...acc.entries()].filter(([, c]) => keepZeros || c !== 0).map(([v, c]) => ({ v, c }));
}

/** Throws RangeError naming the first malformed variable, row or term (shared with the MPS writer). */
export function checkModel(model: MilpModel): void {
  const n = model.vars.length;
  const where = `MILP model ${JSON.stringify(model.name)}`;
  for (const v of model.vars) {
    if (Number.isNaN(v.lb) || Number.isNaN(v.ub) || v.lb > v.ub || v.lb === Infinity || v.ub === -Infinity) {
      throw new RangeError(`${where}: variable ${v.name}: bad bounds [${v.lb}, ${v.ub}]`);
    }
  }
  const terms = (ts: readonly LinTerm[], what: string) => {
    for (const t of ts) {
      if (!Number.isInteger(t.v) || t.v < 0 || t.v >= n) throw new RangeError(`${where}: ${what}: variable index ${t.v} out of range`);
      if (!Number.isFinite(t.c)) throw new RangeError(`${where}: ${what}: coefficient ${t.c} is not finite`);
    }
  };
  terms(model.objective, 'objective');
  for (const c of model.constraints) {
    if (Number.isNaN(c.lo) || Number.isNaN(c.hi) || c.lo > c.hi || c.lo === Infinity || c.hi === -Infinity) {
      throw new RangeError(`${where}: constraint ${c.name}: bad sides [${c.lo}, ${c.hi}]`);
    }
    terms(c.terms, `constraint ${c.name}`);
  }
}

/** Names used in both exported formats: variables, then rows (the objective is `obj`). */
export function exportNames(model: MilpModel): { vars: string[]; rows: string[] } {
  return {
    vars: sanitizeNames(model.vars.map((v) => v.name), 'x', new Set(['obj'])),
    rows: sanitizeNames(model.constraints.map((c) => c.name), 'c', new Set(['obj'])),
  };
}

function expression(terms: readonly LinTerm[], varNames: readonly string[], lines: string[], head: string): void {
  let line = head;
  terms.forEach((t, k) => {
    const sign = t.c < 0 ? '-' : '+';
    const mag = fmtNumber(Math.abs(t.c));
    const piece = k === 0 && sign === '+' ? ` ${mag} ${varNames[t.v]}` : ` ${sign} ${mag} ${varNames[t.v]}`;
    if (line.length + piece.length > 200) {
      lines.push(line);
      line = ' ';
    }
    line += piece;
  });
  lines.push(line);
}

/**
 * CPLEX LP text of `model`.
 * Pre: finite coefficients, lb ≤ ub, lo ≤ hi, variable indices in range. Post: one string ending in
 * "End\n"; the model it describes has the same columns in the same order, the same bounds,
 * integrality and objective, and the same feasible set (ranges split, free rows dropped).
 */
export function toLpFormat(model: MilpModel): string {
  checkModel(model);
  const names = exportNames(model);
  const n = model.vars.length;
  const lines: string[] = [];
  lines.push(`\\ Problem: ${model.name.replace(/[\r\n]/g, ' ')}`);
  lines.push(`\\ Written by nsad: ${n} variables (${model.vars.filter((v) => v.integer).length} integer), ${model.constraints.length} constraints`);
  lines.push(model.sense === 'max' ? 'Maximize' : 'Minimize');
  // Every variable appears in the objective, in order: this fixes the column order for readers.
  const obj = new Float64Array(n);
  for (const t of merged(model.objective, true)) obj[t.v] = t.c;
  const objTerms: LinTerm[] = Array.from(obj, (c, v) => ({ v, c }));
  if (n > 0) expression(objTerms, names.vars, lines, ' obj:');
  else lines.push(' obj:');
  lines.push('Subject To');
  const rowNamesAll: string[] = [];
  const rowSpecs: { base: number; kind: 'eq' | 'ge' | 'le' | 'lo' | 'hi' }[] = [];
  model.constraints.forEach((c, i) => {
    if (c.lo === -Infinity && c.hi === Infinity) return;
    if (c.lo === c.hi) rowSpecs.push({ base: i, kind: 'eq' });
    else if (c.hi === Infinity) rowSpecs.push({ base: i, kind: 'ge' });
    else if (c.lo === -Infinity) rowSpecs.push({ base: i, kind: 'le' });
    else rowSpecs.push({ base: i, kind: 'lo' }, { base: i, kind: 'hi' });
  });
  for (const s of rowSpecs) rowNamesAll.push(s.kind === 'lo' || s.kind === 'hi' ? `${names.rows[s.base]}_${s.kind}` : names.rows[s.base]!);
  const rowNames = sanitizeNames(rowNamesAll, 'c', new Set(['obj']));
  rowSpecs.forEach((s, k) => {
    const c = model.constraints[s.base]!;
    let terms = merged(c.terms);
    // A row without terms still has to mention a variable to be well-formed.
    if (terms.length === 0 && n > 0) terms = [{ v: 0, c: 0 }];
    const rhs = s.kind === 'eq' ? `= ${fmtNumber(c.lo)}` : s.kind === 'ge' || s.kind === 'lo' ? `>= ${fmtNumber(c.lo)}` : `<= ${fmtNumber(c.hi)}`;
    const body: string[] = [];
    expression(terms, names.vars, body, ` ${rowNames[k]}:`);
    body[body.length - 1] += ` ${rhs}`;
    lines.push(...body);
  });
  const dropped = model.constraints.filter((c) => c.lo === -Infinity && c.hi === Infinity).length;
  if (dropped > 0) lines.push(`\\ ${dropped} free row(s) omitted`);
  lines.push('Bounds');
  model.vars.forEach((v, j) => {
    const name = names.vars[j]!;
    if (v.lb === -Infinity && v.ub === Infinity) lines.push(` ${name} free`);
    else if (v.lb === v.ub) lines.push(` ${name} = ${fmtNumber(v.lb)}`);
    else if (v.ub === Infinity) lines.push(` ${name} >= ${fmtNumber(v.lb)}`);
    else if (v.lb === -Infinity) lines.push(` -inf <= ${name} <= ${fmtNumber(v.ub)}`);
    else lines.push(` ${fmtNumber(v.lb)} <= ${name} <= ${fmtNumber(v.ub)}`);
  });
  const ints = model.vars.flatMap((v, j) => (v.integer ? [names.vars[j]!] : []));
  if (ints.length > 0) {
    lines.push('General');
    for (let k = 0; k < ints.length; k += 10) lines.push(` ${ints.slice(k, k + 10).join(' ')}`);
  }
  lines.push('End');
  return lines.join('\n') + '\n';
}
