// One printed value for several rows (a rowspan cell), as departments print （六）其他处理's three
// sub-rows: seed 003 (a real report) with its § 三 as an HTML table whose （六） figures are
// merged cells over the three sub-rows, as such a department prints them.
import { describe, expect, it } from 'vitest';
import { analyse } from '../checks/index.js';
import { seed, seedBytes } from './support/seeds.js';

const s = seed('003');
const text = seedBytes(s.file).toString('utf8');

/** The seed's § 三 rows as an HTML table, the three （六） sub-rows' 7 figures printed once, merged over them. */
function page(merged: string[], colspan = 1): string {
  const lines = text.split('\n');
  const from = lines.findIndex((l) => l.includes('三、收到和处理政府信息公开申请情况'));
  const to = lines.findIndex((l) => l.includes('四、政府信息公开行政复议、行政诉讼情况'));
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rows = lines.slice(from + 1, to).filter((l) => l.includes('\t')).map((l) => l.split('\t'));
  const html = rows.map((cells) => {
    const label = cells.find((c) => /[\u4e00-\u9fff]/.test(c) && /申请人无正当理由|收费通知|^3\. 其他/.test(c));
    const values = cells.filter((c) => /^\d+$/.test(c.trim()));
    const labels = cells.filter((c) => !/^\d+$/.test(c.trim()));
    if (!label) return `<tr>${cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`;
    const first = /申请人无正当理由/.test(label);
    const figures = first ? merged.map((v) => `<td rowspan="3"${colspan > 1 ? ` colspan="${colspan}"` : ''}>${v}</td>`).join('') : '';
    return `<tr>${labels.map((c) => `<td>${esc(c)}</td>`).join('')}${figures}</tr>`;
  });
  const before = lines.slice(0, from + 1).map((l) => `<p>${esc(l.replace(/\t/g, ' '))}</p>`).join('\n');
  const after = lines.slice(to).map((l) => `<p>${esc(l.replace(/\t/g, ' '))}</p>`).join('\n');
  return `<html><body><div>${before}<table>${html.join('\n')}</table>${after}</div></body></html>`;
}

describe('a merged cell over （六）其他处理’s three sub-rows', () => {
  it('holding 0 is each sub-row’s 0, and the table is checked', () => {
    const r = analyse({ bytes: Buffer.from(page(['0', '0', '0', '0', '0', '0', '0'])), mediaType: 'text/html' });
    expect(r.tables.s3).toBe('ok');
    for (const row of ['no_correction', 'no_fee', 'other']) expect(r.values[`s3.other.${row}.total`]).toBe(0);
    expect(r.values['s3.total.total']).toBe(36);
    expect(r.findings.filter((f) => f.rule.startsWith('S3.'))).toEqual([]);
  });

  it('holding one 0 across all seven columns is each cell’s 0', () => {
    const r = analyse({ bytes: Buffer.from(page(['0'], 7)), mediaType: 'text/html' });
    expect(r.tables.s3).toBe('ok');
    for (const row of ['no_correction', 'no_fee', 'other']) for (const c of ['natural', 'legal', 'total']) expect(r.values[`s3.other.${row}.${c}`]).toBe(0);
    expect(r.evidence['s3.other.other.natural']!.printed).toBe('0');
    expect(r.findings.filter((f) => f.rule.startsWith('S3.'))).toEqual([]);
  });

  it('holding another figure is the rows’ together: doubtful, never split or accused', () => {
    const r = analyse({ bytes: Buffer.from(page(['2', '0', '0', '0', '0', '0', '2'])), mediaType: 'text/html' });
    expect(r.tables.s3).toBe('doubtful');
    expect(r.values['s3.other.no_fee.total']).toBeUndefined();
    expect(r.warnings.some((w) => w.includes('合并单元格'))).toBe(true);
    expect(r.findings.filter((f) => f.rule.startsWith('S3.'))).toEqual([]);
  });
});
