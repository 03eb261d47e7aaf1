// Variants of the seeds in the shapes reports take in the wild, each read back to the
// same canonical figures.
import { describe, expect, it } from 'vitest';
import { analyse } from '../checks/index.js';
import { S3_ROWS } from '../parser/layout.js';
import type { ParsedReport } from '../parser/types.js';
import { baseModel, model2019 } from './support/model.js';
import { renderHtml, renderPdfText, s3Columns, type Model } from './support/render.js';

const html = (m: Model, opts?: { oneTable?: boolean }) => analyse({ bytes: Buffer.from(renderHtml(m, opts)), mediaType: 'text/html', file: 'report.html' });
const pdfText = (m: Model, opts?: { valuesBeforeLabel?: string[] }) => analyse({ bytes: Buffer.from(renderPdfText(m, opts)), file: 'report.txt' });

function tableValues(r: ParsedReport): Record<string, number> {
  return Object.fromEntries(Object.entries(r.values).filter(([k]) => !k.startsWith('text.')));
}

describe('HTML pages', () => {
  it.each([
    ['separate tables', {}],
    ['one big table for § 二/三/四', { oneTable: true }],
  ])('reads a county portal page with rowspan/colspan tables (%s)', (_, opts) => {
    const m = baseModel();
    const r = html(m, opts);
    expect(r.status).toBe('report');
    expect(r.tables).toEqual({ s2: 'ok', s3: 'ok', s4: 'ok' });
    expect(tableValues(r)).toEqual(m.values);
    expect(r.title).toBe(m.title);
    expect(r.agency).toBe('郏县人民政府');
    expect(r.year).toBe(2024);
    expect(r.sections).toEqual(['一', '二', '三', '四', '五', '六']);
    expect(r.findings).toEqual([]);
    // the page chrome (menus, footer, script) stays out of the report
    expect(r.narrative['六']).not.toContain('ICP');
    expect(r.values['text.proactive_items']).toBe(3084);
  });

  it('gives grid positions as evidence', () => {
    const r = html(baseModel());
    expect(r.evidence['s3.new.total']).toMatchObject({ table: 3, row: 4, col: 10, printed: '36' });
    expect(r.evidence['s4.review.total']).toMatchObject({ table: 4, row: 4, col: 5, printed: '7' });
  });

  it('reads blank &nbsp; cells, "—" and "/" as missing or zero, never guessing', () => {
    const m = baseModel();
    m.printed = { 's3.refused.repeat.natural': '', 's3.refused.repeat.total': '', 's4.review.pending': '—', 's2.coercion.decisions': '/' };
    const r = html(m);
    expect(r.tables).toEqual({ s2: 'ok', s3: 'ok', s4: 'ok' });
    expect(r.missing).toEqual(expect.arrayContaining(['s3.refused.repeat.natural', 's3.refused.repeat.total', 's4.review.pending']));
    expect(r.values['s3.refused.repeat.natural']).toBeUndefined();
    expect(r.values['s3.refused.repeat.commercial']).toBe(0);
    expect(r.values['s2.coercion.decisions']).toBe(0);
    expect(r.evidence['s2.coercion.decisions']!.semantics).toBe('slash');
    expect(r.warnings.some((w) => w.includes('s2.coercion.decisions'))).toBe(true);
    // a blank is not a zero: no arithmetic finding on the rows and columns it touches
    const rules = r.findings.map((f) => f.rule);
    expect(rules).toEqual(['S.BLANK']);
    expect(r.findings[0]!.cells).toEqual(expect.arrayContaining(['s3.refused.repeat.natural', 's4.review.pending', 's2.coercion.decisions']));
  });

  it('reads full-width digits and thousands separators', () => {
    const m = baseModel();
    m.fullWidth = true;
    m.printed = { 's2.licensing.decisions': '74,833', 's2.penalty.decisions': '５０，８３５' };
    const r = html(m);
    expect(tableValues(r)).toEqual(m.values);
  });

  it('reads the 法人或其他组织 subtotal column and checks it', () => {
    const m = baseModel();
    m.subtotal = true;
    const r = html(m);
    expect(r.tables.s3).toBe('ok');
    expect(r.values['s3.unable.not_held.subtotal']).toBe(1);
    expect(r.values['s3.unable.not_held.total']).toBe(9);
    expect(r.values['s3.new.other']).toBe(1);
    expect(r.findings).toEqual([]);
    m.printed = { 's3.new.subtotal': '2' };
    const wrong = html(m);
    expect(wrong.findings.find((f) => f.rule === 'S3.ROW_TOTAL')).toMatchObject({ expected: 1, actual: 2, sides: { actual: ['s3.new.subtotal'] } });
  });
});

describe('PDF text', () => {
  it('reads broken labels, wrapped rows and shattered headers with non-zero figures', () => {
    const m = baseModel();
    const r = pdfText(m);
    expect(r.tables).toEqual({ s2: 'ok', s3: 'ok', s4: 'ok' });
    expect(tableValues(r)).toEqual(m.values);
    expect(r.title).toBe(m.title);
  });

  it('places a value row printed on the line before its label', () => {
    const m = baseModel();
    const r = pdfText(m, { valuesBeforeLabel: ['s3.unable.not_held', 's3.denied.internal'] });
    expect(r.tables.s3).toBe('ok');
    expect(tableValues(r)).toEqual(m.values);
    expect(r.warnings.some((w) => w.includes('本机关不掌握'))).toBe(true);
  });

  it('says a row is doubtful when a number is missing, and checks nothing on it', () => {
    const m = baseModel();
    m.printed = { 's3.denied.secret.research': '' };
    m.values['s3.granted.total'] = 99; // would break three rules if the table were trusted
    const r = pdfText(m);
    expect(r.tables.s3).toBe('doubtful');
    expect(r.warnings.some((w) => w.includes('国家秘密') && w.includes('6'))).toBe(true);
    expect(r.findings.filter((f) => f.rule.startsWith('S3.'))).toEqual([]);
    expect(r.notChecked.map((n) => n.rule)).toEqual(expect.arrayContaining(['S3.ROW_TOTAL', 'S3.OUTCOME_TOTAL', 'S3.BALANCE']));
  });
});

describe('the 2019 trial layout', () => {
  it.each([
    ['HTML', (m: Model) => html(m)],
    ['PDF text', (m: Model) => pdfText(m)],
  ])('is recognised and read into its own keys (%s)', (_, read) => {
    const m = model2019();
    const r = read(m);
    expect(r.format).toBe('2019');
    expect(r.year).toBe(2020);
    expect(tableValues(r)).toEqual(m.values);
    expect(r.values['s3.other.no_correction.total']).toBeUndefined();
    expect(r.missing).not.toContain('s3.other.no_correction.total');
    expect(r.findings).toEqual([]);
  });

  it('is an error in a report for 2021 or later', () => {
    const m = { ...model2019(), title: '郏县人民政府2022年政府信息公开工作年度报告' };
    const r = html(m);
    expect(r.findings.map((f) => f.rule)).toEqual(['META.FORMAT']);
  });
});

describe('group subtotal rows', () => {
  it('are read when printed and checked against their items', () => {
    const m = baseModel();
    let text = renderPdfText(m);
    const cols = s3Columns(m);
    const line = (vals: number[]) => vals.join(' ');
    const sumOf = (group: string) => cols.map((c) => S3_ROWS['2021'].filter((s) => s.key.startsWith(group + '.')).reduce((a, s) => a + m.values[`${s.key}.${c}`]!, 0));
    text = text.replace('（三）不\n予公开\n', `（三）不予公开 ${line(sumOf('s3.denied'))}\n`);
    const r = analyse({ bytes: Buffer.from(text) });
    expect(r.values['s3.denied.natural']).toBe(5);
    expect(r.values['s3.denied.total']).toBe(5);
    expect(r.findings).toEqual([]);
    const broken = analyse({ bytes: Buffer.from(text.replace('（三）不予公开 5 0 0 0 0 0 5', '（三）不予公开 6 0 0 0 0 0 6')) });
    expect(broken.findings.map((f) => f.rule)).toEqual(['S3.OUTCOME_TOTAL', 'S3.OUTCOME_TOTAL']);
  });
});

describe('headings and labels', () => {
  it('reads headings without numbering, with Markdown #, and traditional characters in labels', () => {
    const m = baseModel();
    const text = renderPdfText(m)
      .replace('一、总体情况', '## 总体情况')
      .replace('二、主动公开政府信息情况', '# 二、主动公开政府信息情况')
      .replace('五、存在的主要问题及改进情况', '存在的主要问题及改进情况')
      .replace('一、本年新收政府信息公开申请数量', '一、本年新收政府資訊公開申請數量')
      .replace(/（七）总计/g, '(七)總計')
      .replace('1.本机关不掌握相关政府信息', '1.本機關不掌握相關政府信息');
    const r = analyse({ bytes: Buffer.from(text) });
    expect(r.sections).toEqual(['一', '二', '三', '四', '五', '六']);
    expect(tableValues(r)).toEqual(m.values);
  });
});

describe('Markdown', () => {
  it('reads a § 三 pipe table that a conversion tool broke into pieces', () => {
    const m = baseModel();
    const cols = s3Columns(m);
    const header = `| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n| --- | --- | --- | --- | --- | --- | --- | --- |`;
    const rows = S3_ROWS['2021'].filter((s) => !s.group).map((s) => `| ${s.label} | ${cols.map((c) => m.values[`${s.key}.${c}`]).join(' | ')} |`);
    // the converter split the table at a page break and repeated the header
    const table = `${header}\n${rows.slice(0, 12).join('\n')}\n\n${header}\n${rows.slice(12).join('\n')}`;
    const text = renderPdfText(m).replace(/三、收到和处理政府信息公开申请情况[\s\S]*?(?=\n四、政府信息公开行政复议)/, `### 三、收到和处理政府信息公开申请情况\n\n${table}\n`);
    const r = analyse({ bytes: Buffer.from(text), file: 'report.md' });
    expect(r.tables.s3).toBe('ok');
    expect(Object.fromEntries(Object.entries(r.values).filter(([k]) => k.startsWith('s3.')))).toEqual(
      Object.fromEntries(Object.entries(m.values).filter(([k]) => k.startsWith('s3.'))),
    );
    expect(r.evidence['s3.unable.not_held.total']).toMatchObject({ col: 8, printed: '9' });
    expect(r.findings).toEqual([]);
  });
});

describe('zero printed as 无, and agency names with OCR slips', () => {
  it('records 无 as zero with a warning', () => {
    const m = baseModel();
    m.printed = { 's2.rules.issued': '无', 's2.rules.repealed': '无', 's2.rules.in_force': '无' };
    const r = html(m);
    expect(r.values['s2.rules.issued']).toBe(0);
    expect(r.evidence['s2.rules.issued']!.semantics).toBe('none');
    expect(r.warnings).toContain('s2.rules.issued 印为“无”，按 0 记录');
    expect(r.findings).toEqual([]);
  });

  it('gives the official form of a slipped place name', () => {
    const r = pdfText({ ...baseModel(), title: '沐阳县人民政府2024年政府信息公开工作年度报告' });
    expect(r.agency).toBe('沭阳县人民政府');
    expect(r.title).toBe('沐阳县人民政府2024年政府信息公开工作年度报告');
  });
});
