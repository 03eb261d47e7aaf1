// Problems an independent review reproduced, each a path by which a misread could have
// become an agency's error or a figure could have landed under the wrong key.
import { describe, expect, it } from 'vitest';
import { analyse } from '../checks/index.js';
import { UnreadableDocumentError, parseLines, parseDocument } from '../parser/index.js';
import { checkReport } from '../checks/index.js';
import type { Line } from '../parser/types.js';
import { baseModel, model2019 } from './support/model.js';
import { renderHtml, renderPdfText } from './support/render.js';

const text = (t: string) => analyse({ bytes: Buffer.from(t) });
const html = (h: string) => analyse({ bytes: Buffer.from(h), mediaType: 'text/html' });
const s3Findings = (r: ReturnType<typeof text>) => r.findings.filter((f) => f.rule.startsWith('S3.') || f.rule.startsWith('TEXT.'));

describe('figures are never moved between rows on a count alone', () => {
  it('a column-number row under the header is not the first row’s figures', () => {
    const t = renderPdfText(baseModel())
      .replace('其他\n', '其他\n\n1 2 3 4 5 6 7\n')
      .replace('一、本年新收政府信息公开申请数量 35 0 0 0 0 1 36', '一、本年新收政府信息公开申请数量');
    const r = text(t);
    expect(r.warnings).toContain('§ 三：1 行列序号（1 2 3 …）不是数据，已忽略');
    expect(r.values['s3.new.natural']).toBeUndefined();
    expect(r.tables.s3).toBe('doubtful');
    expect(s3Findings(r)).toEqual([]);
  });

  it('figures after the last row (an unrecognised § 四) are not that row’s', () => {
    const t = renderPdfText(baseModel())
      .replace('四、结转下年度继续办理 0 0 0 0 0 0 0', '四、结转下年度继续办理')
      .replace('四、政府信息公开行政复议、行政诉讼情况', '四、复议诉讼');
    const r = text(t);
    expect(r.sections).not.toContain('四');
    expect(r.tables.s3).toBe('doubtful');
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('a cell holding two numbers is unreadable, not their digits joined', () => {
    const m = baseModel();
    m.printed = { 's3.new.natural': '30 5' };
    const r = html(renderHtml(m));
    expect(r.values['s3.new.natural']).toBeUndefined();
    expect(r.tables.s3).toBe('doubtful');
    expect(r.findings).toEqual([]);
  });
});

describe('the 法人或其他组织 小计 column', () => {
  it('is placed where a shattered header prints it', () => {
    const m = baseModel();
    m.subtotal = true;
    const t = renderPdfText(m).replace(/\n其他\n\n小计\n/, '\n小计\n\n其他\n').replace('总计商业\n企业', '小计\n总计商业\n企业');
    const r = text(t);
    expect(r.layout.s3Columns).toEqual(['natural', 'subtotal', 'commercial', 'research', 'social', 'legal', 'other', 'total']);
  });

  it('makes the table doubtful when the header does not show where it is', () => {
    const m = baseModel();
    m.subtotal = true;
    const t = renderPdfText(m).replace(/商业\n企业|法律\n服务/g, '');
    const r = text(t);
    expect(r.tables.s3).toBe('doubtful');
    expect(Object.keys(r.values).filter((k) => k.startsWith('s3.'))).toEqual([]);
  });
});

describe('a report whose § 二 is in the 2019 layout and § 三 in the 2021 rows', () => {
  it('is checked against the rows § 三 was read in', () => {
    const m = baseModel();
    m.values['s3.granted.natural'] = 11;
    m.values['s3.granted.total'] = 11;
    m.values['s3.other.no_correction.natural'] = 1;
    m.values['s3.other.no_correction.total'] = 1;
    const S3_TABLE = /<table[^>]*>\s*<tr><td[^>]*>（本列数据[\s\S]*?<\/table>/;
    const page = renderHtml({ ...model2019(), title: '郏县人民政府2024年政府信息公开工作年度报告' }).replace(S3_TABLE, renderHtml(m).match(S3_TABLE)![0]);
    const r = html(page);
    expect(r.layout).toMatchObject({ s2: '2019', s3: '2021' });
    expect(r.values['s3.other.no_correction.total']).toBe(1);
    expect(r.findings.map((f) => f.rule)).toEqual(['META.FORMAT']);
  });
});

describe('titles', () => {
  it('are not taken from a sidebar link before the content', () => {
    const page = renderHtml(baseModel()).replace('<div class="main">', '<div class="side"><ul><li><a href="/a.html">郏县人民政府2023年政府信息公开工作年度报告</a></li></ul></div><div class="main">');
    const r = html(page);
    expect(r.year).toBe(2024);
    expect(r.findings).toEqual([]);
  });
});

describe('headings', () => {
  it.each([
    ['五、存在的主要问题及改进情况', '五、存在的主要问题及下一步工作打算'],
    ['一、总体情况', '一、基本情况'],
    ['四、政府信息公开行政复议、行政诉讼情况', '四、政府信息公开行政复议、诉讼情况'],
  ])('accept %s written as %s', (from, to) => {
    const r = text(renderPdfText(baseModel()).replace(from, to));
    expect(r.sections).toEqual(['一', '二', '三', '四', '五', '六']);
    expect(r.findings).toEqual([]);
  });

  it('do not take a numbered sub-heading of § 一 for § 五', () => {
    const m = baseModel();
    m.narrative.一 += '\n2.问题整改情况\n针对上年发现的问题，逐项整改到位。';
    const r = text(renderPdfText(m));
    expect(r.sections).toEqual(['一', '二', '三', '四', '五', '六']);
    expect(r.findings).toEqual([]);
  });

  it('skip a table of contents', () => {
    const toc = ['一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项'].join('\n');
    const t = renderPdfText(baseModel()).replace(/^(.*\n.*\n)/, `$1目录\n${toc}\n`);
    const r = text(t);
    expect(r.tables).toEqual({ s2: 'ok', s3: 'ok', s4: 'ok' });
    expect(r.findings).toEqual([]);
  });

  it('report a section whose heading is unrecognised but whose text is there as not checked', () => {
    const r = text(renderPdfText(baseModel()).replace('五、存在的主要问题及改进情况', '五、查摆问题，明确方向'));
    expect(r.unrecognisedSections).toEqual(['五']);
    expect(r.findings).toEqual([]);
    expect(r.notChecked).toContainEqual({ rule: 'META.SECTIONS', reason: '第五部分的标题未能识别' });
  });
});

describe('narrative sentences that state no count of disclosure requests', () => {
  it('count review cases only where the sentence is about disclosure before the count', () => {
    const m = baseModel();
    m.narrative.一 += '\n全县共办理行政复议案件120件，其中涉及政府信息公开的7件。';
    const r = html(renderHtml(m));
    expect(r.values['text.review_cases']).toBeUndefined();
    expect(r.findings).toEqual([]);
  });

  it('take the § 六 fee year nearest its verb, not a date', () => {
    const m = baseModel();
    m.narrative.六 = '按照自2021年1月1日起施行的收费标准，本机关2024年未收取信息处理费。';
    expect(html(renderHtml(m)).findings).toEqual([]);
  });
});

describe('rows and cells', () => {
  it('a group heading row with blank cells is no subtotal row', () => {
    const page = renderHtml(baseModel());
    const withBlankGroup = page.replace('<tr><td rowspan="8">（三）不予公开</td>', `<tr><td colspan="2">（三）不予公开</td>${'<td>&nbsp;</td>'.repeat(7)}</tr><tr><td rowspan="8">（三）不予公开</td>`);
    expect(withBlankGroup).not.toBe(page);
    const r = html(withBlankGroup);
    expect(r.missing).toEqual([]);
    expect(r.findings).toEqual([]);
  });

  it('low OCR confidence makes a table doubtful', () => {
    const r = text(renderPdfText(baseModel()));
    const lines: Line[] = renderPdfText(baseModel())
      .split('\n')
      .filter(Boolean)
      .map((t, i) => ({ kind: 'text', pos: { line: i + 1 }, cells: [{ text: t, pos: { line: i + 1 }, confidence: /^1\.属于国家秘密/.test(t) ? 0.31 : 0.95 }] }));
    const ocr = parseLines({ lines, meta: { mediaType: 'image/png' } });
    expect(r.tables.s3).toBe('ok');
    expect(ocr.tables.s3).toBe('doubtful');
    expect(ocr.evidence['s3.new.total']!.confidence).toBe(0.95);
    expect(checkReport(ocr).findings.filter((f) => f.rule.startsWith('S3.'))).toEqual([]);
  });

  it('keeps the sign of a 2019 本年增/减 printed in words', () => {
    const m = model2019();
    m.printed = { 's2.licensing.change': '减少4', 's2.coercion.change': '增加1' };
    const r = text(renderPdfText(m));
    expect(r.values['s2.licensing.change']).toBe(-4);
    expect(r.values['s2.coercion.change']).toBe(1);
  });
});

describe('hostile input ends with a clear result in bounded time', () => {
  it('refuses HTML nested hundreds of thousands deep before parsing it', () => {
    const deep = `<html><body>${'<div>'.repeat(200_000)}x${'</div>'.repeat(200_000)}</body></html>`;
    expect(() => parseDocument({ bytes: Buffer.from(deep), mediaType: 'text/html' })).toThrow(UnreadableDocumentError);
  });

  it('caps the cells that rowspan/colspan may expand into', () => {
    const cell = '<td rowspan="64" colspan="64">0</td>';
    const bomb = `<html><body><p>一、总体情况</p><table>${`<tr>${cell.repeat(50)}</tr>`.repeat(200)}</table></body></html>`;
    const r = parseDocument({ bytes: Buffer.from(bomb), mediaType: 'text/html' });
    expect(r.warnings.some((w) => w.includes('合并单元格过多'))).toBe(true);
  });

  it('does not split a line of millions of numbers into tokens', () => {
    const t = renderPdfText(baseModel()).replace('四、政府信息公开行政复议、行政诉讼情况', `四、政府信息公开行政复议、行政诉讼情况\n${'0 '.repeat(3_000_000)}`);
    const r = text(t);
    expect(r.tables.s4).toBe('doubtful');
    expect(r.values['s3.new.total']).toBe(36);
  });

  it('reads a UTF-8 report with one stray byte as UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from(renderPdfText(baseModel())), Buffer.from([0xff])]);
    const r = parseDocument({ bytes });
    expect(r.agency).toBe('郏县人民政府');
  });
});
