// OFD (GB/T 33190, the Chinese fixed-layout format): a ZIP of XML pages whose text objects
// and paths carry positions in millimetres. Read with the same geometry as PDF: rules from
// the paths, tables as grids, text lines by baseline. An OFD without text (a scan) is
// refused with its reason; its bytes are kept for a later retry.
import { parseDocument } from 'htmlparser2';
import type { AnyNode, Element } from 'domhandler';
import { UnreadableDocumentError } from '../decode.js';
import { plainText } from './dom.js';
import type { Line } from '../types.js';
import { findGrids, joinPages, pageLines, type HSeg, type Item, type PageLines, type VSeg } from './geometry.js';
import { readZip } from './zip.js';

const decoder = new TextDecoder('utf-8');
/** OFD measures in millimetres; evidence boxes are in points, as for PDF. */
const PT = 72 / 25.4;

function xml(bytes: Uint8Array | undefined): Element | null {
  return bytes ? (parseDocument(decoder.decode(bytes), { xmlMode: true }) as unknown as Element) : null;
}

/** Elements by local name (the `ofd:` prefix varies), in document order. */
function all(root: AnyNode, local: string): Element[] {
  const out: Element[] = [];
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    const kids = (n as unknown as { children?: AnyNode[] }).children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    if (n.type === 'tag' && (n as Element).name.replace(/^.*:/, '') === local) out.push(n as Element);
  }
  return out;
}

const numbers = (s: string | undefined) => (s ?? '').trim().split(/[\s,]+/).filter(Boolean).map(Number);

/** Joins `rel` to the folder of `from` inside the archive (OFD paths are relative, sometimes rooted). */
function join(from: string, rel: string): string {
  if (rel.startsWith('/')) return rel.slice(1);
  const parts = from.split('/').slice(0, -1);
  for (const p of rel.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p) parts.push(p);
  }
  return parts.join('/');
}

function pageContent(page: Element, n: number, height: number): { page: number; height: number; items: Item[]; h: HSeg[]; v: VSeg[] } {
  const items: Item[] = [];
  for (const t of all(page, 'TextObject')) {
    const [bx = 0, by = 0, bw = 0] = numbers(t.attribs.Boundary);
    const size = Number(t.attribs.Size) || 3.5;
    for (const code of all(t, 'TextCode')) {
      const text = plainText(code).replace(/\s+/g, ' ');
      if (!text.trim()) continue;
      const x = bx + (Number(code.attribs.X) || 0);
      const y = by + (Number(code.attribs.Y) || size);
      const advance = numbers(code.attribs.DeltaX).reduce((a, b) => a + b, 0);
      const width = advance > 0 ? advance + size : bw || text.length * size;
      items.push({ text, box: [x * PT, (y - size * 0.88) * PT, (x + width) * PT, (y + size * 0.12) * PT], size: size * PT });
    }
  }
  const h: HSeg[] = [];
  const v: VSeg[] = [];
  for (const p of all(page, 'PathObject')) {
    const [bx = 0, by = 0] = numbers(p.attribs.Boundary);
    const data = all(p, 'AbbreviatedData')[0];
    if (!data) continue;
    const tokens = plainText(data).trim().split(/\s+/);
    let start: [number, number] | null = null;
    let prev: [number, number] | null = null;
    const seg = ([ax, ay]: [number, number], [bx1, by1]: [number, number]) => {
      const [a, b] = [[ax * PT, ay * PT], [bx1 * PT, by1 * PT]] as const;
      if (Math.abs(a[1] - b[1]) < 0.5 && Math.abs(a[0] - b[0]) >= 2) h.push({ y: (a[1] + b[1]) / 2, x0: Math.min(a[0], b[0]), x1: Math.max(a[0], b[0]) });
      else if (Math.abs(a[0] - b[0]) < 0.5 && Math.abs(a[1] - b[1]) >= 2) v.push({ x: (a[0] + b[0]) / 2, y0: Math.min(a[1], b[1]), y1: Math.max(a[1], b[1]) });
    };
    for (let i = 0; i < tokens.length; ) {
      const op = tokens[i++];
      const pt = (): [number, number] => [bx + Number(tokens[i++]), by + Number(tokens[i++])];
      if (op === 'M' || op === 'S') prev = start = pt();
      else if (op === 'L') {
        const q = pt();
        if (prev) seg(prev, q);
        prev = q;
      } else if (op === 'C') {
        if (prev && start) seg(prev, start);
        prev = start;
      } else if (op === 'B') {
        i += 4;
        prev = pt();
      } else if (op === 'Q') {
        i += 2;
        prev = pt();
      } else if (op === 'A') {
        i += 5;
        prev = pt();
      } else break;
    }
  }
  return { page: n, height, items, h, v };
}

/** As for PDF: a report is a few dozen pages, and its pages a few hundred rules each. */
const MAX_PAGES = 300;
const MAX_PAGE_RULES = 20_000;

export function ofdToLines(bytes: Uint8Array, deadline?: number): { lines: Line[]; warnings: string[] } {
  const { names, files } = readZip(bytes, (name) => name.endsWith('.xml'));
  const root = xml(files.get(names.find((n) => /(^|\/)OFD\.xml$/i.test(n)) ?? ''));
  const docRoot = root ? all(root, 'DocRoot')[0] : undefined;
  const docPath = docRoot ? join('OFD.xml', plainText(docRoot).trim()) : '';
  const doc = xml(files.get(docPath));
  if (!doc) throw new UnreadableDocumentError('malformed', 'OFD 文件结构不完整（缺少文档描述 Document.xml）');
  const box = all(doc, 'PhysicalBox')[0];
  const [, , , ph = 297] = numbers(box ? plainText(box) : '');
  const pages: PageLines[] = [];
  const warnings: string[] = [];
  let tables = 0;
  let images = 0;
  const list = all(doc, 'Page');
  if (list.length > MAX_PAGES) throw new UnreadableDocumentError('too_large', `OFD 共 ${list.length} 页，超过上限 ${MAX_PAGES} 页，不像单份年度报告`);
  const parsed = new Map<string, Element | null>();
  list.forEach((p, i) => {
    if (deadline && Date.now() > deadline) throw new UnreadableDocumentError('timeout', `读取 OFD 超时（已读 ${i}/${list.length} 页）`);
    const path = join(docPath, p.attribs.BaseLoc ?? '');
    if (!parsed.has(path)) parsed.set(path, xml(files.get(path)));
    const content = parsed.get(path);
    if (!content) return;
    images += all(content, 'ImageObject').length;
    const c = pageContent(content, i + 1, ph * PT);
    const ruled = c.h.length + c.v.length <= MAX_PAGE_RULES;
    if (!ruled) warnings.push(`第 ${i + 1} 页线条过多，不按表格读取`);
    const grids = ruled ? findGrids(c.h, c.v, 2) : [];
    const read = pageLines({ page: c.page, height: c.height, items: c.items, grids, continued: pages[pages.length - 1]?.columns }, tables + 1);
    pages.push(read);
    tables += read.tables;
  });
  const { lines } = joinPages(pages);
  if (!lines.length) {
    throw new UnreadableDocumentError(
      'unsupported_form',
      images ? 'OFD 文件没有文字层（页面是图像），暂不支持识别，原文件已保存' : 'OFD 文件中没有读到文字',
    );
  }
  return { lines, warnings };
}
