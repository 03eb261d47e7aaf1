// CSV as Excel opens it: UTF-8 with a BOM, CRLF, quoted where needed. Text that a
// spreadsheet would run as a formula (=, +, -, @ first) is prefixed with ' (scraped text
// must never execute on a reviewer's machine).
import type { Sheet } from './table.js';

function field(v: string | number | null): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csv(sheet: Sheet): string {
  const lines = [...(sheet.title ?? []).map((t) => [field(t)]), sheet.columns.map((c) => field(c.header)), ...sheet.rows.map((r) => r.map(field))];
  return '\ufeff' + lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
}

export const CSV_TYPE = 'text/csv; charset=utf-8';
