// Layouts met in real reports from other provinces (found by reading public samples),
// reproduced on the seed 003 figures.
import { describe, expect, it } from 'vitest';
import { analyse } from '../checks/index.js';
import { baseModel, model2019 } from './support/model.js';
import { renderHtml, renderPdfText } from './support/render.js';

const text = (t: string) => analyse({ bytes: Buffer.from(t) });
const html = (h: string) => analyse({ bytes: Buffer.from(h), mediaType: 'text/html' });

describe('a row label the parser cannot recognise', () => {
  it('is read where its numbering and most of its characters place it between its neighbours', () => {
    const t = renderPdfText(baseModel()).replace('2.没有现成信息需要另行制作', '2.没有现戊信恴需要另行制乍').replace('1.信访举报投诉类申请', '1.信仿举报投拆类申请');
    const r = text(t);
    expect(r.tables.s3).toBe('ok');
    expect(r.values['s3.unable.needs_making.total']).toBe(5);
    expect(r.values['s3.refused.petition.total']).toBe(2);
    expect(r.evidence['s3.unable.needs_making.total']!.text).toContain('2.没有现戊信恴需要另行制乍');
  });

  it('that nothing places leaves that row unread and never moves a neighbour’s figures into it', () => {
    const t = renderPdfText(baseModel()).replace('2.没有现成信息需要另行制作', '（略）').replace('1.信访举报投诉类申请', '（略）');
    const r = text(t);
    expect(r.tables.s3).toBe('doubtful');
    expect(r.warnings).toContain('§ 三：未找到行标签“2.没有现成信息需要另行制作”，该行不予读取');
    expect(r.values['s3.unable.needs_making.total']).toBeUndefined();
    expect(r.values['s3.refused.petition.total']).toBeUndefined();
    // the rows before the unrecognised labels hold two rows' figures: they are not guessed either
    expect(r.values['s3.unable.not_held.total']).toBeUndefined();
    // every other row keeps its own figures
    expect(r.values['s3.unable.unclear.total']).toBe(0);
    expect(r.values['s3.refused.repeat.total']).toBe(2);
    expect(r.values['s3.carried_out.total']).toBe(0);
    expect(r.values['s3.total.total']).toBe(36);
    expect(r.findings.filter((f) => f.rule.startsWith('S3.'))).toEqual([]);
  });

  it('in a fragment that stops after the first § 三 row, puts nothing into the last row', () => {
    const t = ['宿迁市2025年政府信息公开工作年度报告', '二、主动公开政府信息情况', '| 规章 | 3 | 0 | 15 |', '| 行政规范性文件 | 61 | 59 | 422 |', '三、收到和处理政府信息公开申请情况', '| 一、本年新收政府信息公开申请数量 | 3746 | 63 | 0 | 0 | 19 | 2 | 3830 |'].join('\n');
    const r = text(t);
    expect(r.values['s3.new.total']).toBe(3830);
    expect(r.values['s3.carried_out.total']).toBeUndefined();
    expect(r.values['s2.normative.in_force']).toBe(422);
    expect(r.values['s2.fees.amount']).toBeUndefined();
  });
});

describe('§ 二 sub-tables printed out of order by a converter', () => {
  it('reads each 第二十条 item wherever it sits', () => {
    const t = renderPdfText(baseModel());
    const from = t.indexOf('第二十条第（五）项');
    const to = t.indexOf('第二十条第（八）项');
    const moved = t.slice(0, t.indexOf('第二十条第（一）项')) + t.slice(from, to) + t.slice(t.indexOf('第二十条第（一）项'), from) + t.slice(to);
    const r = text(moved);
    expect(r.tables.s2).toBe('ok');
    expect(r.values['s2.licensing.decisions']).toBe(74833);
    expect(r.values['s2.normative.in_force']).toBe(31);
    expect(r.values['s2.fees.amount']).toBe(2561.768);
  });
});

describe('titles', () => {
  it('are not taken from a sentence that mentions the report, nor glued to a “正文” line', () => {
    const t = renderPdfText(baseModel()).replace(/^.*\n.*\n/, '正文\n2024 年郏县人民政府政府信息公开工作\n年度报告\n根据《中华人民共和国政府信息公开条例》规定编制本报告。本报告中所列数据统计期限为2024年1月1日至12月31日。\n');
    const r = text(t);
    expect(r.title).toBe('2024年郏县人民政府政府信息公开工作年度报告');
    expect(r.agency).toBe('郏县人民政府');
    expect(r.findings).toEqual([]);
  });

  it('come from the page’s own fields when the content has none, without the site name', () => {
    const page = renderHtml(baseModel()).replace(/<h1[^>]*>.*?<\/h1>/, '').replace(/<meta name="ArticleTitle"[^>]*>/, '').replace(/<title>.*?<\/title>/, '<title>标题:郏县人民政府2024年政府信息公开工作年度报告-郏县人民政府</title>');
    expect(html(page)).toMatchObject({ title: '郏县人民政府2024年政府信息公开工作年度报告', agency: '郏县人民政府' });
  });
});

describe('headings', () => {
  it('accept the § 五 wordings in use', () => {
    for (const h of ['五、存在的主要问题及整改措施', '五、存在问题及改进情况', '五、主要问题和改进措施']) {
      const r = text(renderPdfText(baseModel()).replace('五、存在的主要问题及改进情况', h));
      expect(r.sections).toEqual(['一', '二', '三', '四', '五', '六']);
    }
  });

  it('are found inside page text scraped onto one line', () => {
    const oneLine = renderPdfText(baseModel()).replace(/\n+/g, ' ');
    const r = text(oneLine);
    expect(r.sections).toEqual(['一', '二', '三', '四', '五', '六']);
    expect(r.values['s3.new.total']).toBe(36);
    expect(r.values['s4.review.total']).toBe(7);
  });

  it('never report a missing section when no heading could be recognised at all', () => {
    const t = renderPdfText(baseModel()).replace(/^[一二三四五六]、.*(?:情况|事项)$/gm, '');
    const r = text(t);
    expect(r.sections).toEqual([]);
    expect(r.tables.s3).toBe('ok');
    expect(r.findings.map((f) => f.rule)).not.toContain('META.SECTIONS');
    expect(r.notChecked).toContainEqual({ rule: 'META.SECTIONS', reason: '未识别到任何章节标题' });
    // nor a missing narrative: the rules that read § 一 or § 六 say they could not
    expect(r.findings.map((f) => f.rule)).not.toContain('TEXT.GOV_REVIEW');
    expect(r.notChecked).toContainEqual({ rule: 'TEXT.GOV_REVIEW', reason: '未找到第一部分' });
  });
});

describe('cells and prose around the tables', () => {
  it('read an amount printed with its unit in the cell, and note the unit', () => {
    const m = model2019();
    m.printed = { 's2.procurement.amount': '251000元' };
    const r = html(renderHtml(m));
    expect(r.tables.s2).toBe('ok');
    expect(r.values['s2.procurement.amount']).toBe(251000);
    expect(r.units).toEqual({ 's2.procurement.amount': '元' });
  });

  it('end § 四 where prose begins, even without a recognised § 五 heading', () => {
    const t = renderPdfText(baseModel()).replace('五、存在的主要问题及改进情况', '（一）2024 年工作中存在的不足，近 1400 个栏目需要整合，2 个平台待迁移。');
    const r = text(t);
    expect(r.tables.s4).toBe('ok');
    expect(r.values['s4.review.total']).toBe(7);
  });
});

describe('narrative figures', () => {
  it('accept a received count that includes last year’s carried-over requests', () => {
    const m = baseModel();
    m.values['s3.carried_in.natural'] = 4;
    m.values['s3.carried_in.total'] = 4;
    m.values['s3.carried_out.natural'] = 4;
    m.values['s3.carried_out.total'] = 4;
    m.narrative.一 += '\n全年共受理政府信息公开申请40件。';
    expect(html(renderHtml(m)).findings).toEqual([]);
  });

  it('read “共收到N件申请” and “收到依申请…N件”', () => {
    const m = baseModel();
    m.narrative.一 += '\n本年度共收到36件政府信息公开申请。';
    expect(html(renderHtml(m)).values['text.requests_received']).toBe(36);
    const n = baseModel();
    n.narrative.一 += '\n本年度共收到依申请信息公开36件。';
    expect(html(renderHtml(n)).values['text.requests_received']).toBe(36);
  });
});

describe('narrative figures that are not about disclosure requests', () => {
  it.each([
    ['本年度未收到涉及政府信息公开的行政复议申请。', undefined],
    ['对收到的申请均在15个工作日内予以答复。', undefined],
    ['全年收到信息公开申请36件，均在法定期限内答复。', 36],
    ['全年共收到政府信息公开申请三十六件，均已办结，未收到申请人提出的异议。', undefined],
    ['全年共受理行政许可申请3862件。', undefined],
    ['全年办结上年结转申请2件。', undefined],
  ])('%s', (sentence, received) => {
    const m = baseModel();
    m.narrative.一 += `\n${sentence}`;
    const r = html(renderHtml(m));
    expect(r.values['text.requests_received']).toBe(received);
    expect(r.findings).toEqual([]);
  });

  it('count review and litigation cases only in a sentence about disclosure', () => {
    const m = baseModel();
    m.narrative.一 += '\n全年办理行政复议案件120件，行政诉讼应诉45件。';
    expect(html(renderHtml(m)).values['text.review_cases']).toBeUndefined();
    m.narrative.一 += '\n因政府信息公开被申请行政复议7件。';
    const r = html(renderHtml(m));
    expect(r.values['text.review_cases']).toBe(7);
    expect(r.findings).toEqual([]);
  });
});
