// Any document form in, the canonical report out. The form is recognised by its bytes,
// never by its name: PDF (text layer as geometry, image pages by OCR), DOCX, DOC and WPS,
// OFD, images by OCR, and text or HTML. Every extractor hands `Line`s to the same reader.
import { decodeText, looksLikeHtml, MAX_BYTES, UnreadableDocumentError } from './decode.js';
import { ofdToLines } from './extract/ofd.js';
import { joinPages, type PageLines } from './extract/geometry.js';
import { pageLinks } from './extract/links.js';
import { imagePage, imageToLines, MAX_IMAGE_PIXELS, openOcr, type Ocr } from './extract/ocr.js';
import { pdfToLines, renderPdfPage } from './extract/pdf.js';
import { docToLines, docxToLines } from './extract/word.js';
import { readZip, zipNames } from './extract/zip.js';
import { documentText, parseDocument, parseLines, printLines, sha256 } from './report.js';
import type { DocumentInput, DocumentMeta, Line, ParsedReport } from './types.js';

export type Form = 'pdf' | 'docx' | 'ofd' | 'zip' | 'doc' | 'ole' | 'image' | 'text';

const MEDIA: Record<Exclude<Form, 'text' | 'image' | 'zip' | 'ole'>, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  ofd: 'application/ofd',
};

const has = (b: Uint8Array, sig: number[], at = 0) => sig.every((x, i) => b[at + i] === x);

/** UTF-16LE stream name in an OLE compound file's directory. */
function oleHas(bytes: Uint8Array, name: string): boolean {
  const needle = Buffer.from(name, 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf(needle) >= 0;
}

export function sniff(bytes: Uint8Array): { form: Form; mediaType?: string } {
  // a PDF may carry junk before its header (some CMSes prepend a BOM or whitespace)
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  const at = head.indexOf('%PDF-');
  // junk before the header, but not a page that merely mentions it
  if (at >= 0 && !head.slice(0, at).includes('<')) return { form: 'pdf', mediaType: MEDIA.pdf };
  if (has(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    let names: string[];
    try {
      names = zipNames(bytes);
    } catch {
      // a damaged or hostile archive: the reader says why when it is opened
      return { form: 'zip', mediaType: 'application/zip' };
    }
    if (names.includes('word/document.xml')) return { form: 'docx', mediaType: MEDIA.docx };
    if (names.some((n) => /(^|\/)OFD\.xml$/i.test(n))) return { form: 'ofd', mediaType: MEDIA.ofd };
    return { form: 'zip', mediaType: 'application/zip' };
  }
  if (has(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return oleHas(bytes, 'WordDocument') ? { form: 'doc', mediaType: MEDIA.doc } : { form: 'ole' };
  }
  if (has(bytes, [0x89, 0x50, 0x4e, 0x47])) return { form: 'image', mediaType: 'image/png' };
  if (has(bytes, [0xff, 0xd8, 0xff])) return { form: 'image', mediaType: 'image/jpeg' };
  if (has(bytes, [0x47, 0x49, 0x46, 0x38])) return { form: 'image', mediaType: 'image/gif' };
  if (has(bytes, [0x42, 0x4d]) && bytes.length > 26) return { form: 'image', mediaType: 'image/bmp' };
  if (has(bytes, [0x49, 0x49, 0x2a, 0x00]) || has(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return { form: 'image', mediaType: 'image/tiff' };
  if (has(bytes, [0x52, 0x49, 0x46, 0x46]) && has(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return { form: 'image', mediaType: 'image/webp' };
  return { form: 'text' };
}

export interface ReadOptions {
  /** read images and image-only PDF pages by OCR (default true) */
  ocr?: boolean;
  /** reading stops with a clear error after this many ms (default 10 minutes, OCR included) */
  timeoutMs?: number;
  /**
   * Fetches what a page links to. A page without the report ("详见附件", or the report as
   * pictures) is then read from its attachment or its images; without it links are not followed.
   */
  resolve?: (url: string) => Promise<Uint8Array | null>;
}

/** Attachments tried, and pictures read, for one page. */
const MAX_ATTACHMENTS = 5;
const MAX_IMAGES = 30;

const DEFAULT_TIMEOUT = 10 * 60_000;

interface Extracted {
  lines: Line[];
  mediaType: string;
  warnings: string[];
}

/** Lines of a document that is not text or HTML; `null` for those, which the text reader takes. */
async function extract(input: DocumentInput, opts: ReadOptions): Promise<Extracted | null> {
  const { bytes } = input;
  if (bytes.length > MAX_BYTES) {
    throw new UnreadableDocumentError('too_large', `文件过大（${(bytes.length / 1048576).toFixed(1)} MB，上限 ${MAX_BYTES / 1048576} MB）`);
  }
  const { form, mediaType } = sniff(bytes);
  const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT);
  const ocr = opts.ocr === false ? undefined : () => openOcr();
  switch (form) {
    case 'text':
      return null;
    case 'pdf': {
      const r = await pdfToLines(bytes, { ocr, deadline });
      return { lines: r.lines, mediaType: mediaType!, warnings: r.warnings };
    }
    case 'docx':
      return { ...(await docxToLines(bytes)), mediaType: mediaType! };
    case 'doc': {
      const wps = /wps/i.test(`${input.file ?? ''} ${input.url ?? ''} ${input.mediaType ?? ''}`);
      return { ...(await docToLines(bytes, wps ? 'WPS' : 'DOC')), mediaType: wps ? 'application/vnd.ms-works' : mediaType! };
    }
    case 'ole':
      throw new UnreadableDocumentError('unsupported_form', '这是 OLE 复合文档，但不是 Word 文档（可能是旧版 WPS、Excel 或 PowerPoint 文件），请另存为 DOCX 或 PDF');
    case 'ofd':
      return { ...ofdToLines(bytes, deadline), mediaType: mediaType! };
    case 'zip':
      readZip(bytes); // a damaged or hostile archive fails here with its own reason
      throw new UnreadableDocumentError('unsupported_form', '这是 ZIP 压缩包，不是可读取的文档（DOCX、OFD）');
    case 'image': {
      if (!ocr) throw new UnreadableDocumentError('unsupported_form', '这是图片，未启用文字识别（OCR）');
      let engine: Ocr | null = null;
      try {
        engine = await ocr();
        const lines = await imageToLines(engine, bytes, deadline);
        return { lines, mediaType: mediaType!, warnings: ['文档是图片，内容由文字识别（OCR）读取'] };
      } finally {
        await engine?.close();
      }
    }
  }
}

function metaOf(input: DocumentInput, mediaType: string): DocumentMeta {
  return { file: input.file, url: input.url, pageTitle: input.pageTitle, publishedAt: input.publishedAt, mediaType, sha256: sha256(input.bytes) };
}

/**
 * Reads a document of any supported form. Throws UnreadableDocumentError with a reason a
 * reviewer can read (encrypted, corrupt, too large, unsupported, timed out).
 */
export async function readDocument(input: DocumentInput, opts: ReadOptions = {}): Promise<ParsedReport> {
  const x = await extract(input, opts);
  return x ? readLines(input, x) : finish(input, opts);
}

/** A text or HTML document's report; a page without one is read from what it links to. */
async function finish(input: DocumentInput, opts: ReadOptions): Promise<ParsedReport> {
  const report = parseDocument(input);
  if (report.status !== 'not_report' || !opts.resolve) return report;
  const html = decodeText(input.bytes);
  if (!looksLikeHtml(html, input.mediaType)) return report;
  const refused: UnreadableDocumentError[] = [];
  const linked = await fromLinks(input, html, report, opts, refused);
  if (linked) return linked;
  // the page names its report as an attachment nobody can read: that is why, not "no report"
  if (refused.length) throw new UnreadableDocumentError(refused[0]!.code, refused.map((e) => e.message).join('；'));
  return report;
}

function readLines(input: DocumentInput, x: Extracted): ParsedReport {
  if (!x.lines.some((l) => l.cells.some((c) => c.text.trim()))) {
    throw new UnreadableDocumentError('empty', '文档中没有读到任何文字（可能是空白页或无法识别的图像）');
  }
  const report = parseLines({ lines: x.lines, meta: metaOf(input, x.mediaType), titleHints: [input.pageTitle] });
  report.warnings.unshift(...x.warnings);
  return report;
}

/**
 * The report a page only links to: its attachments in turn (the one named as the report
 * first), then its pictures read by OCR as the pages of one document.
 */
async function fromLinks(page: DocumentInput, html: string, pageReport: ParsedReport, opts: ReadOptions, refused: UnreadableDocumentError[]): Promise<ParsedReport | null> {
  const resolve = opts.resolve!;
  const { attachments, images } = pageLinks(html, page.url);
  const via = page.url ?? page.file;
  const notes: string[] = [];
  const fetch = (url: string) => resolve(url).catch(() => null);
  const around = { pageTitle: page.pageTitle ?? pageReport.title ?? undefined, publishedAt: pageReport.source.publishedAt };
  // one deadline for the page and everything it links to
  const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT);
  const inTime = () => {
    if (Date.now() > deadline) throw new UnreadableDocumentError('timeout', `读取网页及其附件超时（${(opts.timeoutMs ?? DEFAULT_TIMEOUT) / 1000} 秒）`);
    return deadline - Date.now();
  };
  for (const a of attachments.slice(0, MAX_ATTACHMENTS)) {
    inTime();
    const bytes = await fetch(a.url);
    if (!bytes) {
      notes.push(`附件“${a.name || a.url}”无法获取`);
      continue;
    }
    try {
      const r = await readDocument({ bytes, url: a.url, file: a.name || undefined, ...around }, { ...opts, resolve: undefined, timeoutMs: inTime() });
      if (r.status === 'not_report') continue;
      r.source.via = via;
      r.warnings.unshift(`网页正文没有报告，报告取自附件“${a.name || a.url}”`, ...notes);
      return r;
    } catch (e) {
      if (!(e instanceof UnreadableDocumentError)) throw e;
      notes.push(`附件“${a.name || a.url}”无法读取：${e.message}`);
      refused.push(new UnreadableDocumentError(e.code, notes[notes.length - 1]!));
    }
  }
  if (!images.length || opts.ocr === false) return null;
  const pages: PageLines[] = [];
  const pictures: string[] = [];
  let ocr: Ocr | null = null;
  let tables = 0;
  try {
    for (const url of images.slice(0, MAX_IMAGES)) {
      inTime();
      const bytes = await fetch(url);
      if (!bytes || sniff(bytes).form !== 'image') continue;
      ocr ??= await openOcr();
      try {
        const read = await imagePage(ocr, bytes, { page: pages.length + 1, firstTable: tables + 1, deadline });
        tables += read.tables;
        pages.push(read.page);
        pictures.push(url);
      } catch (e) {
        if (!(e instanceof UnreadableDocumentError) || e.code === 'timeout') throw e;
        // an icon or a broken picture among the report's pages
      }
    }
  } finally {
    await ocr?.close();
  }
  if (!pages.length) return null;
  const r = parseLines({ lines: joinPages(pages).lines, meta: metaOf(page, 'text/html'), titleHints: [page.pageTitle, pageReport.title] });
  if (r.status === 'not_report') return null;
  r.source.via = via;
  r.source.pictures = pictures;
  r.warnings.unshift(`网页正文是图片（${pages.length} 张），内容由文字识别（OCR）读取`, ...notes);
  return r;
}

/** The report and the document as the reader saw it (`printLines`), from one reading. */
export async function readDocumentWithText(input: DocumentInput, opts: ReadOptions = {}): Promise<{ report: ParsedReport; text: string }> {
  const x = await extract(input, opts);
  if (!x) return { report: await finish(input, opts), text: documentText(input) };
  return { report: readLines(input, x), text: printLines(x.lines) };
}

/** The document as the parser saw it: one line of text per extracted line or table row. */
export async function readDocumentText(input: DocumentInput, opts: ReadOptions = {}): Promise<string> {
  const x = await extract(input, opts);
  if (!x) {
    return documentText(input);
  }
  return printLines(x.lines);
}

/** A page of a PDF at `scale` pixels per point, or a picture (page 1) turned by its EXIF orientation, as PNG. */
export async function pagePng(bytes: Uint8Array, page: number, scale: number): Promise<Uint8Array | null> {
  const form = sniff(bytes).form;
  if (form === 'pdf') return (await renderPdfPage(bytes, page, scale)).png;
  if (form !== 'image' || page !== 1) return null;
  const { default: sharp } = await import('sharp');
  try {
    return new Uint8Array(await sharp(Buffer.from(bytes), { limitInputPixels: MAX_IMAGE_PIXELS, pages: 1 }).rotate().png().toBuffer());
  } catch (e) {
    throw new UnreadableDocumentError('malformed', `图片无法显示（${(e as Error).message}）`);
  }
}
