// An HTML page into lines, in one walk of the DOM: block elements break lines, leaf
// tables become grid rows with rowspan/colspan expanded (each cell at its grid column,
// spanned copies left out so a figure is never counted twice), layout tables (tables
// holding tables) are walked as blocks. The walk also records the line range of every
// block element, from which the report picks its content container. Every traversal is
// iterative: hostile pages nest elements hundreds of thousands deep.
import { parseDocument } from 'htmlparser2';
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
  warnings: string[];
}

const SKIP = new Set(['script', 'style', 'noscript', 'iframe', 'select', 'textarea', 'svg', 'template', 'button', 'object']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'nav', 'aside', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'center', 'form', 'table', 'tbody', 'thead', 'tfoot',
  'tr', 'td', 'th', 'caption', 'hr', 'address', 'figure', 'figcaption', 'body',
]);
/** Cells a table may occupy once spans are expanded; past this, spans count as 1. */
const SPAN_BUDGET = 200_000;
const MAX_COLSPAN = 64;

/** Marks the end of a block element on the walk's stack. */
class Leave {
  constructor(
    readonly name: string,
    readonly start: number,
  ) {}
}

function isElement(n: AnyNode): n is Element {
  return n.type === 'tag' || n.type === 'script' || n.type === 'style';
}

function children(n: AnyNode): AnyNode[] {
  return (n as unknown as { children?: AnyNode[] }).children ?? [];
}

function hasTable(n: Element): boolean {
  const stack = [...n.children];
  while (stack.length) {
    const c = stack.pop()!;
    if (!isElement(c)) continue;
    if (c.name === 'table') return true;
    for (const k of c.children) stack.push(k);
  }
  return false;
}

function textOf(n: AnyNode): string {
  const out: string[] = [];
  const stack: AnyNode[] = [n];
  while (stack.length) {
    const c = stack.pop()!;
    if (c.type === 'text') out.push((c as unknown as { data: string }).data);
    else if (isElement(c)) {
      if (SKIP.has(c.name)) continue;
      if (c.name === 'br' || c.name === 'p' || c.name === 'div') out.push(' ');
      for (let i = c.children.length - 1; i >= 0; i--) stack.push(c.children[i]!);
    }
  }
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

function span(el: Element, attr: string, max: number): number {
  const v = parseInt(el.attribs[attr] ?? '1', 10);
  return Number.isFinite(v) && v > 0 ? Math.min(v, max) : 1;
}

export function htmlToLines(html: string): HtmlLines {
  // cheerio's own parser, without the query API this walk does not use (half the time)
  const document = parseDocument(html);
  const lines: Line[] = [];
  const blocks: Array<[number, number]> = [];
  const meta: Record<string, string> = {};
  const warnings: string[] = [];
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
    const rows = rowsOf(table);
    const taken = new Map<number, Set<number>>();
    const occupied = (r: number) => {
      let s = taken.get(r);
      if (!s) taken.set(r, (s = new Set()));
      return s;
    };
    let budget = SPAN_BUDGET;
    rows.forEach((tr, r) => {
      const cells: Cell[] = [];
      let col = 0;
      for (const td of tr.children) {
        if (!isElement(td) || (td.name !== 'td' && td.name !== 'th')) continue;
        const row = occupied(r);
        while (row.has(col)) col++;
        let rs = span(td, 'rowspan', rows.length - r);
        let cs = span(td, 'colspan', MAX_COLSPAN);
        if (rs * cs > budget) {
          if (budget > 0) warnings.push(`第 ${t} 个表格的合并单元格过多，其余按未合并处理`);
          budget = 0;
          rs = cs = 1;
        }
        budget -= rs * cs;
        cells.push({ text: textOf(td), pos: { table: t, row: r + 1, col: col + 1 }, ...(rs > 1 ? { rows: rs } : {}), ...(cs > 1 ? { cols: cs } : {}) });
        for (let rr = r; rr < r + rs; rr++) for (let cc = col; cc < col + cs; cc++) occupied(rr).add(cc);
        col += cs;
      }
      taken.delete(r);
      if (cells.some((c) => c.text !== '')) {
        lines.push({ kind: 'row', pos: { line: lines.length + 1, table: t, row: r + 1 }, cells });
      }
    });
  };

  // An explicit stack in place of recursion: nodes to enter, and for each block element a
  // marker to close its line and record its range when it is left.
  const stack: Array<AnyNode | Leave> = [document];
  const pushChildren = (kids: AnyNode[]) => {
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  };
  while (stack.length) {
    const n = stack.pop()!;
    if (n instanceof Leave) {
      flush();
      if (lines.length > n.start) blocks.push([n.start, lines.length]);
      if (n.name === 'h1' && h1 === null && lines.length > n.start) h1 = lines.slice(n.start).map((l) => l.cells[0]!.text).join('');
      continue;
    }
    if (n.type === 'text') {
      cur.push((n as unknown as { data: string }).data);
      continue;
    }
    if (!isElement(n)) {
      if (n.type === 'root') pushChildren(children(n));
      continue;
    }
    const name = n.name;
    if (name === 'meta') {
      const key = n.attribs.name ?? n.attribs.property;
      if (key && n.attribs.content) meta[key] = n.attribs.content;
      continue;
    }
    if (name === 'title') {
      titleTag ??= textOf(n) || null;
      continue;
    }
    if (name === 'head') {
      pushChildren(n.children.filter((c) => isElement(c) && (c.name === 'meta' || c.name === 'title')));
      continue;
    }
    if (SKIP.has(name)) continue;
    if (name === 'br') {
      flush();
      continue;
    }
    if (name === 'table' && !hasTable(n)) {
      flush();
      const start = lines.length;
      emitTable(n);
      blocks.push([start, lines.length]);
      continue;
    }
    if (BLOCK.has(name)) {
      flush();
      stack.push(new Leave(name, lines.length));
    }
    pushChildren(n.children);
  }
  flush();
  return { lines, blocks, meta, titleTag, h1, warnings };
}
