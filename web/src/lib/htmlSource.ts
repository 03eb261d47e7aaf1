// The original web page's table a figure was read from, rebuilt as plain data for the
// evidence view: the page's bytes decoded as the site sent them, parsed inert (DOMParser
// runs no script and loads nothing), its tables numbered as the parser numbers them (leaf
// tables in document order, none inside script/noscript/… , rows of the table and of its
// thead/tbody/tfoot, each cell at its grid column once spans are expanded), and only text,
// rowspan and colspan kept — never the page's markup.

export interface SourceCell {
  text: string;
  header: boolean;
  rowspan: number;
  colspan: number;
  /** 1-based, as the evidence names it: the row of the table and the grid column */
  row: number;
  col: number;
}

/** Pages larger than this are shown as the parser's text only. */
export const MAX_PAGE_BYTES = 5 * 1024 * 1024;

// the parser's own limits (parser/html-lines.ts), so that a cell is found where it counted it
const SKIP = 'script, style, noscript, iframe, select, textarea, svg, template, button, object, head';
const SPAN_BUDGET = 200_000;
const MAX_COLSPAN = 64;

export function decodePage(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes);
  const head = new TextDecoder('windows-1252').decode(bytes.subarray(0, 4096));
  const declared = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head)?.[1];
  if (declared) {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      // a label the browser does not know: guess below
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

const textOf = (el: Element) => (el.textContent ?? '').replace(/[\s\u00a0\u3000]+/g, ' ').trim();

function rowsOf(table: Element): Element[] {
  const rows: Element[] = [];
  for (const c of table.children) {
    const name = c.localName;
    if (name === 'tr') rows.push(c);
    else if (name === 'thead' || name === 'tbody' || name === 'tfoot') for (const r of c.children) if (r.localName === 'tr') rows.push(r);
  }
  return rows;
}

function span(el: Element, attr: string, max: number): number {
  const v = parseInt(el.getAttribute(attr) ?? '1', 10);
  return Number.isFinite(v) && v > 0 ? Math.min(v, max) : 1;
}

/** The page's `index`-th table (1-based, as the parser counts), as rows of cells, or null. */
export function sourceTable(html: string, index: number): SourceCell[][] | null {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const leaves = [...doc.querySelectorAll('table')].filter((t) => !t.querySelector('table') && !t.parentElement?.closest(SKIP));
  const table = leaves[index - 1];
  if (!table) return null;
  const rows = rowsOf(table);
  const taken = new Map<number, Set<number>>();
  const occupied = (r: number) => taken.get(r) ?? taken.set(r, new Set()).get(r)!;
  let budget = SPAN_BUDGET;
  return rows.map((tr, r) => {
    const cells: SourceCell[] = [];
    let col = 0;
    for (const td of tr.children) {
      if (td.localName !== 'td' && td.localName !== 'th') continue;
      const row = occupied(r);
      while (row.has(col)) col++;
      let rs = span(td, 'rowspan', rows.length - r);
      let cs = span(td, 'colspan', MAX_COLSPAN);
      if (rs * cs > budget) {
        budget = 0;
        rs = cs = 1;
      }
      budget -= rs * cs;
      cells.push({ text: textOf(td), header: td.localName === 'th', rowspan: rs, colspan: cs, row: r + 1, col: col + 1 });
      for (let rr = r; rr < r + rs; rr++) for (let cc = col; cc < col + cs; cc++) occupied(rr).add(cc);
      col += cs;
    }
    return cells;
  });
}
