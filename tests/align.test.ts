// Labels and headings placed by alignment (order, numbering, characters), on the real seed
// reports with misprints real reports printed put in as their printed labels and headings.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyse } from '../checks/index.js';
import { SEEDS, seed, seedBytes } from './support/seeds.js';

const read = (t: string) => analyse({ bytes: Buffer.from(t) });
const tableValues = (v: Record<string, number>) => Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('text.')));

/**
 * Misprints printed in real published reports (issue 13): a district government's PDF row
 * label, a TRS page's § 四 heading, a department's own § 六 heading.
 */
const REAL_MISPRINTS: Array<[string, string]> = [
  ['其他法律行政法规禁止公开', '其他法律行政止公开'],
  ['四、政府信息公开行政复议、行政诉讼情况', '四、政府信息公开行政法复议、行政诉讼情况'],
  ['六、其他需要报告的事项', '六、需要说明的其他事项与附表'],
];

describe.each(SEEDS)('seed $file printed with real misprints in a label and two headings', (s) => {
  let text = seedBytes(s.file).toString('utf8');
  for (const [official, printed] of REAL_MISPRINTS) {
    expect(text).toContain(official);
    text = text.replace(official, printed);
  }
  const r = read(text);

  it('reads every figure, each row keeping its own', () => {
    expect(r.tables).toEqual({ s2: 'ok', s3: 'ok', s4: 'ok' });
    expect(tableValues(r.values)).toEqual(s.values);
    expect(r.evidence['s3.denied.law.total']!.text).toContain('其他法律行政止公开');
    expect(r.warnings.some((w) => w.includes('其他法律行政止公开') && w.includes('读作“2.其他法律行政法规禁止公开”'))).toBe(true);
  });

  it('finds all six sections and accuses the report of nothing', () => {
    expect(r.sections).toEqual(['一', '二', '三', '四', '五', '六']);
    expect(r.status).toBe('report');
    expect(r.findings).toEqual([]);
  });
});

describe('a row label printed with slips', () => {
  const s = seed('003');
  const printed = seedBytes(s.file).toString('utf8');

  it('is read when its words are within a slip in three of the official ones (OCR confusions 事务→事物, 息→总, 执→热)', () => {
    const r = read(printed.replace('属于三类内部事务信息', '属于三类内部事物信总').replace('属于行政执法案卷', '属于行政热法案卷'));
    expect(r.tables.s3).toBe('ok');
    expect(r.values['s3.denied.internal.natural']).toBe(2);
    expect(r.values['s3.denied.enforcement.total']).toBe(1);
    expect(tableValues(r.values)).toEqual(s.values);
  });

  it('is read by its numbering and place when a department words it its own way', () => {
    const r = read(printed.replace('4. 保护第三方合法权益', '4. 涉及商业秘密、个人隐私').replace('5. 属于三类内部事务信息', '5. 属于人事管理、后勤管理等内部事务'));
    expect(r.tables.s3).toBe('ok');
    expect(r.values['s3.denied.internal.total']).toBe(2);
    expect(r.values['s3.denied.third_party.total']).toBe(0);
    expect(tableValues(r.values)).toEqual(s.values);
  });

  it('is read by its place and numbering as OCR read them on a real 150 dpi scan (淮安市 2024: “(七》兰针”, “由、绪转下年度乡级夫理”)', () => {
    const r = read(printed.replace('(七) 总计', '(七》兰针').replace('四、结转下年度继续办理', '由、绪转下年度乡级夫理'));
    expect(r.tables.s3).toBe('ok');
    expect(r.values['s3.total.total']).toBe(36);
    expect(r.values['s3.carried_out.total']).toBe(0);
    expect(r.evidence['s3.carried_out.total']!.text).toContain('由、绪转下年度乡级夫理');
    expect(tableValues(r.values)).toEqual(s.values);
  });

  it('is read by its place once its neighbours are placed, and （七） by its numeral alone, as OCR read them on a real blurred scan (洪泽区 2023)', () => {
    // “七” for (七) 总计; 1. 信访… worded so that only its place tells it, once its neighbour 2. is placed by numbering
    const r = read(printed.replace('(七) 总计', '七').replace('1. 信访举报投诉类申请', '投诉类来信申请').replace('2. 重复申请', '2. 同一事项反复'));
    expect(r.tables.s3).toBe('ok');
    expect(r.values['s3.refused.petition.total']).toBe(2);
    expect(r.evidence['s3.refused.petition.total']!.text).toContain('投诉类来信申请');
    expect(r.values['s3.total.total']).toBe(36);
    expect(tableValues(r.values)).toEqual(s.values);
  });

  it('that neither words nor numbering place leaves its row unread, never guessed', () => {
    const r = read(printed.replace('5. 属于三类内部事务信息', '（见注）'));
    expect(r.tables.s3).toBe('doubtful');
    expect(r.values['s3.denied.internal.total']).toBeUndefined();
    expect(r.values['s3.denied.enforcement.total']).toBe(1);
    expect(r.findings.filter((f) => f.rule.startsWith('S3.'))).toEqual([]);
  });
});

describe('META.SECTIONS', () => {
  const s = seed('003');
  const printed = seedBytes(s.file).toString('utf8');

  it('still names a section the report really lacks', () => {
    const from = printed.indexOf('#### 五、');
    const r = read(printed.slice(0, from) + printed.slice(printed.indexOf('#### 六、')));
    expect(r.findings.map((f) => f.message)).toEqual(['报告结构不符合要求：缺少第五部分']);
  });

  it('is parser doubt where a heading numbered for the section could not be placed', () => {
    const r = read(printed.replace('#### 五、存在的主要问题及改进情况', '#### 五、附件'));
    expect(r.sections).toEqual(['一', '二', '三', '四', '六']);
    expect(r.unrecognisedSections).toEqual(['五']);
    expect(r.findings.filter((f) => f.rule === 'META.SECTIONS')).toEqual([]);
    expect(r.notChecked).toContainEqual({ rule: 'META.SECTIONS', reason: '第五部分的标题未能识别' });
  });
});

describe('reports for years before 2019 (柘城县 departments’ 2017 reports as the county site served them)', () => {
  const page = (n: string) => analyse({ bytes: readFileSync(new URL(`./fixtures/zhecheng-2017/${n}.html`, import.meta.url)), mediaType: 'text/html' });

  it.each([
    ['7477', '柘城县工商质监局2017年信息公开年度报告'],
    ['7478', '柘城县扶贫办2017年政府信息年度报告'],
    ['7481', '柘城县 “互联网+”经济发展促进中心2017政府信息公开工作年度报告'],
    ['7484', '柘城县畜牧局2017年政府信息公开工作年度报告'],
  ])('%s is stored as an old-format report and held to none of the current format’s rules', (n, title) => {
    const r = page(n);
    expect(r).toMatchObject({ status: 'report', format: 'old', year: 2017, title });
    expect(r.tables).toEqual({ s2: 'absent', s3: 'absent', s4: 'absent' });
    expect(r.findings).toEqual([]);
    expect(r.notChecked).toContainEqual({ rule: 'META.SECTIONS', reason: '2017年度报告为 2019 年以前的旧格式，不适用现行格式的检查' });
  });

  it('keeps the figures its narrative states', () => {
    expect(page('7478').values['text.proactive_items']).toBe(144);
    expect(page('7484').values['text.proactive_items']).toBe(30);
  });
});
