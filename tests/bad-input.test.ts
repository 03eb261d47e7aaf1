// Bad input ends with a clear result, never a crash: refused with a reason when it is
// not a text document, "not a report" or "partial" with warnings when it is one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyse } from '../checks/index.js';
import { UnreadableDocumentError, parseDocument } from '../parser/index.js';
import { baseModel } from './support/model.js';
import { renderHtml, renderPdfText } from './support/render.js';

function refusal(bytes: Uint8Array): UnreadableDocumentError {
  try {
    parseDocument({ bytes });
  } catch (e) {
    if (e instanceof UnreadableDocumentError) return e;
    throw e;
  }
  throw new Error('document was not refused');
}

/** Deterministic noise (a linear congruential generator), so the test is the same every run. */
function noise(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('documents that cannot be read', () => {
  it('refuses an empty file and a file of whitespace', () => {
    expect(refusal(new Uint8Array())).toMatchObject({ code: 'empty', message: '文件为空' });
    expect(refusal(Buffer.from(' \n\t\n'))).toMatchObject({ code: 'empty' });
  });

  it('refuses binary garbage', () => {
    expect(refusal(noise(65536))).toMatchObject({ code: 'binary', message: '不是文本文件（含大量不可打印字符）' });
  });

  it('names the form of a PDF, DOCX or image handed to the text parser', () => {
    expect(refusal(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toMatchObject({ code: 'unsupported_form', message: expect.stringContaining('PDF') });
    expect(refusal(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toMatchObject({ message: expect.stringContaining('DOCX') });
    expect(refusal(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))).toMatchObject({ message: expect.stringContaining('PNG') });
  });
});

describe('documents that are not, or not wholly, a report', () => {
  it('says a news page is not a report and raises no finding against it', () => {
    const page = `<html><head><title>我县召开政务公开工作推进会_郏县人民政府</title></head><body>
      <div class="nav">首页 政务公开 政务服务</div><div class="article"><h1>我县召开政务公开工作推进会</h1>
      <p>11月20日，我县召开政务公开工作推进会。会议指出，今年以来全县共办理行政许可 74833 件，
      主动公开政府信息 3084 条。</p><table><tr><td>单位</td><td>得分</td></tr><tr><td>县发改委</td><td>98</td></tr></table></div></body></html>`;
    const r = analyse({ bytes: Buffer.from(page), mediaType: 'text/html' });
    expect(r.status).toBe('not_report');
    expect(r.format).toBe('unknown');
    expect(r.findings).toEqual([]);
    expect(r.warnings).toContain('未找到年度报告的章节和统计表，不是政府信息公开工作年度报告');
  });

  it('reads a report cut off after § 二 as partial, and checks nothing it has not got', () => {
    const full = renderPdfText(baseModel());
    const cut = full.slice(0, full.indexOf('三、收到和处理政府信息公开申请情况'));
    const r = analyse({ bytes: Buffer.from(cut) });
    expect(r.status).toBe('partial');
    expect(r.tables).toEqual({ s2: 'ok', s3: 'absent', s4: 'absent' });
    expect(r.values['s2.licensing.decisions']).toBe(74833);
    expect(r.warnings).toContain('缺少章节：第三部分、第四部分、第五部分、第六部分');
    expect(r.findings.map((f) => f.rule)).toEqual(['META.SECTIONS']);
    expect(r.notChecked.map((n) => n.rule)).toEqual(expect.arrayContaining(['S3.BALANCE', 'S4.GROUP_TOTAL', 'TEXT.SECTION5']));
  });

  it('reads a 20 MB page: the report inside megabytes of chrome', () => {
    const m = baseModel();
    const filler = `<li><a href="/art/2024/1/1/art_1_1.html">关于做好2024年度政府信息公开工作的通知（第 N 号）</a><span>2024-01-01</span></li>\n`;
    const chrome = `<ul class="list">${filler.repeat(Math.ceil((20 * 1024 * 1024) / Buffer.byteLength(filler)))}</ul>`;
    const page = renderHtml(m).replace('<div class="footer">', `${chrome}<div class="footer">`);
    expect(Buffer.byteLength(page)).toBeGreaterThan(20 * 1024 * 1024);
    const r = analyse({ bytes: Buffer.from(page), mediaType: 'text/html' });
    expect(r.status).toBe('report');
    expect(r.values['s3.new.total']).toBe(36);
    expect(r.findings).toEqual([]);
  });

  it('decodes a GB18030 (GBK) text file, including 郟', () => {
    const r = analyse({ bytes: readFileSync(new URL('./fixtures/003.gb18030.txt', import.meta.url)) });
    expect(r.title).toBe('郟县人民政府2024年政府信息公开工作年度报告');
    expect(r.values['s3.new.total']).toBe(36);
  });
});
