// PDF into lines: the text layer with positions and the ruling lines of the page's drawing
// (PDFium, ./pdfium.ts), tables rebuilt as grids bounded by those rules, running headers and
// footers dropped. Pages that are only an image (scans) are rendered by pdfjs and read by OCR;
// pdfjs also draws the pages a reviewer sees beside the figures.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UnreadableDocumentError } from '../decode.js';
import type { Line } from '../types.js';
import { findGrids, joinPages, pageLines, type PageLines } from './geometry.js';
import { inkOfColour, type Ocr } from './ocr.js';
import { IDENTITY, multiply, openLayer, type Matrix } from './pdfium.js';

const PDFJS_DIR = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
/** A report is a few dozen pages; collections of hundreds are refused, not half-read. */
export const MAX_PDF_PAGES = 300;
/** Pages read by OCR in one document (about 5 s each on one core). */
export const MAX_OCR_PAGES = 40;
const OCR_DPI = 300;
/** A scanner's text layer: a machine's reading, trusted enough to check, never as printed. */
const OCR_LAYER = 0.9;
/** Pixels a page is rendered at for OCR, at most (A4 at 300 dpi is 8.7 million). */
const MAX_RENDER_PIXELS = 40_000_000;
/** Bounds on one page's work: text items, and drawn segments considered as table rules. */
const MAX_PAGE_ITEMS = 50_000;
const MAX_PAGE_RULES = 20_000;
/** Text characters below which a page holding an image is taken to be a scan. */
const SCAN_TEXT = 20;

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<Pdfjs> | null = null;
const loadPdfjs = () => (pdfjs ??= loadBoth());

/**
 * pdfjs and its in-process worker, loaded once. The legacy build's core-js replaces
 * Array.prototype.push, for the whole process, with a JavaScript version (V8 fails a spec
 * corner about lengths over 2³²) that cost a tenth of the time spent reading a PDF; the
 * engine's own is put back once both halves are loaded.
 */
async function loadBoth(): Promise<Pdfjs> {
  const push = Array.prototype.push;
  const lib = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdfjs uses a worker found here instead of importing its own when the first document opens
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
  Array.prototype.push = push;
  return lib;
}

export interface PdfLines {
  lines: Line[];
  pages: number;
  ocrPages: number[];
  warnings: string[];
}

export interface PdfOptions {
  /** OCR for pages that are images; without it such pages are reported and skipped */
  ocr?: () => Promise<Ocr>;
  /** epoch ms after which reading stops with a clear error */
  deadline?: number;
}

function pdfError(e: unknown): UnreadableDocumentError {
  const name = (e as { name?: string }).name;
  if (name === 'PasswordException') return new UnreadableDocumentError('encrypted', 'PDF 已加密（需要密码才能打开），无法读取');
  if (name === 'InvalidPDFException' || name === 'FormatError' || name === 'UnknownErrorException') {
    return new UnreadableDocumentError('malformed', `PDF 文件已损坏或格式不正确（${(e as Error).message}）`);
  }
  return new UnreadableDocumentError('malformed', `PDF 无法读取（${(e as Error).message ?? String(e)}）`);
}

async function openPdf(bytes: Uint8Array) {
  const { getDocument } = await loadPdfjs();
  const task = getDocument({
    data: new Uint8Array(bytes),
    cMapUrl: join(PDFJS_DIR, 'cmaps') + '/',
    cMapPacked: true,
    standardFontDataUrl: join(PDFJS_DIR, 'standard_fonts') + '/',
    isEvalSupported: false,
    disableFontFace: true,
    // images beyond this are not decoded (a scan of a report page is a few million pixels)
    maxImageSize: 80_000_000,
    verbosity: 0,
  });
  try {
    return await task.promise;
  } catch (e) {
    await task.destroy();
    throw pdfError(e);
  }
}

export async function pdfToLines(bytes: Uint8Array, opts: PdfOptions = {}): Promise<PdfLines> {
  const doc = await openLayer(bytes);
  const warnings: string[] = [];
  const ocrPages: number[] = [];
  let ocr: Ocr | null = null;
  let pictures: Awaited<ReturnType<typeof openPdf>> | null = null;
  try {
    if (doc.pages > MAX_PDF_PAGES) {
      throw new UnreadableDocumentError('too_large', `PDF 共 ${doc.pages} 页，超过上限 ${MAX_PDF_PAGES} 页，不像单份年度报告`);
    }
    const pages: PageLines[] = [];
    let tables = 0;
    for (let n = 1; n <= doc.pages; n++) {
      if (opts.deadline && Date.now() > opts.deadline) throw new UnreadableDocumentError('timeout', `读取 PDF 超时（已读 ${n - 1}/${doc.pages} 页）`);
      const { width, height, items, chars, h, v, rulesOver, shown, biggestImage } = doc.page(n, { maxItems: MAX_PAGE_ITEMS, maxRules: MAX_PAGE_RULES });
      // a page that is a picture: little text and an image over most of it (a seal or a logo is not)
      const picture = biggestImage >= (width * height) / 2;

      if (chars < SCAN_TEXT && picture) {
        if (!opts.ocr) {
          warnings.push(`第 ${n} 页是图像，未做文字识别`);
          continue;
        }
        if (ocrPages.length >= MAX_OCR_PAGES) throw new UnreadableDocumentError('too_large', `图像页超过 ${MAX_OCR_PAGES} 页，未全部识别`);
        ocr ??= await opts.ocr();
        pictures ??= await openPdf(bytes);
        const read = await readPicture(pictures, n, ocr, tables + 1, opts.deadline);
        tables += read.tables;
        ocrPages.push(n);
        pages.push(read.page);
        continue;
      }
      if (items.length > MAX_PAGE_ITEMS) {
        warnings.push(`第 ${n} 页文字块过多（超过 ${MAX_PAGE_ITEMS} 个），只读取前 ${MAX_PAGE_ITEMS} 个`);
        items.length = MAX_PAGE_ITEMS;
      }
      // real tables draw a few hundred rules; a page of tens of thousands is a drawing, not a table
      if (rulesOver !== null) warnings.push(`第 ${n} 页线条过多（超过 ${MAX_PAGE_RULES} 条），不按表格读取`);
      const grids = rulesOver === null ? findGrids(h, v, 2) : [];
      // text drawn invisibly over a picture is a scanner's OCR layer: read, not printed
      if (picture && shown.invisible > shown.visible) {
        for (const it of items) it.confidence = OCR_LAYER;
        warnings.push(`第 ${n} 页是带识别文字层的扫描图像，文字层不是原件印刷内容，数值需对照图像核对`);
      }
      const read = pageLines({ page: n, height, items, grids, continued: pages[pages.length - 1]?.columns }, tables + 1);
      pages.push(read);
      tables += read.tables;
    }
    const { lines } = joinPages(pages);
    if (ocrPages.length) warnings.push(`第 ${ocrPages.join('、')} 页是图像，内容由文字识别（OCR）读取`);
    return { lines, pages: doc.pages, ocrPages, warnings };
  } finally {
    doc.close();
    await ocr?.close();
    await pictures?.destroy();
  }
}

/**
 * A page that is a picture, read by OCR: the scan's own pixels where the page is that picture,
 * upright and filling it; a rendering (which resamples them) where it is turned, placed or not decoded.
 */
async function readPicture(doc: Awaited<ReturnType<typeof openPdf>>, n: number, ocr: Ocr, firstTable: number, deadline?: number) {
  const { OPS } = await loadPdfjs();
  const IMAGE = new Set([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject]);
  let page;
  let ops;
  try {
    page = await doc.getPage(n);
    ops = await page.getOperatorList();
  } catch (e) {
    const err = pdfError(e);
    throw new UnreadableDocumentError(err.code, `第 ${n} 页：${err.message}`);
  }
  const vp = page.getViewport({ scale: 1 });
  let biggest: { id: string; area: number; ctm: Matrix } | null = null;
  let ctm: Matrix = IDENTITY;
  const saved: Matrix[] = [];
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i]!;
    const args = ops.argsArray[i] as unknown[];
    if (fn === OPS.save) saved.push(ctm);
    else if (fn === OPS.restore) ctm = saved.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
    // a form draws in its own space: its /Matrix applies until it ends
    else if (fn === OPS.paintFormXObjectBegin) {
      saved.push(ctm);
      const m = args[0] as ArrayLike<number> | null;
      if (m && m.length === 6) ctm = multiply(ctm, Array.from(m) as Matrix);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = saved.pop() ?? ctm;
    else if (IMAGE.has(fn)) {
      // the unit square the image fills, in page units
      const covered = Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]);
      const [id] = args as [unknown];
      if (typeof id === 'string' && (!biggest || covered > biggest.area)) biggest = { id, area: covered, ctm };
    }
  }
  const upright = biggest !== null && biggest.ctm[1] === 0 && biggest.ctm[2] === 0 && biggest.ctm[0] > 0 && biggest.ctm[3] > 0 && (page.rotate ?? 0) % 360 === 0;
  const fills = upright && biggest!.area >= vp.width * vp.height * 0.9;
  const image = (fills ? scanImage(page, biggest!.id) : null) ?? (await renderPage(page, OCR_DPI));
  const read = await ocr.read(image, { page: n, scale: vp.width / image.width, firstTable, deadline });
  page.cleanup();
  return read;
}

export interface GrayImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** The page's biggest image as grey pixels, when pdfjs has decoded it to plain samples. */
function scanImage(page: import('pdfjs-dist/legacy/build/pdf.mjs').PDFPageProxy, id: string): GrayImage | null {
  let img: { width: number; height: number; kind: number; data?: Uint8Array | Uint8ClampedArray } | undefined;
  try {
    img = page.objs.get(id);
  } catch {
    return null;
  }
  if (!img?.data || img.width < 600) return null;
  // pdfjs ImageKind: 1 one bit per pixel, 2 RGB, 3 RGBA; a colour scan loses its red seal on the way to grey
  if (img.kind === 2 || img.kind === 3) return inkOfColour(img.data, img.width, img.height, img.kind === 2 ? 3 : 4);
  if (img.kind !== 1) return null;
  const gray = new Uint8Array(img.width * img.height);
  const row = Math.ceil(img.width / 8);
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) gray[y * img.width + x] = img.data[y * row + (x >> 3)]! & (0x80 >> (x & 7)) ? 255 : 0;
  return { data: gray, width: img.width, height: img.height };
}

async function renderPage(page: import('pdfjs-dist/legacy/build/pdf.mjs').PDFPageProxy, dpi: number): Promise<GrayImage> {
  try {
    return await render(page, dpi);
  } catch (e) {
    throw new UnreadableDocumentError('malformed', `第 ${page.pageNumber} 页无法绘制为图像（${(e as Error).message ?? String(e)}）`);
  }
}

/**
 * One page as a PNG at `scale` pixels per point, for a reviewer to see beside the figures
 * read from it (evidence boxes are in points, so they scale the same way).
 */
export async function renderPdfPage(bytes: Uint8Array, pageNumber: number, scale: number): Promise<{ png: Uint8Array; pages: number }> {
  const doc = await openPdf(bytes);
  try {
    if (pageNumber > doc.numPages) throw new UnreadableDocumentError('malformed', `PDF 只有 ${doc.numPages} 页`);
    const page = await doc.getPage(pageNumber).catch((e: unknown) => {
      throw pdfError(e);
    });
    const { canvas } = await paint(page, scale * 72);
    return { png: new Uint8Array(await canvas.encode('png')), pages: doc.numPages };
  } finally {
    await doc.destroy();
  }
}

async function paint(page: import('pdfjs-dist/legacy/build/pdf.mjs').PDFPageProxy, dpi: number) {
  const { createCanvas } = await import('@napi-rs/canvas');
  const unit = page.getViewport({ scale: 1 });
  // a huge page box is drawn smaller rather than into gigabytes
  const scale = Math.min(dpi / 72, Math.sqrt(MAX_RENDER_PIXELS / (unit.width * unit.height)));
  const vp = page.getViewport({ scale });
  const canvas = createCanvas(Math.ceil(vp.width), Math.ceil(vp.height));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: ctx as unknown as CanvasRenderingContext2D, viewport: vp }).promise;
  return { canvas, ctx };
}

async function render(page: import('pdfjs-dist/legacy/build/pdf.mjs').PDFPageProxy, dpi: number): Promise<GrayImage> {
  const { canvas, ctx } = await paint(page, dpi);
  return inkOfColour(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height, 4);
}
