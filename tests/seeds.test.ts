// Every figure of the five real seed reports, read from text as a PDF tool or a
// converter left it.
import { describe, expect, it } from 'vitest';
import { analyse } from '../checks/index.js';
import { SEEDS, seed, seedBytes } from './support/seeds.js';

describe.each(SEEDS)('seed $file', (s) => {
  const r = analyse({ bytes: seedBytes(s.file), file: s.file });

  it('reads title, agency, year, format and all six sections', () => {
    expect(r.status).toBe('report');
    expect(r.title).toBe(s.title);
    expect(r.agency).toBe(s.agency);
    expect(r.year).toBe(s.year);
    expect(r.format).toBe('2021');
    expect(r.sections).toEqual(['一', '二', '三', '四', '五', '六']);
    expect(r.tables).toEqual({ s2: 'ok', s3: 'ok', s4: 'ok' });
  });

  it('reads every § 二, § 三 (175 cells) and § 四 figure', () => {
    const tableValues = Object.fromEntries(Object.entries(r.values).filter(([k]) => !k.startsWith('text.')));
    expect(Object.keys(s.values).filter((k) => k.startsWith('s3.'))).toHaveLength(175);
    expect(tableValues).toEqual(s.values);
    expect(r.missing).toEqual([]);
  });

  it('reads the figures stated in the narrative', () => {
    const stated = Object.fromEntries(Object.entries(r.values).filter(([k]) => k.startsWith('text.')));
    expect(stated).toEqual(s.narrative);
  });

  it('keeps the narrative of § 一, § 五 and § 六', () => {
    expect(r.narrative['一']!.length).toBeGreaterThan(100);
    expect(r.narrative['五']).toMatch(/问题/);
    expect(r.narrative['六']).toMatch(/处理费/);
  });

  it('finds nothing wrong in a consistent report and doubts nothing', () => {
    expect(r.findings).toEqual([]);
    expect(r.notChecked).toEqual([]);
  });
});

describe('evidence', () => {
  it('points at the printed line and cell of a tab-separated table', () => {
    const r = analyse({ bytes: seedBytes(seed('003').file) });
    expect(r.evidence['s3.new.total']).toMatchObject({ line: 49, col: 9, printed: '36' });
    expect(r.evidence['s3.new.total']!.text).toContain('一、本年新收政府信息公开申请数量');
    expect(r.evidence['s2.licensing.decisions']).toMatchObject({ line: 35, printed: '74833' });
    expect(r.evidence['s4.review.total']).toMatchObject({ printed: '7' });
    expect(r.evidence['text.proactive_items']!.printed).toContain('3084');
  });

  it('follows a wrapped value row to its own line in PDF text', () => {
    const r = analyse({ bytes: seedBytes(seed('000').file) });
    expect(r.evidence['s3.partial.natural']).toMatchObject({ line: 109, printed: '0' });
    expect(r.evidence['s3.partial.total']).toMatchObject({ line: 110, printed: '0' });
    expect(r.evidence['s3.partial.total']!.text).toContain('部分公开');
    expect(r.evidence['s4.suit_after_review.total']).toMatchObject({ line: 227 });
  });

  it('reads the sentence a narrative figure came from, across a PDF line break', () => {
    const r = analyse({ bytes: seedBytes(seed('002').file) });
    expect(r.evidence['text.requests_received']!.text).toContain('全年收到信息公开申请1件');
  });

  it('gives the official agency name for a traditional character and says so', () => {
    const r = analyse({ bytes: seedBytes(seed('003').file) });
    expect(r.agency).toBe('郏县人民政府');
    expect(r.warnings.some((w) => w.includes('郟县人民政府'))).toBe(true);
  });
});
