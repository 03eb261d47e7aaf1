// An HTML page into lines, in one walk of the DOM: block elements break lines, leaf
// tables become grid rows with rowspan/colspan expanded (each cell at its grid column,
// spanned copies left out so a figure is never counted twice), layout tables (tables
// holding tables) are walked as blocks. The walk also records the line range of every
// block element, from which the report picks its content container.
import { load } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import type { Cell, Line } from './types.js';

export interface HtmlLines {
  lines: Line[];
  /** [first, end) line index of each block element, innermost first when nested */
  blocks: Array<[number, number]>;
  /** `<meta name=… content=…>` values, e.g. ArticleTitle, PubDate */
  meta: Record<string, string>;
  titleTag: string | null;
  h1: string | null;
}

const SKIP = new Set(['script', 'style', 'noscript', 'iframe', 'select', 'textarea', 'svg', 'template', 'button', 'object']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'nav', 'aside', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'center', 'form', 'table', 'tbody', 'thead', 'tfoot',
  'tr', 'td', 'th', 'caption', 'hr', 'address', 'figure', 'figcaption', 'body',
]);
const MAX_SPAN = 64;

function isElement(n: AnyNode): n is Element {
  return n.type === 'tag' || n.type === 'script' || n.type === 'style';
}

function hasTable(n: Element): boolean {
  for (const c of n.children) {
    if (isElement(c) && (c.name === 'table' || hasTable(c))) return true;
  }
  return false;
}

function cellText(n: AnyNode, out: string[]): void {
  if (n.type === 'text') out.push((n as unknown as { data: string }).data);
  else if (isElement(n)) {
    if (SKIP.has(n.name)) return;
    if (n.name === 'br' || n.name === 'p' || n.name === 'div') out.push(' ');
    for (const c of n.children) cellText(c, out);
  }
}

function textOf(n: AnyNode): string {
  const out: string[] = [];
  cellText(n, out);
  return out.join('').replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

function rowsOf(table: Element): Element[] {
  const rows: Element[] = [];
  const visit = (n: Element) => {
    for (const c of n.children) {
      if (!isElement(c)) continue;
      if (c.name === 'tr') rows.push(c);
      else if (c.name === 'thead' || c.name === 'tbody' || c.name === 'tfoot') visit(c);
    }
  };
  visit(table);
  return rows;
}

function span(el: Element, attr: string): number {
  const v = parseInt(el.attribs[attr] ?? '1', 10);
  return Number.isFinite(v) && v > 0 ? Math.min(v, MAX_SPAN) : 1;
}

export function htmlToLines(html: string): HtmlLines {
  const $ = load(html);
  const lines: Line[] = [];
  const blocks: Array<[number, number]> = [];
  const meta: Record<string, string> = {};
  let tables = 0;
  let cur: string[] = [];
  let titleTag: string | null = null;
  let h1: string | null = null;

  const flush = () => {
    const text = cur.join('').replace(/[\s\u00a0\u3000]+/g, ' ').trim();
    cur = [];
    if (!text) return;
    const line = lines.length + 1;
    lines.push({ kind: 'text', pos: { line }, cells: [{ text, pos: { line } }] });
  };

  const emitTable = (table: Element) => {
    const t = ++tables;
    const taken = new Map<number, Set<number>>();
    const occupied = (r: number) => {
      let s = taken.get(r);
      if (!s) taken.set(r, (s = new Set()));
      return s;
    };
    rowsOf(table).forEach((tr, r) => {
      const cells: Cell[] = [];
      let col = 0;
      for (const td of tr.children) {
        if (!isElement(td) || (td.name !== 'td' && td.name !== 'th')) continue;
        const row = occupied(r);
        while (row.has(col)) col++;
        const rs = span(td, 'rowspan');
        const cs = span(td, 'colspan');
        cells.push({ text: textOf(td), pos: { table: t, row: r + 1, col: col + 1 } });
        for (let rr = r; rr < r + rs; rr++) for (let cc = col; cc < col + cs; cc++) occupied(rr).add(cc);
        col += cs;
      }
      taken.delete(r);
      if (cells.some((c) => c.text !== '')) {
        lines.push({ kind: 'row', pos: { line: lines.length + 1, table: t, row: r + 1 }, cells });
      }
    });
  };

  const walk = (n: AnyNode) => {
    if (n.type === 'text') {
      cur.push((n as unknown as { data: string }).data);
      return;
    }
    if (!isElement(n)) {
      if (n.type === 'root') for (const c of (n as unknown as { children: AnyNode[] }).children) walk(c);
      return;
    }
    const name = n.name;
    if (name === 'meta') {
      const key = n.attribs.name ?? n.attribs.property;
      if (key && n.attribs.content) meta[key] = n.attribs.content;
      return;
    }
    if (name === 'title') {
      titleTag ??= textOf(n) || null;
      return;
    }
    if (SKIP.has(name) || name === 'head') {
      if (name === 'head') for (const c of n.children) if (isElement(c) && (c.name === 'meta' || c.name === 'title')) walk(c);
      return;
    }
    if (name === 'br') {
      flush();
      return;
    }
    if (name === 'table' && !hasTable(n)) {
      flush();
      const start = lines.length;
      emitTable(n);
      blocks.push([start, lines.length]);
      return;
    }
    const block = BLOCK.has(name);
    if (block) flush();
    const start = lines.length;
    for (const c of n.children) walk(c);
    if (block) {
      flush();
      if (lines.length > start) blocks.push([start, lines.length]);
      if (name === 'h1' && h1 === null && lines.length > start) h1 = lines.slice(start).map((l) => l.cells[0]!.text).join('');
    }
  };

  walk($.root()[0] as AnyNode);
  flush();
  return { lines, blocks, meta, titleTag, h1 };
}
