// A PDF page's text layer and drawing as PDFium (WebAssembly) reads them: pieces of text with
// their boxes, the straight pieces of painted paths, and the images with the area they cover.
// PDFium reads an embedded font only as far as the text needs it; pdfjs parses and repairs
// every font program and builds a path for every glyph drawn, which made a real 6-page report
// with nine embedded CJK fonts read at 14 pages/s (PDFium: about 150).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { WrappedPdfiumModule } from '@embedpdf/pdfium';
import { UnreadableDocumentError } from '../decode.js';
import type { HSeg, Item, VSeg } from './geometry.js';

export type Matrix = [number, number, number, number, number, number];
export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** `m` after `n`: apply(multiply(m, n), p) = apply(m, apply(n, p)) */
export const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5],
];
export const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

/**
 * PDF space to a top-left page in points, as pdfjs's viewport at scale 1 maps it, so that boxes
 * read here fall on the pages pdfjs renders for the evidence view.
 */
export function viewTransform(view: [number, number, number, number], rotate: number): Matrix {
  const [x0, y0, x1, y1] = view;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const r = ((rotate % 360) + 360) % 360;
  const [a, b, c, d] = r === 90 ? [0, 1, 1, 0] : r === 180 ? [-1, 0, 0, 1] : r === 270 ? [0, -1, -1, 0] : [1, 0, 0, -1];
  const [ox, oy] = a === 0 ? [Math.abs(cy - y0), Math.abs(cx - x0)] : [Math.abs(cx - x0), Math.abs(cy - y0)];
  return [a, b, c, d, ox - a * cx - c * cy, oy - b * cx - d * cy];
}

export interface LayerPage {
  /** page size in points, as shown (turned when the page is) */
  width: number;
  height: number;
  items: Item[];
  /** characters of text, blanks left out */
  chars: number;
  h: HSeg[];
  v: VSeg[];
  /** drawn segments when there were more than `maxRules` (then h and v are incomplete) */
  rulesOver: number | null;
  /** text pieces drawn visibly and invisibly (render mode 3 or 7, a scanner's OCR layer) */
  shown: { visible: number; invisible: number };
  /** the image covering most of the page, in page units² */
  biggestImage: number;
}

export interface LayerDocument {
  pages: number;
  page(n: number, limits: { maxItems: number; maxRules: number }): LayerPage;
  close(): void;
}

let module: Promise<WrappedPdfiumModule> | null = null;
function loadPdfium(): Promise<WrappedPdfiumModule> {
  return (module ??= (async () => {
    const { init } = await import('@embedpdf/pdfium');
    const dir = dirname(createRequire(import.meta.url).resolve('@embedpdf/pdfium'));
    const wasm = readFileSync(join(dir, 'pdfium.wasm'));
    const pdfium = await init({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.length) as ArrayBuffer });
    pdfium.PDFiumExt_Init();
    return pdfium;
  })());
}

// FPDF_GetLastError
const ERR_PASSWORD = 4;
const ERR_SECURITY = 5;
// FPDF_PAGEOBJ_*
const PATH = 2;
const IMAGE = 3;
const FORM = 5;
// FPDF_SEGMENT_*
const LINETO = 0;
const BEZIERTO = 1;
const MOVETO = 2;

export async function openLayer(bytes: Uint8Array): Promise<LayerDocument> {
  const loaded = loadPdfium();
  const P = await loaded;
  const m = P.pdfium;
  const data = m.wasmExports.malloc(bytes.length);
  // out-parameters: six floats of a matrix or box, then two ints, then two doubles
  const out = m.wasmExports.malloc(64);
  const f = (i: number) => m.getValue(out + 4 * i, 'float');
  const d = (i: number) => m.getValue(out + 32 + 8 * i, 'double');
  const free = () => {
    m.wasmExports.free(out);
    m.wasmExports.free(data);
  };
  if (!data || !out) {
    free();
    throw new UnreadableDocumentError('too_large', 'PDF 过大，内存不足，无法读取');
  }
  (m as unknown as { HEAPU8: Uint8Array }).HEAPU8.set(bytes, data);
  let doc: number;
  try {
    doc = P.FPDF_LoadMemDocument(data, bytes.length, '');
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    if (module === loaded) module = null;
    throw new UnreadableDocumentError('malformed', `PDF 无法读取（PDFium：${e.message}）`);
  }
  if (!doc) {
    const code = P.FPDF_GetLastError();
    free();
    if (code === ERR_PASSWORD || code === ERR_SECURITY) throw new UnreadableDocumentError('encrypted', 'PDF 已加密（需要密码才能打开），无法读取');
    throw new UnreadableDocumentError('malformed', 'PDF 文件已损坏或格式不正确（无法解析文件结构）');
  }
  const matrixOf = (obj: number): Matrix => (P.FPDFPageObj_GetMatrix(obj, out) ? [f(0), f(1), f(2), f(3), f(4), f(5)] : IDENTITY);
  const box = (get: (l: number, b: number, r: number, t: number) => boolean): [number, number, number, number] | null =>
    get(out, out + 4, out + 8, out + 12) ? [f(0), f(1), f(2), f(3)] : null;

  function page(n: number, limits: { maxItems: number; maxRules: number }): LayerPage {
    const pg = P.FPDF_LoadPage(doc, n - 1);
    if (!pg) throw new UnreadableDocumentError('malformed', `第 ${n} 页无法读取（页面结构损坏）`);
    const tp = P.FPDFText_LoadPage(pg);
    try {
      const media = box((l, b, r, t) => P.FPDFPage_GetMediaBox(pg, l, b, r, t)) ?? [0, 0, 612, 792];
      const crop = box((l, b, r, t) => P.FPDFPage_GetCropBox(pg, l, b, r, t));
      const norm = (q: number[]): [number, number, number, number] => [Math.min(q[0]!, q[2]!), Math.min(q[1]!, q[3]!), Math.max(q[0]!, q[2]!), Math.max(q[1]!, q[3]!)];
      const mb = norm(media);
      const cb = crop ? norm(crop) : mb;
      // the crop box within the media box, as pdfjs shows the page
      const inter: [number, number, number, number] = [Math.max(mb[0], cb[0]), Math.max(mb[1], cb[1]), Math.min(mb[2], cb[2]), Math.min(mb[3], cb[3])];
      const view = inter[2] > inter[0] && inter[3] > inter[1] ? inter : mb;
      const rotate = P.FPDFPage_GetRotation(pg) * 90;
      const vt = viewTransform(view, rotate);
      const turned = rotate % 180 !== 0;
      const width = turned ? view[3] - view[1] : view[2] - view[0];
      const height = turned ? view[2] - view[0] : view[3] - view[1];
      const area = width * height;

      const items: Item[] = [];
      let chars = 0;
      const shown = { visible: 0, invisible: 0 };
      const count = tp ? P.FPDFText_CountChars(tp) : 0;
      // a piece of text is what one text object draws, as pdfjs gives one item per run shown
      let run: { obj: number; text: string; x0: number; x1: number; y: number; size: number } | null = null;
      const flush = () => {
        if (!run) return;
        const text = run.text.replace(/\s+/g, ' ');
        if (text.trim() && items.length < limits.maxItems + 1) {
          items.push({ text, box: [run.x0, run.y - run.size * 0.88, run.x1, run.y + run.size * 0.12], size: run.size });
          chars += text.trim().length;
        }
        run = null;
      };
      const modes = new Map<number, number>();
      for (let i = 0; i < count; i++) {
        if (P.FPDFText_IsGenerated(tp, i) === 1) continue;
        const obj = P.FPDFText_GetTextObject(tp, i);
        const code = P.FPDFText_GetUnicode(tp, i);
        if (!code || code > 0x10ffff) continue;
        const ch = String.fromCodePoint(code);
        if (!P.FPDFText_GetLooseCharBox(tp, i, out) || !P.FPDFText_GetCharOrigin(tp, i, out + 32, out + 40)) continue;
        const [ax] = apply(vt, f(0), f(1));
        const [bx] = apply(vt, f(2), f(3));
        const [, base] = apply(vt, d(0), d(1));
        const scale = P.FPDFText_GetMatrix(tp, i, out) ? Math.hypot(f(2), f(3)) : 1;
        const size = P.FPDFText_GetFontSize(tp, i) * scale || 10;
        const x0 = Math.min(ax, bx);
        const x1 = Math.max(ax, bx);
        // one object's characters moved apart (TJ offsets) are pieces the page lays out apart
        if (run && run.obj === obj && Math.abs(run.y - base) < size / 2 && x0 - run.x1 < size * 0.15 && x0 > run.x1 - size) {
          run.text += ch;
          run.x0 = Math.min(run.x0, x0);
          run.x1 = Math.max(run.x1, x1);
          continue;
        }
        flush();
        if (!modes.has(obj)) {
          const mode = P.FPDFTextObj_GetTextRenderMode(obj);
          modes.set(obj, mode);
          shown[mode === 3 || mode === 7 ? 'invisible' : 'visible']++;
        }
        run = { obj, text: ch, x0, x1, y: base, size };
      }
      flush();

      const h: HSeg[] = [];
      const v: VSeg[] = [];
      let drawn = 0;
      let biggestImage = 0;
      const walk = (objects: number, get: (k: number) => number, outer: Matrix) => {
        for (let k = 0; k < objects; k++) {
          const obj = get(k);
          const type = P.FPDFPageObj_GetType(obj);
          if (type === FORM) {
            const inner = multiply(outer, matrixOf(obj));
            walk(P.FPDFFormObj_CountObjects(obj), (j) => P.FPDFFormObj_GetObject(obj, j), inner);
          } else if (type === IMAGE) {
            const mt = multiply(outer, matrixOf(obj));
            biggestImage = Math.max(biggestImage, Math.abs(mt[0] * mt[3] - mt[1] * mt[2]));
          } else if (type === PATH && drawn <= limits.maxRules) {
            if (!P.FPDFPath_GetDrawMode(obj, out + 24, out + 28)) continue;
            if (m.getValue(out + 24, 'i32') === 0 && m.getValue(out + 28, 'i32') === 0) continue;
            const mt = multiply(vt, multiply(outer, matrixOf(obj)));
            const ops: number[] = [];
            const segs = P.FPDFPath_CountSegments(obj);
            let curve: number[] = [];
            for (let s = 0; s < segs; s++) {
              const seg = P.FPDFPath_GetPathSegment(obj, s);
              if (!P.FPDFPathSegment_GetPoint(seg, out, out + 4)) continue;
              const [x, y] = apply(mt, f(0), f(1));
              const type = P.FPDFPathSegment_GetType(seg);
              if (type === MOVETO) ops.push(0, x, y);
              else if (type === LINETO) ops.push(1, x, y);
              else if (type === BEZIERTO) {
                curve.push(x, y);
                if (curve.length === 6) {
                  ops.push(2, ...curve);
                  curve = [];
                }
              }
              if (P.FPDFPathSegment_GetClose(seg)) ops.push(4);
            }
            drawn += segments(ops, area, h, v);
          }
        }
      };
      walk(P.FPDFPage_CountObjects(pg), (k) => P.FPDFPage_GetObject(pg, k), IDENTITY);
      return { width, height, items, chars, h, v, rulesOver: drawn > limits.maxRules ? drawn : null, shown, biggestImage };
    } finally {
      if (tp) P.FPDFText_ClosePage(tp);
      P.FPDF_ClosePage(pg);
    }
  }

  let dead = false;
  return {
    pages: P.FPDF_GetPageCount(doc),
    page(n, limits) {
      try {
        return page(n, limits);
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        // an aborted module (out of memory, a trap) can serve no other document: the next one loads it anew
        dead = true;
        if (module === loaded) module = null;
        throw new UnreadableDocumentError('malformed', `第 ${n} 页无法读取（PDFium：${e.message}）`);
      }
    },
    close() {
      if (dead) return;
      P.FPDF_CloseDocument(doc);
      free();
    },
  };
}

/**
 * Axis-parallel pieces of a painted path, in top-left page points (ops: 0 moveTo x y, 1 lineTo
 * x y, 2 curveTo x1 y1 x2 y2 x y, 4 closePath); returns how many it added.
 */
function segments(data: number[], pageArea: number, h: HSeg[], v: VSeg[]): number {
  const pts: Array<[number, number]> = [];
  let start: [number, number] | null = null;
  let prev: [number, number] | null = null;
  const local: Array<[[number, number], [number, number]]> = [];
  for (let i = 0; i < data.length; ) {
    const op = data[i++]!;
    if (op === 0) {
      prev = start = [data[i]!, data[i + 1]!];
      i += 2;
    } else if (op === 1) {
      const p: [number, number] = [data[i]!, data[i + 1]!];
      if (prev) local.push([prev, p]);
      prev = p;
      i += 2;
    } else if (op === 2) {
      prev = [data[i + 4]!, data[i + 5]!];
      i += 6;
    } else if (op === 4) {
      if (prev && start) local.push([prev, start]);
      prev = start;
    } else break;
    if (prev) pts.push(prev);
  }
  // a single rectangle over a quarter of the page is a background, not rules (a table drawn
  // as one path of many lines is big too, and is rules)
  if (pts.length && pts.length <= 5) {
    const w = Math.max(...pts.map((p) => p[0])) - Math.min(...pts.map((p) => p[0]));
    const ht = Math.max(...pts.map((p) => p[1])) - Math.min(...pts.map((p) => p[1]));
    if (w * ht > pageArea / 4) return 0;
  }
  let added = 0;
  for (const [a, b] of local) {
    if (Math.abs(a[1] - b[1]) < 0.5 && Math.abs(a[0] - b[0]) >= 2) h.push({ y: (a[1] + b[1]) / 2, x0: Math.min(a[0], b[0]), x1: Math.max(a[0], b[0]) });
    else if (Math.abs(a[0] - b[0]) < 0.5 && Math.abs(a[1] - b[1]) >= 2) v.push({ x: (a[0] + b[0]) / 2, y0: Math.min(a[1], b[1]), y1: Math.max(a[1], b[1]) });
    else continue;
    added++;
  }
  return added;
}
