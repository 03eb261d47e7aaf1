// Table cells run together into runs of digits, as crawler text dumps and copy-paste leave
// them: the real seed reports with some of their rows' cells glued as such dumps print them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyse } from '../checks/index.js';
import { seed, seedBytes } from './support/seeds.js';

const read = (t: string) => analyse({ bytes: Buffer.from(t) });
const s003 = seedBytes(seed('003').file).toString('utf8');
const s000 = seedBytes(seed('000').file).toString('utf8');

describe('glued digits', () => {
  it('with exactly one digit per column are read cell by cell, saying so', () => {
    const t = s003
      .replace('二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0', '二、上年结转政府信息公开申请数量\t\t0000000')
      .replace('1\t2\t2\t2\t7\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0', '122270000000000');
    const r = read(t);
    expect(r.tables).toEqual({ s2: 'ok', s3: 'ok', s4: 'ok' });
    expect(r.values['s3.carried_in.natural']).toBe(0);
    expect(r.values['s3.carried_in.total']).toBe(0);
    expect([1, 2, 2, 2, 7].map((_, i) => r.values[['s4.review.upheld', 's4.review.corrected', 's4.review.other', 's4.review.pending', 's4.review.total'][i]!])).toEqual([1, 2, 2, 2, 7]);
    expect(r.evidence['s4.review.total']!.printed).toBe('7');
    expect(r.warnings).toContain('§ 三：表格数字粘连，“二、上年结转政府信息公开申请数量”一行“0000000”恰为 7 位数字，按每位一格读取');
    expect(r.findings).toEqual([]);
  });

  it('in PDF text glued to their label are read the same way', () => {
    const r = read(s000.replace('一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0', '一、本年新收政府信息公开申请数量0000000'));
    expect(r.tables.s3).toBe('ok');
    expect(r.values['s3.new.total']).toBe(0);
  });

  it('that could be cut more than one way make the table doubtful with the reason “表格数字粘连”, never an error', () => {
    const r = read(s003.replace('一、本年新收政府信息公开申请数量\t\t35\t0\t0\t0\t0\t1\t36', '一、本年新收政府信息公开申请数量\t\t350000136'));
    expect(r.tables.s3).toBe('doubtful');
    expect(r.doubts).toEqual({ s3: '表格数字粘连' });
    expect(r.values['s3.new.total']).toBeUndefined();
    expect(r.findings.filter((f) => f.rule.startsWith('S3.'))).toEqual([]);
    expect(r.notChecked).toContainEqual({ rule: 'S3.BALANCE', reason: '第三部分表格读取存疑（表格数字粘连）' });
    expect(r.values['s3.granted.total']).toBe(12);
  });

  it('in § 四 with more digits than its 15 columns are not cut by the sums', () => {
    const r = read(s003.replace('1\t2\t2\t2\t7\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0', '10100 11 0000000000'));
    expect(r.tables.s4).toBe('doubtful');
    expect(r.doubts).toEqual({ s4: '表格数字粘连' });
    expect(r.notChecked).toContainEqual({ rule: 'S4.GROUP_TOTAL', reason: '第四部分表格读取存疑（表格数字粘连）' });
  });
});

describe('a real report as a crawler saved its text (平潭综合实验区 2021, tests/corpus: every cell run into its label)', () => {
  const r = analyse({ bytes: readFileSync(new URL('./corpus/docs/fujian-pingtan-2021.txt', import.meta.url)) });
  const row = (key: string) => ['natural', 'commercial', 'research', 'social', 'legal', 'other', 'total'].map((c) => r.values[`${key}.${c}`]);

  it('reads the rows whose digits leave one reading, and the amount exact to the 分', () => {
    expect(row('s3.denied.enforcement')).toEqual([6, 0, 0, 0, 0, 0, 6]);
    expect(row('s3.partial')).toEqual([5, 0, 0, 0, 0, 0, 5]);
    expect(row('s3.other.other')).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(row('s3.carried_out')).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(r.values['s2.licensing.decisions']).toBe(2293);
    expect(r.values['s2.fees.amount']).toBe(24252.311082);
  });

  it('leaves “640020470” for seven columns unread, says why, and accuses the report of nothing', () => {
    expect(row('s3.new')).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(r.warnings).toContain('§ 三：表格数字粘连，“一、本年新收政府信息公开申请数量”一行印为“640020470”，7 列无法唯一拆分');
    expect(r.doubts).toEqual({ s2: '表格数字粘连', s3: '表格数字粘连', s4: '表格数字粘连' });
    expect(r.sections).toEqual(['一', '二', '三', '四', '五', '六']);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
