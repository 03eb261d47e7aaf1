// Text-layer PDFs a district government published (淮安市洪泽区, kept in tests/corpus with their
// source): a misprinted row label, § 四 under headers wrapped over several lines with a sliver
// cell between its groups, and the genuine errors printed there.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseDocument } from '../checks/index.js';

const pdf = (id: string) => analyseDocument({ bytes: readFileSync(new URL(`./corpus/docs/${id}.pdf`, import.meta.url)), file: `${id}.pdf` }, { ocr: false });

describe('洪泽区 2023 (text-layer PDF)', () => {
  it('reads the row printed “2.其他法律行政止公开” as 2.其他法律行政法规禁止公开, its neighbours keeping their own figures', async () => {
    const r = await pdf('jiangsu-hongze-2023');
    expect(r.tables).toEqual({ s2: 'ok', s3: 'ok', s4: 'ok' });
    expect(r.evidence['s3.denied.law.total']!.text).toContain('2.其他法律行政止公开');
    expect(r.values['s3.denied.law.total']).toBe(0);
    expect(r.values['s3.denied.secret.natural']).toBe(1);
    expect(r.values['s3.denied.secret.total']).toBe(1);
    expect(r.values['s3.new.total']).toBe(21);
    expect(r.values['s3.total.total']).toBe(21);
  });

  it('takes § 四’s 15 columns from its header cells and catches the totals printed as 0', async () => {
    const r = await pdf('jiangsu-hongze-2023');
    const s4 = ['review', 'suit_direct', 'suit_after_review'].map((g) => ['upheld', 'corrected', 'other', 'pending', 'total'].map((c) => r.values[`s4.${g}.${c}`]));
    expect(s4).toEqual([
      [10, 1, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [5, 0, 0, 0, 0],
    ]);
    const totals = r.findings.filter((f) => f.rule === 'S4.GROUP_TOTAL');
    expect(totals.map((f) => [f.severity, f.expected, f.actual, f.sides!.actual])).toEqual([
      ['error', 11, 0, ['s4.review.total']],
      ['error', 5, 0, ['s4.suit_after_review.total']],
    ]);
    expect(r.findings.map((f) => f.rule).sort()).toEqual(['META.FORMAT', 'S4.GROUP_TOTAL', 'S4.GROUP_TOTAL']);
  });
});

describe('洪泽区 2024, the PDF and a 300 dpi scan of it', () => {
  it('charges the 2019 layout of § 三 as the agency’s error from the text layer, and asks for it to be verified from the scan', async () => {
    const printed = await pdf('jiangsu-hongze-2024');
    expect(printed.findings.filter((f) => f.rule === 'META.FORMAT').map((f) => [f.severity, f.actual])).toEqual([['error', '2019']]);
    // the layout is judged from labels OCR read: a misread （六） label would make a 2021 table look like 2019
    const scanned = await analyseDocument({ bytes: readFileSync(new URL('./corpus/docs/jiangsu-hongze-2024.scan300.pdf', import.meta.url)), file: 'scan.pdf' });
    expect(scanned.layout.s3).toBe('2019');
    const format = scanned.findings.filter((f) => f.rule === 'META.FORMAT');
    expect(format.map((f) => [f.severity, f.actual])).toEqual([['warning', '2019']]);
    expect(format[0]!.message).toMatch(/^【图像识别，需对照原件核对】2024 年度报告仍使用 2019 年试行格式/);
  }, 120_000);
});
