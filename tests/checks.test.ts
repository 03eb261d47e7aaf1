// Each single-report rule made to fail by changing one printed figure (or one sentence)
// of an otherwise consistent report, and shown to pass without the change.
import { describe, expect, it } from 'vitest';
import { RULES, analyse, checkReport, fingerprint } from '../checks/index.js';
import { REPORT_CHECKS } from '../checks/report-rules.js';
import type { Finding } from '../parser/types.js';
import { baseModel, model2019 } from './support/model.js';
import { renderHtml, type Model } from './support/render.js';

const read = (m: Model) => analyse({ bytes: Buffer.from(renderHtml(m)), mediaType: 'text/html' });
const only = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);

function mutate(change: (m: Model) => void): Model {
  const m = baseModel();
  change(m);
  return m;
}

describe('the catalogue', () => {
  it('has every single-report rule of rules.md as data with a check function', () => {
    const single = RULES.filter((r) => r.scope === 'report').map((r) => r.id);
    expect(single).toEqual(Object.keys(REPORT_CHECKS));
    expect(single).toHaveLength(18);
    for (const r of RULES) {
      expect(r.message).toMatch(/[\u4e00-\u9fff]/);
      expect(r.basis).not.toBe('');
    }
    expect(RULES.filter((r) => r.scope !== 'report').map((r) => r.id)).toEqual(
      expect.arrayContaining(['XY.CARRY', 'XY.COPY', 'PUB.LATE', 'PUB.MISSING', 'PUB.IMAGE_ONLY', 'PEER.OUTLIER']),
    );
  });

  it('passes the unchanged report', () => {
    const r = read(baseModel());
    expect(r.findings).toEqual([]);
    expect(r.notChecked).toEqual([]);
  });
});

describe('rules fail on one changed figure', () => {
  it('S3.ROW_TOTAL', () => {
    const r = read(mutate((m) => (m.values['s3.granted.total'] = 13)));
    expect(only(r.findings, 'S3.ROW_TOTAL')).toEqual([
      expect.objectContaining({
        severity: 'error',
        expected: 12,
        actual: 13,
        sides: { expected: ['s3.granted.natural', 's3.granted.commercial', 's3.granted.research', 's3.granted.social', 's3.granted.legal', 's3.granted.other'], actual: ['s3.granted.total'] },
        message: '第三部分“予以公开”一行：各类申请人合计 12，但“总计”栏填报 13',
      }),
    ]);
  });

  it('S3.OUTCOME_TOTAL', () => {
    const r = read(mutate((m) => ((m.values['s3.denied.secret.natural'] = 2), (m.values['s3.denied.secret.total'] = 2))));
    const f = only(r.findings, 'S3.OUTCOME_TOTAL');
    expect(f.map((x) => [x.sides!.actual[0], x.expected, x.actual])).toEqual([
      ['s3.total.natural', 36, 35],
      ['s3.total.total', 37, 36],
    ]);
    expect(f[0]!.cells).toHaveLength(22); // 21 outcome rows and the printed total
    expect(only(r.findings, 'S3.BALANCE')).toEqual([]);
  });

  it('S3.BALANCE', () => {
    const r = read(mutate((m) => ((m.values['s3.carried_out.natural'] = 1), (m.values['s3.carried_out.total'] = 1))));
    const f = only(r.findings, 'S3.BALANCE');
    expect(f).toHaveLength(2);
    expect(f[0]).toMatchObject({ expected: 35, actual: 36, sides: { expected: ['s3.new.natural', 's3.carried_in.natural'], actual: ['s3.total.natural', 's3.carried_out.natural'] } });
    expect(f[0]!.message).toBe('第三部分“自然人”列：本年新收与上年结转之和为 35，但（七）总计与结转下年度之和为 36');
  });

  it('S4.GROUP_TOTAL', () => {
    const r = read(mutate((m) => (m.values['s4.review.total'] = 8)));
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'S4.GROUP_TOTAL', expected: 7, actual: 8, cells: ['s4.review.upheld', 's4.review.corrected', 's4.review.other', 's4.review.pending', 's4.review.total'] })]);
  });

  it('S.VALUE', () => {
    const r = read(mutate((m) => (m.printed = { 's2.licensing.decisions': '-5', 's2.fees.amount': '2561.7681234', 's2.penalty.decisions': '3.5' })));
    expect(only(r.findings, 'S.VALUE').map((f) => [f.cells[0], f.severity, f.message])).toEqual([
      ['s2.licensing.decisions', 'error', '“s2.licensing.decisions”填报“-5”：件数为负数'],
      ['s2.penalty.decisions', 'error', '“s2.penalty.decisions”填报“3.5”：件数不是整数'],
      ['s2.fees.amount', 'warning', '“s2.fees.amount”填报“2561.7681234”：金额有 7 位小数，超过 6 位'],
    ]);
  });

  it('S.VALUE takes a 万元 fee exact to the 分 (6 decimals, as a government printed 24252.311082) as normal', () => {
    const r = read(mutate((m) => (m.printed = { 's2.fees.amount': '24252.311082' })));
    expect(r.values['s2.fees.amount']).toBe(24252.311082);
    expect(only(r.findings, 'S.VALUE')).toEqual([]);
  });

  it('S.BLANK', () => {
    const r = read(mutate((m) => (m.printed = { 's4.suit_direct.other': '—' })));
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'S.BLANK', severity: 'warning', cells: ['s4.suit_direct.other'], actual: 1 })]);
  });

  it('S2.COUNTY_RULES', () => {
    const r = read(mutate((m) => ((m.values['s2.rules.issued'] = 1), (m.values['s2.rules.in_force'] = 1))));
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'S2.COUNTY_RULES', actual: 1, message: '郏县人民政府为县级及以下机关，但第二部分填报本年制发规章 1 件' })]);
  });

  it('S2.DOC_STOCK', () => {
    const r = read(mutate((m) => (m.values['s2.normative.issued'] = 50)));
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'S2.DOC_STOCK', expected: 41, actual: 50 })]);
  });

  it('S2.FEE_UNIT', () => {
    const r = read(mutate((m) => (m.feeUnit = '元')));
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'S2.FEE_UNIT', actual: 2561.768 })]);
    expect(r.findings[0]!.message).toContain('单位印为“元”');
  });

  it('META.SECTIONS', () => {
    const missing = read(mutate((m) => (m.sections = ['一', '二', '三', '四', '六'])));
    expect(missing.findings).toEqual([expect.objectContaining({ rule: 'META.SECTIONS', message: '报告结构不符合要求：缺少第五部分' })]);
    const swapped = read(mutate((m) => (m.sections = ['一', '二', '三', '四', '六', '五'])));
    expect(only(swapped.findings, 'META.SECTIONS')[0]!.message).toBe('报告结构不符合要求：各部分顺序为 一、二、三、四、六、五，应为 一、二、三、四、五、六');
  });

  it('META.TITLE', () => {
    const r = read(mutate((m) => (m.title = '郏县人民政府2024年政府信息公开工作总结')));
    expect(r.findings.map((f) => f.rule)).toEqual(['META.TITLE']);
  });

  it('META.YEAR', () => {
    const r = read(mutate((m) => (m.narrative.六 = '2023年我单位未收取政府信息公开信息处理费。')));
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'META.YEAR', expected: 2024, actual: 2023, sides: { expected: ['meta.title'], actual: ['meta.section6'] } })]);
  });

  it('META.FORMAT', () => {
    const r = read({ ...model2019(), title: '郏县人民政府2023年政府信息公开工作年度报告' });
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'META.FORMAT', expected: '2021', actual: '2019' })]);
  });

  it('TEXT.REQUESTS', () => {
    const r = read(mutate((m) => (m.narrative.一 = m.narrative.一 + '\n全年共收到政府信息公开申请40件，行政复议2件。')));
    expect(only(r.findings, 'TEXT.REQUESTS').map((f) => [f.cells, f.expected, f.actual])).toEqual([
      [['text.requests_received', 's3.new.total'], 40, 36],
      [['text.review_cases', 's4.review.total'], 2, 7],
    ]);
  });

  it('TEXT.NO_REQUESTS', () => {
    const r = read(mutate((m) => (m.narrative.一 = m.narrative.一 + '\n本年度未收到政府信息公开申请。')));
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'TEXT.NO_REQUESTS', severity: 'error', expected: 0, actual: 36 })]);
  });

  it('TEXT.SECTION5', () => {
    const r = read(mutate((m) => (m.narrative.五 = '无。')));
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'TEXT.SECTION5', message: '第五部分为空或只写“无”' })]);
  });

  it('TEXT.FEE_NOTICE', () => {
    const r = read(
      mutate((m) => {
        m.values['s3.granted.natural'] = 11;
        m.values['s3.granted.total'] = 11;
        m.values['s3.other.no_fee.natural'] = 1;
        m.values['s3.other.no_fee.total'] = 1;
        m.narrative.六 = '本年度无其他需要报告的事项。';
      }),
    );
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'TEXT.FEE_NOTICE', actual: 1 })]);
  });

  it('TEXT.GOV_REVIEW', () => {
    const r = read(mutate((m) => (m.narrative.一 = '本年度，全县坚持以公开为常态，持续推进政务公开工作。全年通过县政府门户网站发布各类信息3084条。')));
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'TEXT.GOV_REVIEW', message: '郏县人民政府的年度报告第一部分未提及政务公开考核、社会评议或责任追究' })]);
  });
});

describe('findings', () => {
  it('carry a stable fingerprint of rule, agency, year and cells', () => {
    const m = mutate((x) => (x.values['s4.review.total'] = 8));
    const a = read(m).findings[0]!;
    const b = read(m).findings[0]!;
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toBe(fingerprint('S4.GROUP_TOTAL', '郏县人民政府', 2024, a.cells));
    expect(a.fingerprint).toMatch(/^[0-9a-f]{24}$/);
  });

  it('are not raised on a table read with doubt: those rules are reported as not checked', () => {
    const r = read(mutate((m) => (m.values['s4.review.total'] = 8)));
    const doubted = checkReport({ ...r, tables: { ...r.tables, s4: 'doubtful' } });
    expect(doubted.findings).toEqual([]);
    expect(doubted.notChecked).toEqual([{ rule: 'S4.GROUP_TOTAL', reason: '第四部分表格读取存疑' }]);
  });
});
