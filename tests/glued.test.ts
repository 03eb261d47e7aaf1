// Table cells run together into runs of digits, as crawler text dumps and copy-paste leave
// them: the real seed reports with some of their rows' cells glued as such dumps print them.
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
