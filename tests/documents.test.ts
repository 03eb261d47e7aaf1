// Every document form read into the same canonical report: PDF by geometry, DOCX, DOC,
// scans by OCR; and every kind of bad document ending with a clear reason.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Zip, ZipDeflate } from 'fflate';
import { describe, expect, it } from 'vitest';
import { analyseDocument, checkPublication } from '../checks/index.js';
import { parseFile } from '../cli/parse.js';
import { pdfToLines } from '../parser/extract/pdf.js';
import { readDocument, readDocumentText, sniff, UnreadableDocumentError } from '../parser/index.js';
import { model2019 } from './support/model.js';
import { writeOfd } from './support/ofd.js';
import { SEEDS } from './support/seeds.js';

const doc = (f: string) => readFileSync(new URL(`./fixtures/documents/${f}`, import.meta.url));
const seed003 = SEEDS.find((s) => s.file.startsWith('003'))!;

function wrongCells(values: Record<string, number>, want: Record<string, number>): string[] {
  return Object.entries(want)
    .filter(([k, v]) => values[k] !== v)
    .map(([k, v]) => `${k}: ${values[k]} ≠ ${v}`);
}

async function refusal(p: Promise<unknown>): Promise<UnreadableDocumentError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UnreadableDocumentError);
  return e as UnreadableDocumentError;
}

/** A PDF of the given objects (1 is the catalog), with its cross-reference table. */
function minimalPdf(objs: string[]): Buffer {
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${entries}trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** A one-line PDF in STSong-Light, not embedded (as many government PDFs are): text only through the CMaps. */
function unembeddedCjkPdf(text: string): Buffer {
  const hex = [...text].map((c) => c.charCodeAt(0).toString(16).padStart(4, '0')).join('');
  const content = `BT /F1 16 Tf 60 760 Td <${hex}> Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>',
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 >>',
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
  ];
  return minimalPdf(objs);
}

describe('text-layer PDF, rebuilt from positions and rules', () => {
  it('reads Chinese set in a font the PDF does not embed (STSong-Light, UniGB-UCS2-H)', async () => {
    const text = await readDocumentText({ bytes: unembeddedCjkPdf('郏县人民政府2024年政府信息公开工作年度报告') });
    expect(text).toBe('郏县人民政府2024年政府信息公开工作年度报告');
  });

  it('reads every cell of seed 003 printed as a ruled PDF, with page and box for each figure', async () => {
    const r = await analyseDocument({ bytes: doc('003.pdf'), file: '003.pdf' });
    expect(r.source.mediaType).toBe('application/pdf');
    expect(r.status).toBe('report');
    expect(r.title).toBe('郏县人民政府2024年政府信息公开工作年度报告');
    expect(r.tables).toEqual({ s2: 'ok', s3: 'ok', s4: 'ok' });
    expect(wrongCells(r.values, seed003.values)).toEqual([]);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    // § 二 starts on page 1 and runs onto page 2; § 三 runs from page 2 onto page 3
    expect(r.evidence['s2.normative.in_force']).toMatchObject({ page: 1, printed: '31' });
    expect(r.evidence['s2.licensing.decisions']).toMatchObject({ page: 2, printed: '74833' });
    expect(r.evidence['s3.new.total']).toMatchObject({ page: 2, printed: '36' });
    expect(r.evidence['s3.total.total']).toMatchObject({ page: 3, printed: '36', text: '（七）总计 | 35 | 0 | 0 | 0 | 0 | 1 | 36' });
    expect(r.evidence['s4.review.total']).toMatchObject({ page: 3, printed: '7' });
    // boxes in points from the top left of an A4 page, the total column right of the natural-person one
    const box = r.evidence['s3.total.total']!.box!;
    expect(box[0]).toBeGreaterThan(r.evidence['s3.total.natural']!.box![2]);
    expect(box.every((x) => x > 0 && x < 842)).toBe(true);
    expect(box[1]).toBeLessThan(box[3]);
  });

  it('drops the running header and the "— N —" page numbers', async () => {
    const text = await readDocumentText({ bytes: doc('003.pdf') });
    expect(text).not.toMatch(/—\s*\d+\s*—/);
    // the running header stays on page 1 only: there a report's title is often its header too
    expect(text.split('\n').filter((l) => l === '郏县人民政府办公室')).toHaveLength(1);
    // a label printed over five lines of its cell is one label, beside its centred value
    expect(text).toContain('（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t1\t0\t0\t0\t0\t0\t1');
  });

  it('reads a table whose header is on one page and its rows on the next', async () => {
    const r = await readDocument({ bytes: doc('003-break.pdf') });
    expect(r.tables).toEqual({ s2: 'ok', s3: 'ok', s4: 'ok' });
    expect(wrongCells(r.values, seed003.values)).toEqual([]);
    expect(r.evidence['s3.new.natural']).toMatchObject({ page: 2, printed: '35' });
    expect(r.evidence['s3.total.total']).toMatchObject({ page: 4 });
  });

  it('reads tables printed without rules: columns from the headings, wrapped labels to the figures they centre on', async () => {
    const r = await analyseDocument({ bytes: doc('003-unruled.pdf') });
    expect(r.tables).toEqual({ s2: 'ok', s3: 'ok', s4: 'ok' });
    expect(wrongCells(r.values, seed003.values)).toEqual([]);
    // § 三 runs over to page 3 without its headings: the columns carry over
    expect(r.evidence['s3.total.total']).toMatchObject({ page: 3, printed: '36' });
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('keeps a blank cell of a rule-less table in its column, by the heading above it', async () => {
    const at = (x: number, y: number, t: string) => `BT /F1 9 Tf ${x} ${y} Td (${t}) Tj ET`;
    // headings centred at 200, 260, 320, 380, 440; the row leaves the second column blank
    const head = [[185, 'Upheld'], [240, 'Corrected'], [308, 'Other'], [361, 'Pending'], [428, 'Total']].map(([x, t]) => at(x as number, 700, t as string)).join(' ');
    const row = [[60, 'Review'], [197, '1'], [317, '2'], [377, '2'], [437, '5']].map(([x, t]) => at(x as number, 680, t as string)).join(' ');
    const text = await readDocumentText({ bytes: drawnPdf(`${head} ${row}`) });
    expect(text.split('\n').pop()).toBe('Review\t1\t\t2\t2\t5');
  });

  it('reads the 2019 layout', async () => {
    const r = await readDocument({ bytes: doc('2019.pdf') });
    expect(r.format).toBe('2019');
    expect(wrongCells(r.values, model2019().values)).toEqual([]);
  });
});

describe('Word documents', () => {
  it('reads every cell of a DOCX, tables kept as tables', async () => {
    const r = await analyseDocument({ bytes: doc('003.docx'), file: 'report.bin' });
    expect(r.source.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(r.status).toBe('report');
    expect(wrongCells(r.values, seed003.values)).toEqual([]);
    expect(r.evidence['s3.total.total']).toMatchObject({ printed: '36', col: expect.any(Number), row: expect.any(Number) });
  });

  it('takes an OLE Word file named .wps for WPS and reads it the same way', async () => {
    const r = await readDocument({ bytes: doc('003.doc'), file: '郏县2024年报.wps' });
    expect(r.source.mediaType).toBe('application/vnd.ms-works');
    expect(wrongCells(r.values, seed003.values)).toEqual([]);
  });

  it('reads every cell of a Word 97 DOC, recognised by its bytes', async () => {
    const bytes = doc('003.doc');
    expect(sniff(bytes).form).toBe('doc');
    const r = await analyseDocument({ bytes, file: 'report.pdf' });
    expect(r.source.mediaType).toBe('application/msword');
    expect(r.status).toBe('report');
    expect(wrongCells(r.values, seed003.values)).toEqual([]);
  });
});

describe('OFD', () => {
  it('reads every cell of an OFD with a text layer, tables rebuilt from its paths', async () => {
    const r = await analyseDocument({ bytes: doc('003.ofd') });
    expect(r.source.mediaType).toBe('application/ofd');
    expect(r.status).toBe('report');
    expect(wrongCells(r.values, seed003.values)).toEqual([]);
    expect(r.evidence['s3.total.total']).toMatchObject({ page: 3, printed: '36' });
  });
});

describe('scans by offline OCR', () => {
  it('reads an image-only PDF: figures carry OCR confidence, the report is image-only, and no misread becomes an error', async () => {
    const before = readdirSync(process.cwd());
    const r = await analyseDocument({ bytes: doc('003-scan.pdf') });
    // offline and without a cache: no traineddata (or anything else) written to the working folder
    expect(readdirSync(process.cwd())).toEqual(before);
    expect(r.warnings[0]).toContain('文字识别');
    expect(r.title).toMatch(/2024年政府信息公开工作年度报告$/);
    expect(r.sections).toEqual(['一', '二', '三', '四', '五', '六']);
    const read = Object.keys(r.evidence).filter((k) => k in seed003.values);
    expect(read.length).toBeGreaterThan(50);
    for (const k of read) expect(r.evidence[k]!.confidence).toBeLessThan(1);
    expect(r.values['s2.licensing.decisions']).toBe(74833);
    expect(r.evidence['s2.licensing.decisions']).toMatchObject({ page: 2 });
    expect(r.values['s2.fees.amount']).toBe(2561.768);
    // at least 99% of the 200 figures right (199 measured); a cell OCR doubts makes its
    // table doubtful, so its checks are not run
    const right = Object.keys(seed003.values).filter((k) => r.values[k] === seed003.values[k]);
    expect(right.length).toBeGreaterThanOrEqual(198);
    expect(r.warnings).toContain('表 s3 读取存疑，依赖该表的检查不予执行');
    const confidentlyWrong = read.filter((k) => r.values[k] !== seed003.values[k] && (r.evidence[k]!.confidence ?? 1) >= 0.6);
    expect(confidentlyWrong).toEqual([]);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const pub = checkPublication({ agency: '郏县人民政府', year: 2024, deadline: '2025-03-31', report: r, versions: [] }, 'x');
    expect(pub.findings.map((f) => f.rule)).toContain('PUB.IMAGE_ONLY');
  }, 120_000);

  it('reads a phone photo of the § 三 page without a confident misread', async () => {
    const r = await readDocument({ bytes: doc('003-photo.jpg') });
    expect(r.source.mediaType).toBe('image/jpeg');
    // the photo holds § 三 down to （四）2: 16 rows of 7 figures
    const read = Object.keys(r.evidence).filter((k) => k.startsWith('s3.') && k in seed003.values);
    expect(read.length).toBeGreaterThanOrEqual(98);
    expect(read.filter((k) => r.values[k] === seed003.values[k]).length).toBeGreaterThanOrEqual(97);
    const confidentlyWrong = read.filter((k) => r.values[k] !== seed003.values[k] && (r.evidence[k]!.confidence ?? 1) >= 0.6);
    expect(confidentlyWrong).toEqual([]);
  }, 60_000);
});

describe('bad documents end with a clear reason', () => {
  it('refuses an encrypted PDF', async () => {
    const e = await refusal(readDocument({ bytes: doc('003-encrypted.pdf') }));
    expect(e.code).toBe('encrypted');
    expect(e.message).toContain('加密');
  });

  it('refuses a corrupt PDF, and one cut short without throwing anything else', async () => {
    const garbage = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 0x41)]);
    expect((await refusal(readDocument({ bytes: garbage }))).code).toBe('malformed');
    const cut = doc('003.pdf').subarray(0, 30_000);
    await readDocument({ bytes: cut }).then(
      (r) => expect(r.status).toBeDefined(),
      (e: unknown) => expect(e).toBeInstanceOf(UnreadableDocumentError),
    );
  });

  it('refuses a PDF of 500 pages at once', async () => {
    const kids = Array.from({ length: 500 }, (_, i) => `${i + 3} 0 R`).join(' ');
    const pages = Array.from({ length: 500 }, (_, i) => `${i + 3} 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>> endobj`).join('\n');
    const pdf = `%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[${kids}]/Count 500>> endobj\n${pages}\ntrailer <</Root 1 0 R>>\n%%EOF`;
    const e = await refusal(readDocument({ bytes: Buffer.from(pdf) }));
    expect(e.code).toBe('too_large');
    expect(e.message).toContain('500 页');
  });

  it('stops inflating a DOCX zip bomb', async () => {
    const parts: Uint8Array[] = [];
    const zip = new Zip((err, chunk) => {
      if (err) throw err;
      parts.push(chunk);
    });
    const xml = new ZipDeflate('word/document.xml', { level: 1 });
    zip.add(xml);
    const zeros = new Uint8Array(8 << 20);
    for (let i = 0; i < 32; i++) xml.push(zeros, i === 31);
    zip.end();
    const bomb = Buffer.concat(parts);
    expect(bomb.length).toBeLessThan(1 << 20);
    const e = await refusal(readDocument({ bytes: bomb }));
    expect(e.code).toBe('too_large');
    // the streaming DOCX reader stops at the body's size, the unzip bound at the archive's
    expect(e.message).toMatch(/压缩炸弹|解压后超过/);
  });

  it('refuses a 100 MB image before decoding it, and an image of too many pixels', async () => {
    const big = Buffer.alloc(100 << 20);
    big.set([0x89, 0x50, 0x4e, 0x47], 0);
    expect((await refusal(readDocument({ bytes: big }))).code).toBe('too_large');
    const huge = await sharp({ create: { width: 12_000, height: 8_000, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const e = await refusal(readDocument({ bytes: huge }));
    expect(e.code).toBe('too_large');
    expect(e.message).toContain('像素');
  });

  it('refuses an OLE file that is not a Word document, and an OFD that is only images', async () => {
    const ole = Buffer.alloc(2048);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
    expect((await refusal(readDocument({ bytes: ole }))).message).toContain('不是 Word 文档');
    const scan = writeOfd([{ texts: [], cells: [], images: 1 }]);
    const e = await refusal(readDocument({ bytes: scan }));
    expect(e.code).toBe('unsupported_form');
    expect(e.message).toContain('OFD 文件没有文字层');
  });
});

describe('a page that only links to the report', () => {
  const page = (body: string) =>
    Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="郏县人民政府2024年政府信息公开工作年度报告"><meta name="PubDate" content="2025-01-20 10:31"></head>
<body><div class="nav"><a href="/">首页</a><img src="/images/logo.png"></div><div class="TRS_Editor"><p>详见附件。</p>${body}</div></body></html>`);
  const files: Record<string, string> = {
    'https://example.jiaxian.gov.cn/zwgk/P020250120375309063825.pdf': '003.pdf',
    'https://example.jiaxian.gov.cn/zwgk/P020250120375739523059.doc': '003.doc',
    'https://example.jiaxian.gov.cn/zwgk/W020250120.jpg': '003-photo.jpg',
  };
  const fetched: string[] = [];
  const resolve = async (url: string) => {
    fetched.push(url);
    return files[url] ? doc(files[url]!) : null;
  };
  const url = 'https://example.jiaxian.gov.cn/zwgk/t20250120_123.html';

  it('reads the report from the attachment, keeping the page it came from', async () => {
    const bytes = page('<p class="insertfileTag">附件：<a appendix="true" href="./P020250120375309063825.pdf" title="郏县人民政府2024年政府信息公开工作年度报告.pdf">附件1</a></p>');
    expect((await readDocument({ bytes, url })).status).toBe('not_report');
    const r = await readDocument({ bytes, url }, { resolve });
    expect(r.status).toBe('report');
    expect(r.source).toMatchObject({ url: 'https://example.jiaxian.gov.cn/zwgk/P020250120375309063825.pdf', via: url, mediaType: 'application/pdf', publishedAt: '2025-01-20 10:31' });
    expect(wrongCells(r.values, seed003.values)).toEqual([]);
    expect(r.warnings[0]).toContain('报告取自附件“郏县人民政府2024年政府信息公开工作年度报告.pdf”');
    expect(fetched).not.toContain('https://example.jiaxian.gov.cn/images/logo.png');
  });

  it('finds an attachment written by a script, and goes past one that cannot be fetched', async () => {
    const bytes = page(`<p><a href="./P0missing.pdf">年报.pdf</a></p><script>var rel_appendix = '<a href="./P020250120375739523059.doc">下载文字版</a>';</script>`);
    const r = await readDocument({ bytes, url }, { resolve });
    expect(r.source.mediaType).toBe('application/msword');
    expect(wrongCells(r.values, seed003.values)).toEqual([]);
    expect(r.warnings).toContain('附件“年报.pdf”无法获取');
  });

  it('reads a page whose report is pictures by OCR', async () => {
    const r = await readDocument({ bytes: page('<p><img src="W020250120.jpg"></p>'), url }, { resolve });
    expect(r.warnings[0]).toBe('网页正文是图片（1 张），内容由文字识别（OCR）读取');
    expect(r.values['s3.new.total']).toBe(36);
    expect(r.evidence['s3.new.total']!.confidence).toBeLessThan(1);
  }, 60_000);
});

describe('nianjian parse', () => {
  it('reads a saved page from the attachment saved beside it, and never goes online', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianjian-parse-'));
    try {
      copyFileSync(new URL('./fixtures/documents/003.docx', import.meta.url), join(dir, 'P020250120.docx'));
      writeFileSync(join(dir, 'page.html'), '<html><body><p>详见附件</p><a href="./P020250120.docx">年度报告.docx</a><a href="https://example.gov.cn/x.pdf">x.pdf</a></body></html>');
      const r = await parseFile(join(dir, 'page.html'));
      expect(r.status).toBe('report');
      expect(r.source.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(r.values['s3.total.total']).toBe(36);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A one-page PDF of drawn rules and Helvetica text runs: `draw` is its content stream. */
function drawnPdf(draw: string): Buffer {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  return minimalPdf(objs);
}

describe('found by a review of the readers', () => {
  it('places text on a cropped, turned page where the page the reviewer sees shows it', async () => {
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    for (const rotate of [0, 90, 180, 270]) {
      // drawn turned against the page's /Rotate, as landscape tables are, so that it reads upright
      const [c, s] = [Math.round(Math.cos((rotate * Math.PI) / 180)), Math.round(Math.sin((rotate * Math.PI) / 180))];
      const draw = `BT /F1 20 Tf ${c} ${s} ${-s} ${c} 300 400 Tm (HELLO) Tj ET`;
      const bytes = minimalPdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /CropBox [40 60 560 800] /Rotate ${rotate} /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>`,
        `<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`,
        '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      ]);
      const [line] = (await pdfToLines(bytes)).lines;
      expect(line!.cells.map((cell) => cell.text)).toEqual(['HELLO']);
      const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
      const vp = (await doc.getPage(1)).getViewport({ scale: 1 });
      // where the text starts on its baseline and where it ends 60 pt on, as pdfjs draws the page
      const ends = [vp.convertToViewportPoint(300, 400), vp.convertToViewportPoint(300 + 60 * c, 400 + 60 * s)] as Array<[number, number]>;
      await doc.destroy();
      const box = line!.cells[0]!.pos.box!;
      const inside = ends.map(([x, y]) => x >= box[0] - 1 && x <= box[2] + 1 && y >= box[1] - 1 && y <= box[3] + 1);
      expect({ rotate, inside }).toEqual({ rotate, inside: [true, true] });
    }
  });

  it('gives each row its own label when the rules between numbered labels did not show', async () => {
    // three rows; in the label column the rules between them are missing, so its cell spans all three
    const rules = '0.5 w 50 700 m 200 700 l S 150 720 m 200 720 l S 150 740 m 200 740 l S 50 760 m 200 760 l S 50 700 m 50 760 l S 150 700 m 150 760 l S 200 700 m 200 760 l S';
    const text = (y: number, t: string) => `BT /F1 9 Tf 55 ${y} Td (${t}) Tj ET`;
    const values = [745, 725, 705].map((y, i) => `BT /F1 9 Tf 170 ${y} Td (${i + 1}) Tj ET`).join(' ');
    const labels = `${text(745, '5.inner')} ${text(725, '6.process')} ${text(705, '7.enforce')}`;
    expect(await readDocumentText({ bytes: drawnPdf(`${rules} ${labels} ${values}`) })).toBe('5.inner\t1\n6.process\t2\n7.enforce\t3');
    // a label that truly spans the rows keeps its span
    const group = await readDocumentText({ bytes: drawnPdf(`${rules} ${text(725, 'group')} ${values}`) });
    expect(group.split('\n')).toHaveLength(3);
    expect(group.split('\n')[0]).toBe('group\t1');
  });

  it('cuts a text run that crosses a rule: "3" against "10" is two cells, not 310', async () => {
    // a row of two cells split at x = 100; "310" set as one run from x = 95 (Helvetica digits are 5 pt at 9 pt)
    const rules = '0.5 w 50 700 m 200 700 l S 50 720 m 200 720 l S 50 700 m 50 720 l S 100 700 m 100 720 l S 200 700 m 200 720 l S';
    const text = await readDocumentText({ bytes: drawnPdf(`${rules} BT /F1 9 Tf 95 705 Td (310) Tj ET`) });
    expect(text).toBe('3\t10');
  });

  it('treats a table drawn as one big path as rules, not as a background', async () => {
    const path = '0.5 w 50 600 m 550 600 l 50 700 m 550 700 l 50 800 m 550 800 l 50 600 m 50 800 l 300 600 m 300 800 l 550 600 m 550 800 l S';
    const text = await readDocumentText({ bytes: drawnPdf(`${path} BT /F1 9 Tf 60 750 Td (A) Tj ET BT /F1 9 Tf 310 750 Td (12) Tj ET BT /F1 9 Tf 60 650 Td (B) Tj ET BT /F1 9 Tf 310 650 Td (34) Tj ET`) });
    expect(text).toBe('A\t12\nB\t34');
  });

  it('ignores a frame round the page: a one-cell grid is no table', async () => {
    const frame = '0.5 w 30 30 m 565 30 l 565 812 l 30 812 l h S';
    const text = await readDocumentText({ bytes: drawnPdf(`${frame} BT /F1 9 Tf 60 750 Td (first line) Tj ET BT /F1 9 Tf 60 700 Td (second line) Tj ET`) });
    expect(text).toBe('first line\nsecond line');
  });

  it('survives a DOC whose sector chain loops: a clear reason, the process unharmed', async () => {
    const b = Buffer.from(doc('003.doc'));
    const secSize = 1 << b.readUInt16LE(0x1e);
    const dirStart = b.readInt32LE(0x30);
    const fatAt = (i: number) => 512 + b.readInt32LE(0x4c) * secSize + i * 4;
    const other = dirStart === 1 ? 2 : 1;
    b.writeInt32LE(other, fatAt(dirStart));
    b.writeInt32LE(dirStart, fatAt(other));
    const e = await refusal(readDocument({ bytes: b }));
    expect(e.code).toBe('malformed');
    expect(e.message).toContain('DOC 文档损坏');
  }, 60_000);

  it('refuses a long screenshot rather than blowing it up to page width', async () => {
    const tall = await sharp({ create: { width: 600, height: 40_000, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const e = await refusal(readDocument({ bytes: tall }));
    expect(e.code).toBe('too_large');
    expect(e.message).toContain('图片过长');
  });

  it('never hands a link outside the web to resolve, and puts the page’s own attachment first', async () => {
    const asked: string[] = [];
    const html = Buffer.from(`<html><body><div class="sidebar"><a href="/zwgk/2024/P0202401.pdf">郏县人民政府2023年政府信息公开工作年度报告.pdf</a></div>
<div class="TRS_Editor"><p>详见附件</p><a href="./P0202501.pdf">附件1.pdf</a><a href="file:///etc/passwd.pdf">x.pdf</a><a href="java\tscript:alert(1)//.pdf">y.pdf</a></div></body></html>`);
    await readDocument({ bytes: html, url: 'https://example.gov.cn/zwgk/2025/t1.html' }, { ocr: false, resolve: async (u) => (asked.push(u), null) });
    expect(asked).toEqual(['https://example.gov.cn/zwgk/2025/P0202501.pdf', 'https://example.gov.cn/zwgk/2024/P0202401.pdf']);
  });
});
