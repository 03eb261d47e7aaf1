// Scans and photos by offline OCR (tesseract.js with the bundled chi_sim data; nothing is
// downloaded and nothing is written to disk). A page is levelled (uneven lighting divided
// out, the skew measured on the rules and turned back), its ruled tables are found in the
// pixels with the same grid builder the PDF reader uses, and every cell is recognised on
// its own: whole-page OCR of a table loses most lone digits. The rest of the page is read
// as text lines. Every cell and line carries OCR's confidence, always below 1.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UnreadableDocumentError } from '../decode.js';
import type { Line } from '../types.js';
import { nearestLabel } from './labels.js';
import { findGrids, joinPages, pageLines, type Grid, type GridCell, type HSeg, type Item, type PageLines, type VSeg } from './geometry.js';
import type { GrayImage } from './pdf.js';

const LANG_DIR = join(dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/chi_sim/package.json')), '4.0.0_best_int');
/** Pixels per page width OCR works at (A4 at 300 dpi). */
const WORK_WIDTH = 2480;
/** An image larger than this (in pixels) is refused before it is decoded. */
export const MAX_IMAGE_PIXELS = 80_000_000;
/** Pixels of one page at working width (A4 is 8.7 million; a long image is refused beyond this). */
const MAX_WORK_PIXELS = 30_000_000;
/** A report page's tables hold a few hundred cells (§ 三: about 200); each costs an OCR call. */
const MAX_CELLS = 1_000;
/** Pixel runs long enough to be rules on one page: thousands, never hundreds of thousands. */
const MAX_RULE_RUNS = 50_000;
/** OCR's confidence is a guess; a value read from pixels never counts as certain. */
const CEILING = 0.99;
const CJK_GAP = /(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])/g;

export interface Ocr {
  /** One page image: its lines, at `scale` units (e.g. PDF points) per pixel, tables numbered from `firstTable`. */
  read(image: GrayImage, at: { page: number; scale: number; firstTable: number; deadline?: number }): Promise<{ page: PageLines; tables: number }>;
  close(): Promise<void>;
}

type Sharp = typeof import('sharp').default;
const loadSharp = async (): Promise<Sharp> => (await import('sharp')).default;

export async function openOcr(): Promise<Ocr> {
  const { createWorker, OEM, PSM } = await import('tesseract.js');
  let failure: unknown = null;
  const worker = await createWorker('chi_sim', OEM.LSTM_ONLY, {
    langPath: LANG_DIR,
    cacheMethod: 'none',
    gzip: true,
    // without a handler a worker error is thrown where no caller can catch it
    errorHandler: (e: unknown) => (failure = e),
  });
  const sharp = await loadSharp();
  // debug_file: Tesseract's own chatter ("Detected N diacritics") goes to the worker's in-memory /dev/null
  const setMode = async (psm: string, dpi = 300) =>
    worker.setParameters({ tessedit_pageseg_mode: psm as never, user_defined_dpi: String(dpi), preserve_interword_spaces: '1', debug_file: '/dev/null' });

  async function recognise(img: GrayImage, psm: string, dpi?: number): Promise<{ text: string; confidence: number; lines: Item[] }> {
    await setMode(psm, dpi);
    const png = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), rawOf(img)).png({ compressionLevel: 1 }).toBuffer();
    let data: Awaited<ReturnType<typeof worker.recognize>>['data'] | undefined;
    try {
      ({ data } = await worker.recognize(png, {}, { text: true, blocks: true }));
    } catch (e) {
      // the worker rejects with strings as well as Errors
      failure ??= e;
    }
    if (failure || !data) throw new UnreadableDocumentError('malformed', `文字识别失败（${String((failure as Error)?.message ?? failure)}）`);
    const lines: Item[] = [];
    for (const b of data.blocks ?? []) {
      for (const p of b.paragraphs) {
        for (const l of p.lines) {
          const text = l.text.replace(CJK_GAP, '').replace(/\s+/g, ' ').trim();
          if (!text) continue;
          const { x0, y0, x1, y1 } = l.bbox;
          lines.push({ text, box: [x0, y0, x1, y1], size: y1 - y0, confidence: Math.min(CEILING, l.confidence / 100) });
        }
      }
    }
    return { text: data.text.replace(CJK_GAP, '').replace(/\s+/g, ' ').trim(), confidence: Math.min(CEILING, data.confidence / 100), lines };
  }

  /** Recognised words of one strip, each with the x range of its box. */
  async function words(img: GrayImage, psm: string, whitelist: string): Promise<Array<{ text: string; x: number; confidence: number }>> {
    await worker.setParameters({ tessedit_char_whitelist: whitelist });
    const png = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), rawOf(img)).png({ compressionLevel: 1 }).toBuffer();
    await setMode(psm);
    let data: Awaited<ReturnType<typeof worker.recognize>>['data'] | undefined;
    try {
      ({ data } = await worker.recognize(png, {}, { blocks: true }));
    } catch (e) {
      failure ??= e;
    } finally {
      await worker.setParameters({ tessedit_char_whitelist: '' });
    }
    if (failure || !data) throw new UnreadableDocumentError('malformed', `文字识别失败（${String((failure as Error)?.message ?? failure)}）`);
    return (data.blocks ?? []).flatMap((b) =>
      b.paragraphs.flatMap((p) => p.lines.flatMap((l) => l.words.map((w) => ({ text: w.text, x: (w.bbox.x0 + w.bbox.x1) / 2, confidence: Math.min(CEILING, w.confidence / 100) })))),
    );
  }

  /**
   * A table's cells read a row at a time: the row's one-line cells side by side on one
   * strip, far apart, each scaled to the same glyph height (one recognition per row instead
   * of one per cell). Cells of several lines (wrapped labels) are read one by one. The
   * figures are then read a second time with digits alone allowed: a figure both readings
   * agree on keeps OCR's confidence; one they disagree on, or whose digits do not match the
   * marks in the cell, is doubtful, so that a misread never passes for a printed figure.
   */
  async function readCells(marks: Map<GridCell, CellInk>): Promise<Map<GridCell, { text: string; confidence: number }>> {
    const out = new Map<GridCell, { text: string; confidence: number }>();
    if (!marks.size) return out;
    const unit = median([...marks.values()].map((m) => m.height));
    const oneLine = (m: CellInk) => m.height <= LINES * unit;
    const byRow = new Map<number, GridCell[]>();
    for (const c of [...marks.keys()].sort((a, b) => a.col - b.col)) {
      if (oneLine(marks.get(c)!)) byRow.set(c.row, [...(byRow.get(c.row) ?? []), c]);
      else {
        const r = await recognise(strip([scaleInk(marks.get(c)!, (LABEL_SIZE * TARGET) / unit)], LABEL_SIZE).img, PSM.SINGLE_BLOCK);
        // a figure is never printed over several lines: a number read there is a misread label
        // (三、本年度办理结果 set vertically)
        out.set(c, NUMBER.test(numeric(r.text)) ? { text: '', confidence: 0 } : { text: r.text, confidence: r.text ? r.confidence : 0 });
      }
    }
    const readStrips = async (rows: GridCell[][], whitelist: string, size = 1) => {
      const got = new Map<GridCell, { text: string; confidence: number }>();
      for (const row of rows) {
        const { img, spans } = strip(row.map((c) => scaleInk(marks.get(c)!, glyphScale(marks.get(c)!, unit) * size)), size);
        const ws = await words(img, PSM.SINGLE_LINE, whitelist);
        row.forEach((c, k) => {
          const [a, b] = spans[k]!;
          const mine = ws.filter((w) => w.x >= a && w.x < b);
          const text = mine.map((w) => w.text).join(' ').replace(CJK_GAP, '').replace(/\s+/g, ' ').trim();
          got.set(c, { text, confidence: mine.length ? Math.min(...mine.map((w) => w.confidence)) : 0 });
        });
      }
      return got;
    };
    for (const [c, r] of await readStrips([...byRow.values()], '', LABEL_SIZE)) out.set(c, { text: numeric(r.text), confidence: r.text ? r.confidence : 0 });
    // figures: cells read as a number, and in a column of figures any cell that is no label
    const figureCols = new Set([...out].filter(([, r]) => NUMBER.test(r.text)).map(([c]) => c.col));
    const figures = [...out.keys()].filter((c) => oneLine(marks.get(c)!) && (NUMBER.test(out.get(c)!.text) || (figureCols.has(c.col) && !LABEL.test(out.get(c)!.text))));
    const rows = new Map<number, GridCell[]>();
    for (const c of figures) rows.set(c.row, [...(rows.get(c.row) ?? []), c]);
    const digits = await readStrips([...rows.values()], '0123456789.- ');
    for (const c of figures) {
      const first = out.get(c)!;
      const again = digits.get(c)!;
      again.text = again.text.replace(/\s+/g, '');
      if (!NUMBER.test(again.text)) {
        // a figure the strip lost (a glyph broken by a light scan): read alone, larger; what
        // it gives is a guess, shown as doubtful
        const alone = NUMBER.test(first.text) || NONE.test(first.text) ? first.text : await figureAlone(marks.get(c)!, unit);
        if (NUMBER.test(alone)) out.set(c, { text: alone, confidence: Math.min(first.confidence, DISAGREE) });
        continue;
      }
      let confidence = first.text === again.text ? Math.max(first.confidence, again.confidence) : Math.min(again.confidence, DISAGREE);
      // as many characters as the cell has marks side by side (a broken or a touching glyph is one off)
      if (Math.abs(again.text.length - marks.get(c)!.glyphs) > 1) confidence = Math.min(confidence, DISAGREE);
      // part of the figure printed lighter than ink: what was read may be only the rest of it
      if (marks.get(c)!.faint) confidence = Math.min(confidence, DISAGREE);
      // a lone digit both readings doubt (the serifed 1 above all): read once more on its own
      if (confidence < LOW && confidence > DISAGREE && again.text.length === 1) {
        const third = (await recognise(strip([scaleInk(marks.get(c)!, glyphScale(marks.get(c)!, unit))]).img, PSM.SINGLE_CHAR)).text;
        if (numeric(third) === again.text) confidence = Math.max(confidence, THIRD);
      }
      out.set(c, { text: again.text, confidence });
    }
    return out;
  }

  /** One cell's figure, digits alone allowed, tried at larger scales: '' when none is read. */
  async function figureAlone(m: CellInk, unit: number): Promise<string> {
    for (const k of [1.5, 2.5]) {
      const img = scaleInk(m, glyphScale(m, unit) * k);
      const [text] = (await words(strip([img]).img, m.glyphs === 1 ? PSM.SINGLE_CHAR : PSM.SINGLE_LINE, '0123456789.')).map((w) => w.text);
      if (text && NUMBER.test(text)) return text;
    }
    return '';
  }

  return {
    async read(image, at) {
      const lined = await level(sharp, image);
      // rules are found before denoising: a 3×3 median that removes a scanner's
      // salt-and-pepper also erases the thin rules of a low-resolution scan
      const { h, v } = rules(binarise(lined, RULE_DARK), lined.width, lined.height);
      const page = await grey(sharp(Buffer.from(lined.data.buffer, lined.data.byteOffset, lined.data.length), rawOf(lined)).median(3));
      const dark = inkLevel(page);
      const ink = binarise(page, dark);
      if (h.length + v.length > MAX_RULE_RUNS) throw new UnreadableDocumentError('unsupported_form', `第 ${at.page} 页图像线条过多，不像报告页面，未识别`);
      // a table running on over the page break has no rule under its last row (or over its
      // first): the ends of its vertical rules close it
      const grids = findGrids(h, v, 8, 24, 6, true);
      const cells = grids.reduce((a, g) => a + g.cells.length, 0);
      if (cells > MAX_CELLS) throw new UnreadableDocumentError('too_large', `第 ${at.page} 页表格有 ${cells} 个单元格，超过逐格识别的上限 ${MAX_CELLS} 个`);
      const cellText = new Map<string, { text: string; confidence?: number }>();
      const blank = Uint8Array.from(page.data);
      for (let gi = 0; gi < grids.length; gi++) {
        const g = grids[gi]!;
        const marks = new Map<GridCell, CellInk>();
        for (const c of g.cells) {
          if (at.deadline && Date.now() > at.deadline) throw new UnreadableDocumentError('timeout', `文字识别超时（第 ${at.page} 页）`);
          const m = cellInk(page, ink, c.box, dark);
          if (m) marks.set(c, m);
          // no ink, but marks too light to count as ink: a faint figure is no printed blank
          else cellText.set(`${gi}:${c.row}:${c.col}`, { text: '', confidence: faint(page, c.box, dark) ? FAINT_BLANK : CEILING });
        }
        // a glyph much shorter than the table's is a faint one whose lighter strokes fell
        // below the ink level (a 2 of which only the base is ink): its cell is taken a
        // glyph's height high, the light strokes with it
        const unit = median([...marks.values()].map((m) => m.height));
        for (const [c, m] of marks) if (m.height < SHORT * unit) marks.set(c, { ...(cellInk(page, ink, c.box, dark, unit) ?? m), faint: true });
        for (const [c, r] of await readCells(marks)) {
          const text = NUMBER.test(r.text) ? r.text : nearestLabel(r.text);
          cellText.set(`${gi}:${c.row}:${c.col}`, { text, confidence: r.confidence });
        }
        paintWhite(blank, page.width, g);
      }
      // the text around the tables reads as well at TEXT_SCALE of the working size, in half the time
      const small = await grey(sharp(Buffer.from(blank.buffer, blank.byteOffset, blank.length), rawOf(page)).resize(Math.round(page.width * TEXT_SCALE)));
      const rest = await recognise(small, PSM.AUTO, Math.round(300 * TEXT_SCALE));
      // short lines are headings or labels; a slip there would lose a section
      const items = rest.lines.map((l) => ({
        ...l,
        text: l.text.length <= 40 ? nearestLabel(l.text) : l.text,
        box: l.box.map((x) => x / TEXT_SCALE) as [number, number, number, number],
        size: l.size / TEXT_SCALE,
      }));
      // boxes in the page's units: `scale` is per pixel of the image given, before levelling resized it
      const unit = (at.scale * image.width) / lined.width;
      const scaled = (b: [number, number, number, number]) => b.map((x) => x * unit) as [number, number, number, number];
      const content = {
        page: at.page,
        height: page.height * unit,
        items: items.map((i) => ({ ...i, box: scaled(i.box), size: i.size * unit })),
        grids: grids.map((g) => ({ box: scaled(g.box), cells: g.cells.map((c) => ({ ...c, box: scaled(c.box) })) })),
        cellText,
      };
      const read = pageLines(content, at.firstTable);
      return { page: read, tables: read.tables };
    },
    async close() {
      await worker.terminate();
    },
  };
}

/** The scale of the working page at which the text outside the tables is read. */
const TEXT_SCALE = 0.5;
/** Below the reader's LOW_CONFIDENCE: the table is not checked. */
const DISAGREE = 0.5;
/** The reader's LOW_CONFIDENCE. */
const LOW = 0.6;
/** A cell's marks taller than this many of the table's usual glyph heights are lines of text. */
const LINES = 1.8;
/** Glyph height, in pixels, a cell's marks are scaled to for OCR. */
const TARGET = 16;
/** Labels are read larger: a CJK character has more strokes than a digit. */
const LABEL_SIZE = 1.5;
/** A dash or 无 printed for none: no figure to look for. */
const NONE = /^(?:[-—–─一_~\/／]+|无)$/;
/** Two CJK characters: a label, not a misread figure. */
const LABEL = /[\u4e00-\u9fff]{2}/;
/** Three readings, by three page-segmentation modes, of one digit agree. */
const THIRD = 0.8;
const NUMBER = /^[-—]?\d+(?:\.\d+)?$/;

/** Digits OCR confuses with letters and CJK look-alikes, in a cell that is otherwise a number. */
function numeric(text: string): string {
  // a bar standing apart from the figure is a piece of the cell's rule, not a 1
  const t = text.trim().replace(/^[|丨]\s+|\s+[|丨]$/g, '').replace(/\s+/g, '');
  if (!/^[-—\d.,，Oo〇○口lI|丨\]】」工]+$/.test(t)) return text;
  const fixed = t.replace(/[Oo〇○口]/g, '0').replace(/[lI|丨\]】」工]/g, '1').replace(/[，,](?=\d{3}\b)/g, '');
  return /^[-—]?\d+(?:\.\d+)?$/.test(fixed) ? fixed : text;
}

type Pipeline = ReturnType<Sharp>;
const rawOf = (img: GrayImage) => ({ raw: { width: img.width, height: img.height, channels: 1 as const } });

/** A pipeline's output as one grey channel (sharp turns a one-channel input into sRGB). */
async function grey(p: Pipeline): Promise<GrayImage> {
  const { data, info } = await p.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const ch = info.channels;
  const out = ch === 1 ? new Uint8Array(data.buffer, data.byteOffset, info.width * info.height) : Uint8Array.from({ length: info.width * info.height }, (_, i) => data[i * ch]!);
  return { data: out, width: info.width, height: info.height };
}

/** Grey page at the working width, lighting evened out and skew turned back. */
async function level(sharp: Sharp, img: GrayImage): Promise<GrayImage> {
  const buf = (i: GrayImage) => Buffer.from(i.data.buffer, i.data.byteOffset, i.data.length);
  // a long screenshot (长图) brought to page width would be tens of millions of pixels
  const height = Math.round((img.height * WORK_WIDTH) / img.width);
  if (WORK_WIDTH * height > MAX_WORK_PIXELS) {
    throw new UnreadableDocumentError('too_large', `图片过长（${img.width}×${img.height}），按页宽识别需超过 ${MAX_WORK_PIXELS / 1e6} 百万像素，请分页后再识别`);
  }
  if (img.width < WORK_WIDTH * 0.8 || img.width > WORK_WIDTH * 1.4) {
    img = await grey(sharp(buf(img), rawOf(img)).resize(WORK_WIDTH, height, { kernel: 'lanczos3' }));
  }
  // background: the page without its ink; dividing by it removes shadows and a photo's gradient
  const small = await grey(sharp(buf(img), rawOf(img)).resize(Math.ceil(img.width / 8), Math.ceil(img.height / 8)));
  const bgSmall = await grey(sharp(buf(small), rawOf(small)).median(9).blur(6));
  const bg = await grey(sharp(buf(bgSmall), rawOf(bgSmall)).resize(img.width, img.height, { kernel: 'linear' }));
  const flat = new Uint8Array(img.data.length);
  for (let i = 0; i < flat.length; i++) flat[i] = Math.min(255, (img.data[i]! * 255) / Math.max(bg.data[i]!, 64));
  img = { data: flat, width: img.width, height: img.height };
  img = unwarp(img);
  const angle = skew(img);
  if (Math.abs(angle) >= 0.05) img = await grey(sharp(buf(img), rawOf(img)).rotate(-angle, { background: { r: 255, g: 255, b: 255 } }));
  return img;
}

export type Point = [number, number];

/** Pixels per cell of the coarse ink map the table's frame is looked for on. */
const FRAME_CELL = 4;
/** A frame whose corners miss a rectangle by less than this part of its size is left as it is (skew alone turns it). */
const SQUARE_ENOUGH = 0.008;

/**
 * The page with a photo's perspective taken out: the largest ruled table's outer frame (its
 * four extreme corners on a coarse map of rule ink) mapped onto a rectangle by a homography,
 * the page resampled bilinearly. A frame already a rectangle, turned or not, is left to the
 * skew correction; a page without a large table is left as it is.
 */
export function unwarp(img: GrayImage): GrayImage {
  const quad = frame(img);
  if (!quad) return img;
  const [tl, tr, br, bl] = quad;
  const len = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);
  const top = len(tl, tr);
  const bottom = len(bl, br);
  const left = len(tl, bl);
  const right = len(tr, br);
  const W = (top + bottom) / 2;
  const H = (left + right) / 2;
  // a rectangle, turned or not, has equal opposite sides and equal diagonals
  const off = Math.max(Math.abs(top - bottom) / W, Math.abs(left - right) / H, Math.abs(len(tl, br) - len(tr, bl)) / Math.hypot(W, H));
  if (off < SQUARE_ENOUGH) return img;
  const cx = (tl[0] + tr[0] + br[0] + bl[0]) / 4;
  const cy = (tl[1] + tr[1] + br[1] + bl[1]) / 4;
  const dst: Point[] = [[cx - W / 2, cy - H / 2], [cx + W / 2, cy - H / 2], [cx + W / 2, cy + H / 2], [cx - W / 2, cy + H / 2]];
  const m = homography(dst, quad);
  if (!m) return img;
  const { width, height } = img;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = m[6]! * x + m[7]! * y + 1;
      const sx = (m[0]! * x + m[1]! * y + m[2]!) / d;
      const sy = (m[3]! * x + m[4]! * y + m[5]!) / d;
      out[y * width + x] = sx < 0 || sy < 0 || sx >= width - 1 || sy >= height - 1 ? 255 : bilinear(img, sx, sy);
    }
  }
  return { data: out, width, height };
}

/** The corners (top left, top right, bottom right, bottom left) of the largest table's outer frame, or null. */
export function frame(img: GrayImage): [Point, Point, Point, Point] | null {
  const w = Math.ceil(img.width / FRAME_CELL);
  const h = Math.ceil(img.height / FRAME_CELL);
  const map = new Uint8Array(w * h);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) if (img.data[y * img.width + x]! < RULE_DARK) map[Math.floor(y / FRAME_CELL) * w + Math.floor(x / FRAME_CELL)] = 1;
  }
  const label = new Int32Array(w * h);
  let best: number[] = [];
  const stack: number[] = [];
  for (let s = 0, id = 0; s < map.length; s++) {
    if (!map[s] || label[s]) continue;
    const members: number[] = [];
    label[s] = ++id;
    stack.push(s);
    while (stack.length) {
      const i = stack.pop()!;
      members.push(i);
      const x = i % w;
      for (const j of [i - w, i + w, x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1]) {
        if (j >= 0 && j < map.length && map[j] && !label[j]) {
          label[j] = id;
          stack.push(j);
        }
      }
    }
    if (members.length > best.length) best = members;
  }
  if (!best.length) return null;
  let [x0, y0, x1, y1] = [w, h, 0, 0];
  for (const i of best) [x0, y0, x1, y1] = [Math.min(x0, i % w), Math.min(y0, Math.floor(i / w)), Math.max(x1, i % w), Math.max(y1, Math.floor(i / w))];
  // a table spans most of the text width; a long heading or a seal does not
  if (x1 - x0 < w * 0.5 || y1 - y0 < h * 0.1) return null;
  const pick = (score: (x: number, y: number) => number): [number, number] => {
    let top = -Infinity;
    let at = 0;
    for (const i of best) {
      const v = score(i % w, Math.floor(i / w));
      if (v > top) [top, at] = [v, i];
    }
    return [((at % w) + 0.5) * FRAME_CELL, (Math.floor(at / w) + 0.5) * FRAME_CELL];
  };
  return [pick((x, y) => -x - y), pick((x, y) => x - y), pick((x, y) => x + y), pick((x, y) => y - x)];
}

/** The homography taking each `from` point to its `to` point (8 coefficients, the ninth 1), or null. */
function homography(from: Point[], to: Point[]): number[] | null {
  const a: number[][] = [];
  from.forEach(([x, y], k) => {
    const [u, v] = to[k]!;
    a.push([x, y, 1, 0, 0, 0, -x * u, -y * u, u]);
    a.push([0, 0, 0, x, y, 1, -x * v, -y * v, v]);
  });
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (Math.abs(a[p]![c]!) < 1e-12) return null;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 9; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((row, c) => row[8]! / row[c]!);
}

/** Ink of glyphs, and of rules (which rendering and scanning leave lighter than text). */
const DARK = 150;
/** Marks lighter than ink that may still be a printed figure (a pale print, a faded scan). */
const FAINT = 215;
const FAINT_BLANK = 0.3;
const RULE_DARK = 200;
/** The lightest a glyph's ink may be: a blurred low-resolution scan prints its strokes grey. */
const DARK_MAX = 190;

/** A page whose ink averages darker than this is a crisp print: its faint marks are noise, not glyphs. */
const CRISP_INK = 100;

/**
 * The ink level of this page: DARK for a crisp print (ink averaging near black); for a
 * blurred, low-resolution or JPEG-softened scan, whose strokes print grey, Otsu's threshold
 * between ink and paper, up to DARK_MAX.
 */
function inkLevel(img: GrayImage): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < img.data.length; i += 3) hist[img.data[i]!]!++;
  let total = 0;
  let sum = 0;
  for (let v = 0; v < 256; v++) {
    total += hist[v]!;
    sum += v * hist[v]!;
  }
  let wB = 0;
  let sumB = 0;
  let best = 0;
  let level = DARK;
  for (let v = 0; v < 256; v++) {
    wB += hist[v]!;
    if (!wB) continue;
    const wF = total - wB;
    if (!wF) break;
    sumB += v * hist[v]!;
    const between = wB * wF * (sumB / wB - (sum - sumB) / wF) ** 2;
    if (between > best) [best, level] = [between, v];
  }
  let inkSum = 0;
  let inkCount = 0;
  for (let v = 0; v < level; v++) {
    inkSum += v * hist[v]!;
    inkCount += hist[v]!;
  }
  if (!inkCount || inkSum / inkCount < CRISP_INK) return DARK;
  return Math.min(DARK_MAX, Math.max(DARK, level));
}

function binarise(img: GrayImage, below: number): Uint8Array {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = img.data[i]! < below ? 1 : 0;
  return out;
}

/**
 * The skew in degrees: the angle whose row projection of dark pixels is sharpest (the
 * table rules and text lines line up), searched on a reduced image.
 */
function skew(img: GrayImage): number {
  const step = 4;
  const pts: Array<[number, number]> = [];
  for (let y = 0; y < img.height; y += step) {
    for (let x = 0; x < img.width; x += step) if (img.data[y * img.width + x]! < DARK) pts.push([x, y]);
  }
  if (pts.length < 100) return 0;
  const score = (deg: number) => {
    const t = Math.tan((deg * Math.PI) / 180);
    const bins = new Float64Array(Math.ceil(img.height / step) + Math.ceil((img.width * 0.1) / step) * 2 + 8);
    const off = Math.ceil((img.width * 0.1) / step) + 4;
    for (const [x, y] of pts) {
      const b = Math.round((y - x * t) / step) + off;
      if (b >= 0 && b < bins.length) bins[b]!++;
    }
    let s = 0;
    for (const b of bins) s += b * b;
    return s;
  };
  let best = 0;
  let bestScore = score(0);
  for (let d = -5; d <= 5.001; d += 0.25) {
    const s = score(d);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  for (let d = best - 0.2; d <= best + 0.2001; d += 0.05) {
    const s = score(d);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  return best;
}

/**
 * Horizontal and vertical rules: runs of ink longer than any glyph stroke, small breaks
 * bridged. A vertical run must also stand clear: a rule has paper on both sides, while
 * the tall stroke of a character (性, 费) has the rest of the character against it.
 */
function rules(ink: Uint8Array, width: number, height: number): { h: HSeg[]; v: VSeg[] } {
  const SIDE = 6;
  const clear = ([x, y0, y1]: [number, number, number]) => {
    if (x < SIDE || x + SIDE >= width) return true;
    let free = 0;
    let n = 0;
    for (let y = y0 + 5; y <= y1 - 5; y++, n++) if (!ink[y * width + x - SIDE] && !ink[y * width + x + SIDE]) free++;
    return n === 0 || free >= n * 0.8;
  };
  return {
    h: runs(ink, width, height, true, Math.round(width * 0.03)).map(([y, x0, x1]) => ({ y, x0, x1 })),
    v: runs(ink, width, height, false, Math.round(width * 0.015))
      .filter(clear)
      .map(([x, y0, y1]) => ({ x, y0, y1 })),
  };
}

/** Runs of ink along rows (`across`) or columns at least `min` long: [line, from, to]. */
function runs(ink: Uint8Array, width: number, height: number, across: boolean, min: number): Array<[number, number, number]> {
  const GAP = 3;
  const out: Array<[number, number, number]> = [];
  const lines = across ? height : width;
  const length = across ? width : height;
  for (let l = 0; l < lines; l++) {
    let start = -1;
    let last = -1;
    for (let i = 0; i <= length; i++) {
      const on = i < length && ink[across ? l * width + i : i * width + l] === 1;
      if (on) {
        if (start < 0) start = i;
        last = i;
      } else if (start >= 0 && i - last > GAP) {
        if (last - start >= min) out.push([l, start, last]);
        start = -1;
      }
    }
  }
  return out;
}

/** A cell's marks for OCR: its pixels, the height of its glyphs, how many stand side by side. */
interface CellInk {
  img: GrayImage;
  height: number;
  glyphs: number;
  /** lighter marks beside the glyphs, or glyphs much shorter than the table's: a figure partly lost */
  faint: boolean;
}

/**
 * A cell's marks: its connected marks without specks of scan noise and without remnants of
 * the cell's rules at the edges, as grey pixels cropped tight (a thin stroke a blurred scan
 * leaves lighter than ink stays, and a glyph broken in pieces, the flag of a 5, is kept
 * whole), ink stretched to black and paper to white; null when the cell holds no mark.
 */
function cellInk(page: GrayImage, ink: Uint8Array, box: [number, number, number, number], dark: number, minHeight = 0): CellInk | null {
  const INSET = 5;
  const MIN_MARK = 12;
  const MIN_EXTENT = 10;
  const PAD = 3;
  const bx0 = Math.max(0, Math.round(box[0]) + INSET);
  const by0 = Math.max(0, Math.round(box[1]) + INSET);
  const bx1 = Math.min(page.width, Math.round(box[2]) - INSET);
  const by1 = Math.min(page.height, Math.round(box[3]) - INSET);
  const cw = bx1 - bx0;
  const ch = by1 - by0;
  if (cw < 4 || ch < 4) return null;
  const label = new Int32Array(cw * ch);
  const stack: number[] = [];
  const marks: Array<{ id: number; n: number; box: [number, number, number, number]; noise: boolean }> = [];
  let next = 0;
  for (let start = 0; start < label.length; start++) {
    if (label[start] || !ink[(by0 + Math.floor(start / cw)) * page.width + bx0 + (start % cw)]) continue;
    const id = ++next;
    let n = 0;
    let [mx0, my0, mx1, my1] = [cw, ch, -1, -1];
    label[start] = id;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop()!;
      n++;
      const x = i % cw;
      const y = (i - x) / cw;
      if (x < mx0) mx0 = x;
      if (x > mx1) mx1 = x;
      if (y < my0) my0 = y;
      if (y > my1) my1 = y;
      for (const [dx, dy] of NEIGHBOURS) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= cw || ny >= ch) continue;
        const j = ny * cw + nx;
        if (!label[j] && ink[(by0 + ny) * page.width + bx0 + nx]) {
          label[j] = id;
          stack.push(j);
        }
      }
    }
    // a rule's remnant runs along an edge, long and thin (a slanted one need not touch it)
    const w = mx1 - mx0 + 1;
    const hgt = my1 - my0 + 1;
    const EDGE = 12;
    const rule =
      (w <= 8 && hgt >= ch * 0.1 && (mx0 < EDGE || mx1 >= cw - EDGE)) ||
      (hgt <= 8 && w >= cw * 0.1 && (my0 < EDGE || my1 >= ch - EDGE)) ||
      // a slanted rule (a photo's perspective), or two meeting at a corner: as long as the
      // cell, and no thicker than a rule
      ((w >= SPAN * cw || hgt >= SPAN * ch) && n <= THIN * (w + hgt));
    marks.push({ id, n, box: [mx0, my0, mx1, my1], noise: rule || n < 4 });
  }
  // glyphs are the marks big enough not to be noise; a smaller mark counts within their
  // reach (the decimal point of 2561.768, a piece of a broken glyph)
  const glyphs = marks.filter((m) => !m.noise && m.n >= MIN_MARK && Math.max(m.box[2] - m.box[0], m.box[3] - m.box[1]) >= MIN_EXTENT);
  if (!glyphs.length) return null;
  let [x0, y0, x1, y1] = [cw, ch, -1, -1];
  for (const m of glyphs) [x0, y0, x1, y1] = [Math.min(x0, m.box[0]), Math.min(y0, m.box[1]), Math.max(x1, m.box[2]), Math.max(y1, m.box[3])];
  const reach = 0.3 * Math.max(y1 - y0 + 1, minHeight);
  let kept = marks.filter((m) => !m.noise && m.box[2] >= x0 - reach && m.box[0] <= x1 + reach && m.box[3] >= y0 - reach && m.box[1] <= y1 + reach);
  for (const m of kept) [x0, y0, x1, y1] = [Math.min(x0, m.box[0]), Math.min(y0, m.box[1]), Math.max(x1, m.box[2]), Math.max(y1, m.box[3])];
  if (y1 - y0 + 1 < minHeight && minHeight < ch) {
    // the glyph's height where the cell is darkest about the ink found (light strokes included)
    x0 = Math.max(0, Math.floor(x0 - reach));
    x1 = Math.min(cw - 1, Math.ceil(x1 + reach));
    const rows = new Float64Array(ch);
    for (let y = 0; y < ch; y++) for (let x = x0; x <= x1; x++) rows[y]! += 255 - page.data[(by0 + y) * page.width + bx0 + x]!;
    let best = -1;
    let top = y0;
    for (let t = Math.max(0, y1 - minHeight + 1); t <= Math.min(y0, ch - minHeight); t++) {
      let sum = 0;
      for (let y = t; y < t + minHeight; y++) sum += rows[y]!;
      if (sum > best) [best, top] = [sum, t];
    }
    [y0, y1] = [top, top + minHeight - 1];
    kept = marks.filter((m) => !m.noise && m.box[2] >= x0 && m.box[0] <= x1 && m.box[3] >= y0 && m.box[1] <= y1);
  }
  const keep = new Set(kept.map((m) => m.id));
  const lighter = lighterBeside(page, bx0, by0, cw, [x0, y0, x1, y1], dark);
  // marks side by side: runs of columns the kept marks cover
  const cover = new Uint8Array(x1 - x0 + 1);
  for (const m of kept) if (m.n >= MIN_MARK) cover.fill(1, m.box[0] - x0, m.box[2] - x0 + 1);
  let side = 0;
  cover.forEach((v, i) => v && !cover[i - 1] && side++);
  // the dropped marks and their edges go white
  const drop = new Uint8Array(cw * ch);
  for (let i = 0; i < label.length; i++) {
    if (!label[i] || keep.has(label[i]!)) continue;
    const x = i % cw;
    const y = (i - x) / cw;
    for (let yy = Math.max(0, y - 2); yy <= Math.min(ch - 1, y + 2); yy++) drop.fill(1, yy * cw + Math.max(0, x - 2), yy * cw + Math.min(cw, x + 3));
  }
  for (let i = 0; i < label.length; i++) if (label[i] && keep.has(label[i]!)) drop[i] = 0;
  const height = y1 - y0 + 1;
  x0 = Math.max(0, x0 - PAD);
  y0 = Math.max(0, y0 - PAD);
  x1 = Math.min(cw - 1, x1 + PAD);
  y1 = Math.min(ch - 1, y1 + PAD);
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  let lo = 255;
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if (!drop[y * cw + x]) lo = Math.min(lo, page.data[(by0 + y) * page.width + bx0 + x]!);
  const hi = Math.max(lo + 1, dark + (255 - dark) * PAPER);
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = drop[(y0 + y) * cw + x0 + x] ? 255 : page.data[(by0 + y0 + y) * page.width + bx0 + x0 + x]!;
      data[y * w + x] = Math.max(0, Math.min(255, Math.round(((v - lo) * 255) / (hi - lo))));
    }
  }
  return { img: { data, width: w, height: h }, height, glyphs: side, faint: lighter };
}

/**
 * Whether marks lighter than ink but darker than paper stand beside a cell's glyphs, level
 * with them and as wide as a stroke: a digit a blurred scan printed too grey to count as ink
 * (the 2 of 21). Columns near the cell's edges are left out, where rules' remnants lie.
 */
function lighterBeside(page: GrayImage, bx0: number, by0: number, cw: number, [x0, y0, x1, y1]: [number, number, number, number], dark: number): boolean {
  const EDGE = 12;
  const HALO = 3;
  const level = Math.min(FAINT, dark + (255 - dark) * 0.5);
  const height = y1 - y0 + 1;
  const tall = Math.max(3, Math.round(height * 0.25));
  const wide = Math.max(2, Math.round(height * 0.15));
  let run = 0;
  for (let x = EDGE; x < cw - EDGE; x++) {
    let n = 0;
    if (x < x0 - HALO || x > x1 + HALO) for (let y = y0; y <= y1; y++) if (page.data[(by0 + y) * page.width + bx0 + x]! < level) n++;
    run = n >= tall ? run + 1 : 0;
    if (run >= wide) return true;
  }
  return false;
}

/** A mark spanning this much of its cell and thinner on average than THIN pixels is a rule. */
const SPAN = 0.9;
const THIN = 4;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** A cell's glyphs shorter than this part of the table's usual glyph are faint. */
const SHORT = 0.6;

/** How far between the ink level and white paper begins, for the contrast stretch. */
const PAPER = 0.8;

/** The scale that brings a one-line cell's glyphs to TARGET, kept near the table's (a dash, a lone 一). */
function glyphScale(m: CellInk, unit: number): number {
  const k = TARGET / Math.max(1, m.height);
  const table = TARGET / Math.max(1, unit);
  return Math.min(table * 1.5, Math.max(table / 1.5, k));
}

/** A cell's marks scaled by `k` (bilinear: a blocky enlargement reads worse than a smooth one). */
function scaleInk(m: CellInk, k: number): GrayImage {
  const { img } = m;
  const w = Math.max(1, Math.round(img.width * k));
  const h = Math.max(1, Math.round(img.height * k));
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) / k - 0.5));
    for (let x = 0; x < w; x++) data[y * w + x] = bilinear(img, Math.min(img.width - 1, Math.max(0, (x + 0.5) / k - 0.5)), fy);
  }
  return { data, width: w, height: h };
}

/** The grey level at a point between pixels (0 ≤ x ≤ width − 1, 0 ≤ y ≤ height − 1), from its four neighbours. */
function bilinear(img: GrayImage, x: number, y: number): number {
  const ax = Math.floor(x);
  const ay = Math.floor(y);
  const bx = Math.min(img.width - 1, ax + 1);
  const by = Math.min(img.height - 1, ay + 1);
  const tx = x - ax;
  const ty = y - ay;
  const { data, width } = img;
  const top = data[ay * width + ax]! * (1 - tx) + data[ay * width + bx]! * tx;
  const bottom = data[by * width + ax]! * (1 - tx) + data[by * width + bx]! * tx;
  return Math.round(top * (1 - ty) + bottom * ty);
}

/** Images side by side on one white line, far enough apart to be separate words; `spans` are their x ranges. */
function strip(images: GrayImage[], size = 1): { img: GrayImage; spans: Array<[number, number]> } {
  const GAP = 4 * TARGET * size;
  const H = Math.max(...images.map((i) => i.height)) + TARGET * size;
  const spans: Array<[number, number]> = [];
  let W = GAP;
  for (const i of images) {
    spans.push([W - GAP / 2, W + i.width + GAP / 2]);
    W += i.width + GAP;
  }
  const data = new Uint8Array(W * H).fill(255);
  images.forEach((i, k) => {
    const x = spans[k]![0] + GAP / 2;
    const oy = Math.floor((H - i.height) / 2);
    for (let y = 0; y < i.height; y++) data.set(i.data.subarray(y * i.width, (y + 1) * i.width), (y + oy) * W + x);
  });
  return { img: { data, width: W, height: H }, spans };
}

const NEIGHBOURS: Array<[number, number]> = [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [-1, -1], [1, -1], [-1, 1]];

/** Pixels darker than paper but lighter than ink in a cell: enough of them look like a faint mark. */
function faint(page: GrayImage, box: [number, number, number, number], dark: number): boolean {
  const INSET = 7;
  let n = 0;
  for (let y = Math.round(box[1]) + INSET; y < Math.round(box[3]) - INSET; y++) {
    for (let x = Math.round(box[0]) + INSET; x < Math.round(box[2]) - INSET; x++) {
      const v = page.data[y * page.width + x]!;
      if (v < FAINT && v >= dark) n++;
    }
  }
  return n >= 60;
}

function paintWhite(data: Uint8Array, width: number, g: Grid): void {
  const [x0, y0, x1, y1] = g.box.map(Math.round) as [number, number, number, number];
  const PAD = 6;
  for (let y = Math.max(0, y0 - PAD); y < Math.min(data.length / width, y1 + PAD); y++) data.fill(255, y * width + Math.max(0, x0 - PAD), y * width + Math.min(width, x1 + PAD));
}

/** How much more red than green and blue a pixel of a red seal is. */
const SEAL_RED = 60;

/**
 * A colour page as grey ink: a red seal stamped over a table is dropped (where it is red,
 * its red channel, which is paper-light, while black print under the stamp stays dark),
 * everything else by its luminance.
 */
export function inkOfColour(data: ArrayLike<number>, width: number, height: number, channels: number): GrayImage {
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 0; j < out.length; i += channels, j++) {
    const r = data[i]!;
    const g = channels >= 3 ? data[i + 1]! : r;
    const b = channels >= 3 ? data[i + 2]! : r;
    out[j] = r - Math.max(g, b) > SEAL_RED ? Math.min(255, (r * 255) / 200) : (r * 299 + g * 587 + b * 114) / 1000;
  }
  return { data: out, width, height };
}

/** An image file (PNG, JPEG, GIF, BMP, TIFF, WebP) read by OCR. */
export async function imageToLines(ocr: Ocr, bytes: Uint8Array, deadline?: number): Promise<Line[]> {
  return joinPages([(await imagePage(ocr, bytes, { page: 1, firstTable: 1, deadline })).page]).lines;
}

/** One image as page `page` of a document (the pictures of an image-only web page). */
export async function imagePage(ocr: Ocr, bytes: Uint8Array, at: { page: number; firstTable: number; deadline?: number }): Promise<{ page: PageLines; tables: number }> {
  const sharp = await loadSharp();
  let img: GrayImage;
  try {
    const meta = await sharp(Buffer.from(bytes), { limitInputPixels: MAX_IMAGE_PIXELS }).metadata();
    if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_IMAGE_PIXELS) throw new Error('too many pixels');
    const { data, info } = await sharp(Buffer.from(bytes), { limitInputPixels: MAX_IMAGE_PIXELS, pages: 1 })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    img = inkOfColour(data, info.width, info.height, info.channels);
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    if (/pixel|too many/i.test(msg)) throw new UnreadableDocumentError('too_large', `图片尺寸过大（超过 ${MAX_IMAGE_PIXELS / 1e6} 百万像素），未识别`);
    throw new UnreadableDocumentError('malformed', `图片已损坏或格式不支持（${msg}）`);
  }
  if (img.width < 200 || img.height < 100) throw new UnreadableDocumentError('unsupported_form', `图片太小（${img.width}×${img.height}），不是报告页面`);
  return ocr.read(img, { ...at, scale: 1 });
}
