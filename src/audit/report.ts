/**
 * Presentation of an audit (docs/audit.md): the Markdown summary table, the JSON value (exact
 * numbers as integers or "a/b" strings), and the SVG figure (kinks per layer and float-vs-exact
 * sign disagreements per layer), rendered headlessly with vega-lite → vega → SVG.
 */
import { Rational } from '../exact/rational';
import { AUDIT_RELU_PRIMES, type AuditReport } from './audit';

const pct = (a: number, b: number): string => (b === 0 ? '–' : `${((100 * a) / b).toFixed(1)} %`);

/** The summary as Markdown: one table of counts, one table per layer. */
export function auditMarkdown(r: AuditReport, title = 'nsad audit'): string {
  const s = r.summary;
  const n = s.inputs;
  const lines: string[] = [];
  const imp = r.network.imported as { file?: string; sha256?: string; dtype?: string; ops?: string[] } | undefined;
  lines.push(`## ${title}`, '');
  lines.push(
    `Network: inputDim ${r.network.inputDim}, hidden widths [${r.network.widths.join(', ')}], ${r.network.weights} weights` +
      (imp ? `; imported from ${imp.file} (sha256 ${String(imp.sha256).slice(0, 12)}…, ${imp.dtype}, ops ${imp.ops?.join(' → ')})` : '') +
      '.' +
      (r.options.inputRounding ? ` Inputs rounded to the nearest ${r.options.inputRounding} first.` : ''),
    '',
  );
  lines.push('| quantity | count | share |', '| --- | ---: | ---: |');
  const row = (q: string, c: number, of: number | null = n): void => {
    lines.push(`| ${q} | ${c} | ${of === null ? '' : pct(c, of)} |`);
  };
  row('inputs', n, null);
  row('inputs with an exact zero pre-activation', s.inputsWithZero);
  row('kink inputs (a zero that does not provably vanish nearby)', s.kinkInputs);
  row('zero pre-activations (all inputs)', s.zeroNeurons, null);
  row('… vanishing identically nearby (proved)', s.vanishing.yes, s.zeroNeurons);
  row('… not vanishing (direction found)', s.vanishing.no, s.zeroNeurons);
  row('… undecided', s.vanishing.undecided, s.zeroNeurons);
  for (const [d, f] of Object.entries(s.floats)) {
    row(`inputs where the ${d} pass flips an exact sign`, f!.inputsWithDisagreement);
    row(`… neurons with a ${d} sign ≠ exact sign (all inputs)`, f!.neuronDisagreements, null);
    row(`inputs not exactly representable in ${d} (rounded first)`, f!.inputsRounded);
    if (f!.nanInputs > 0) row(`inputs with a NaN in the ${d} pass`, f!.nanInputs);
  }
  row("inputs where relu'(0) = 0 and relu'(0) = 1 give different backprops", s.backprop.reluPrimeMatters);
  if (s.kinkInputs > 0) {
    row("kink inputs: backprop (relu'(0) = 0) is a Clarke subgradient", s.backprop.inClarke.yes, s.kinkInputs);
    row('kink inputs: backprop is not (decided exactly)', s.backprop.inClarke.no, s.kinkInputs);
    row('kink inputs: undecided', s.backprop.inClarke.unknown, s.kinkInputs);
    const sets = s.clarkeSets.complete + s.clarkeSets.partial;
    if (sets > 0) {
      row('kink inputs: Clarke set enumerated completely', s.clarkeSets.complete, s.kinkInputs);
      row('… Clarke set partial (piece or time limit)', s.clarkeSets.partial, s.kinkInputs);
      row('… piece gradients (summed over kink inputs)', s.clarkeSets.gradients, null);
      for (const rp of AUDIT_RELU_PRIMES) {
        const m = s.membership[rp];
        row(`kink inputs: backprop with relu'(0) = ${rp} in the Clarke set (exact yes)`, m.yes, s.kinkInputs);
        row(`… not in it (exact no)`, m.no, s.kinkInputs);
        if (m.undecided > 0) row(`… undecided within the limits`, m.undecided, s.kinkInputs);
      }
    }
  }
  if (r.options.clarke && s.inputsWithZero > 0) {
    row('Clarke answer two', s.clarke.two, s.inputsWithZero);
    row('Clarke answer singleton', s.clarke.singleton, s.inputsWithZero);
    row('Clarke answer unknown', s.clarke.unknown, s.inputsWithZero);
    row('… answers resting on exact reasoning only', s.clarke.exact, s.inputsWithZero);
  }
  lines.push('');
  const fl = r.options.floats;
  lines.push(`| layer | width | zeros | kinks | ${fl.map((d) => `${d} flips`).join(' | ')} |`);
  lines.push(`| ---: | ---: | ---: | ---: | ${fl.map(() => '---:').join(' | ')} |`);
  for (const l of s.layers) lines.push(`| ${l.layer} | ${l.width} | ${l.zeros} | ${l.kinks} | ${fl.map((d) => l.disagreements[d] ?? 0).join(' | ')} |`);
  lines.push('');
  return lines.join('\n');
}

/** JSON value of a report: Rationals as integers or "a/b", NaN/±Infinity as strings. */
export function auditJson(r: AuditReport): string {
  return JSON.stringify(r, (_k, v: unknown) => {
    if (v instanceof Rational) return v.toJSON();
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
}

/** vega-lite specification of the per-layer figure. */
export function auditFigureSpec(r: AuditReport): Record<string, unknown> {
  const values: Array<{ layer: string; kind: string; count: number }> = [];
  for (const l of r.summary.layers) {
    const layer = `layer ${l.layer} (${l.width})`;
    values.push({ layer, kind: 'exact zeros', count: l.zeros });
    values.push({ layer, kind: 'kinks (not vanishing nearby)', count: l.kinks });
    for (const d of r.options.floats) values.push({ layer, kind: `${d} sign flips`, count: l.disagreements[d] ?? 0 });
  }
  const kinds = ['exact zeros', 'kinks (not vanishing nearby)', ...r.options.floats.map((d) => `${d} sign flips`)];
  return {
    title: `Kinks and float-vs-exact sign flips per hidden layer (${r.summary.inputs} inputs)`,
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'layer', type: 'nominal', title: 'hidden layer (width)', sort: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'kind', type: 'nominal', sort: kinds },
      y: { field: 'count', type: 'quantitative', title: 'neurons (summed over inputs)' },
      color: { field: 'kind', type: 'nominal', title: null, sort: kinds, legend: { labelLimit: 260, orient: 'bottom', columns: 2 } },
    },
  };
}

/** SVG text of the figure (vega and vega-lite are loaded on first use: importing them costs ~1 s). */
export async function auditSvg(r: AuditReport): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const spec = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 480, height: 300, background: 'white', ...auditFigureSpec(r) };
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
