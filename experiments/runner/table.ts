/** CSV and Markdown renderings of rows and tables. */
import type { Json, Row, Table } from './types';

function cell(v: Json | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function csvQuote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * RFC 4180 CSV of the rows; `id` is the first column, then every other key in first-seen order.
 * Nested values (arrays, objects) are written as JSON in one cell.
 */
export function rowsToCsv(rows: readonly Row[]): string {
  const cols: string[] = ['id'];
  const seen = new Set(cols);
  for (const r of rows)
    for (const k of Object.keys(r))
      if (!seen.has(k)) {
        seen.add(k);
        cols.push(k);
      }
  const lines = [cols.map(csvQuote).join(',')];
  for (const r of rows) lines.push(cols.map((c) => csvQuote(cell(r[c]))).join(','));
  return lines.join('\n') + '\n';
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownTable(t: Table): string {
  const head = `| ${t.columns.map(mdEscape).join(' | ')} |`;
  const sep = `| ${t.columns.map(() => '---').join(' | ')} |`;
  const body = t.rows.map((r) => `| ${r.map((c) => mdEscape(String(c))).join(' | ')} |`);
  return [head, sep, ...body].join('\n') + '\n';
}

/** Sort rows into the order of the task ids (rows of unknown tasks last, by id). */
export function orderRows<R extends Row>(rows: readonly R[], taskIds: readonly string[]): R[] {
  const pos = new Map(taskIds.map((id, i) => [id, i] as const));
  return rows.slice().sort((a, b) => {
    const pa = pos.get(a.id) ?? Infinity;
    const pb = pos.get(b.id) ?? Infinity;
    return pa !== pb ? pa - pb : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}
