// Page geometry into lines, shared by the PDF reader (vector rules, text items in points)
// and OCR (rules found in pixels): ruled tables become grids whose cells are bounded by the
// rules themselves (so columns never depend on gaps between words), merged cells are found
// where a rule is missing, and the text around the tables becomes lines by baseline.
import type { Cell, Line } from '../types.js';

/** [x0, y0, x1, y1], origin at the top left of the page, y downwards */
export type Box = [number, number, number, number];
export interface HSeg { y: number; x0: number; x1: number }
export interface VSeg { x: number; y0: number; y1: number }

export interface GridCell {
  row: number;
  col: number;
  rowspan: number;
  colspan: number;
  box: Box;
}

export interface Grid {
  box: Box;
  cells: GridCell[];
}

/** A piece of text on a page: its box and its font size (PDF), or a recognised word (OCR). */
export interface Item {
  text: string;
  box: Box;
  size: number;
  confidence?: number;
}

function cluster(values: number[], tol: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - last[last.length - 1]! <= tol) last.push(v);
    else out.push([v]);
  }
  return out.map((g) => g.reduce((a, b) => a + b, 0) / g.length);
}

function mergeRuns<T>(segs: T[], at: (s: T) => number, from: (s: T) => number, to: (s: T) => number, make: (at: number, a: number, b: number) => T, tol: number): T[] {
  const out: T[] = [];
  const byAt = [...segs].sort((a, b) => at(a) - at(b) || from(a) - from(b));
  let group: T[] = [];
  const flush = () => {
    if (!group.length) return;
    const pos = group.reduce((a, s) => a + at(s), 0) / group.length;
    group.sort((a, b) => from(a) - from(b));
    let a = from(group[0]!);
    let b = to(group[0]!);
    for (const s of group.slice(1)) {
      if (from(s) <= b + tol) b = Math.max(b, to(s));
      else {
        out.push(make(pos, a, b));
        a = from(s);
        b = to(s);
      }
    }
    out.push(make(pos, a, b));
    group = [];
  };
  for (const s of byAt) {
    if (group.length && at(s) - at(group[0]!) > tol) flush();
    group.push(s);
  }
  flush();
  return out;
}

const mergeH = (h: HSeg[], tol: number) => mergeRuns(h, (s) => s.y, (s) => s.x0, (s) => s.x1, (y, x0, x1) => ({ y, x0, x1 }), tol);
const mergeV = (v: VSeg[], tol: number) => mergeRuns(v, (s) => s.x, (s) => s.y0, (s) => s.y1, (x, y0, y1) => ({ x, y0, y1 }), tol);

const touches = (h: HSeg, v: VSeg, tol: number) => h.y >= v.y0 - tol && h.y <= v.y1 + tol && v.x >= h.x0 - tol && v.x <= h.x1 + tol;

/** Length of [a, b] covered by the segments' ranges. */
function covered(ranges: Array<[number, number]>, a: number, b: number): number {
  let n = 0;
  for (const [x0, x1] of ranges) n += Math.max(0, Math.min(b, x1) - Math.max(a, x0));
  return n;
}

/**
 * The ruled tables of a page. `tol` is how far apart two rules may be and still be one
 * (line width, scan noise), `minCell` the narrowest a cell can be, `reach` how close a
 * vertical rule's ends come to horizontal ones; rules that do not meet others are not a table's.
 * `closeEnds` (for scans) closes a table whose verticals run on past its last horizontal rule.
 */
export function findGrids(hIn: HSeg[], vIn: VSeg[], tol: number, minCell = tol, reach = tol, closeEnds = false): Grid[] {
  let h = mergeH(hIn, tol);
  let v = mergeV(vIn, tol);
  if (closeEnds) h.push(...openEnds(h, v, tol, minCell));
  // a vertical rule of a table starts and ends on horizontal ones; a glyph's stroke,
  // however tall in a tight row, stops short of them by the cell's padding. A long rule
  // may start where none is drawn: a merged cell continued from the page before has no
  // top border.
  v = v.filter((s) => {
    const top = h.some((x) => touches(x, { ...s, y0: s.y0, y1: s.y0 }, reach));
    const bottom = h.some((x) => touches(x, { ...s, y0: s.y1, y1: s.y1 }, reach));
    return (top && bottom) || ((top || bottom) && s.y1 - s.y0 >= LONG_RULE * minCell);
  });
  h = h.filter((s) => v.filter((x) => touches(s, x, tol)).length >= 2);
  v = v.filter((s) => h.some((x) => touches(x, s, tol)));

  // tables are the connected sets of rules
  const parent = [...h.map((_, i) => i), ...v.map((_, i) => h.length + i)];
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  h.forEach((a, i) => v.forEach((b, j) => touches(a, b, tol) && (parent[find(i)] = find(h.length + j))));
  const groups = new Map<number, { h: HSeg[]; v: VSeg[] }>();
  h.forEach((s, i) => {
    const g = groups.get(find(i)) ?? { h: [], v: [] };
    g.h.push(s);
    groups.set(find(i), g);
  });
  v.forEach((s, j) => groups.get(find(h.length + j))?.v.push(s));

  const grids: Grid[] = [];
  for (const g of groups.values()) {
    // rules closer than the smallest cell are one rule drawn twice (or a scan's wobble)
    const ys = cluster(g.h.map((s) => s.y), minCell);
    const xs = cluster(g.v.map((s) => s.x), minCell);
    if (ys.length < 2 || xs.length < 2) continue;
    const rows = ys.length - 1;
    const cols = xs.length - 1;
    // no report table is this fine; a mesh of rules (a chart, a form's grid paper) would
    // cost rows × columns work and memory for nothing
    if (rows > MAX_GRID_ROWS || cols > MAX_GRID_COLS) continue;
    const hAt = ys.map((y) => g.h.filter((s) => Math.abs(s.y - y) <= minCell).map((s): [number, number] => [s.x0, s.x1]));
    const vAt = xs.map((x) => g.v.filter((s) => Math.abs(s.x - x) <= minCell).map((s): [number, number] => [s.y0, s.y1]));
    const uf = Array.from({ length: rows * cols }, (_, i) => i);
    const root = (i: number): number => (uf[i] === i ? i : (uf[i] = root(uf[i]!)));
    const join = (a: number, b: number) => (uf[root(a)] = root(b));
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const hgt = ys[i + 1]! - ys[i]!;
        const wid = xs[j + 1]! - xs[j]!;
        if (j + 1 < cols && covered(vAt[j + 1]!, ys[i]!, ys[i + 1]!) < hgt / 2) join(i * cols + j, i * cols + j + 1);
        if (i + 1 < rows && covered(hAt[i + 1]!, xs[j]!, xs[j + 1]!) < wid / 2) join(i * cols + j, (i + 1) * cols + j);
      }
    }
    const regions = new Map<number, { r0: number; r1: number; c0: number; c1: number }>();
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const r = root(i * cols + j);
        const reg = regions.get(r);
        if (!reg) regions.set(r, { r0: i, r1: i, c0: j, c1: j });
        else {
          reg.r0 = Math.min(reg.r0, i);
          reg.r1 = Math.max(reg.r1, i);
          reg.c0 = Math.min(reg.c0, j);
          reg.c1 = Math.max(reg.c1, j);
        }
      }
    }
    const cells = [...regions.values()]
      .map((r): GridCell => ({ row: r.r0, col: r.c0, rowspan: r.r1 - r.r0 + 1, colspan: r.c1 - r.c0 + 1, box: [xs[r.c0]!, ys[r.r0]!, xs[r.c1 + 1]!, ys[r.r1 + 1]!] }))
      .sort((a, b) => a.row - b.row || a.col - b.col);
    // a frame round the page or a boxed note is no table
    if (cells.length < 2) continue;
    grids.push({ box: [xs[0]!, ys[0]!, xs[cols]!, ys[rows]!], cells });
  }
  const within = (a: Grid, b: Grid) => a !== b && a.box[0] >= b.box[0] && a.box[1] >= b.box[1] && a.box[2] <= b.box[2] && a.box[3] <= b.box[3];
  return grids.filter((g) => !grids.some((o) => within(o, g))).sort((a, b) => a.box[1] - b.box[1]);
}

/**
 * Rules closing a table where its vertical rules run on past the last horizontal one (a
 * table broken by the page has no rule under its last row, or over its first): at least
 * three of the table's verticals ending together, a cell's height or more beyond any
 * horizontal rule across them.
 */
function openEnds(h: HSeg[], v: VSeg[], tol: number, minCell: number): HSeg[] {
  const out: HSeg[] = [];
  // a table's verticals cross or meet its horizontal rules; a glyph's stroke meets none
  const ruled = v.filter((s) => s.y1 - s.y0 >= 2 * minCell && h.some((r) => touches(r, s, tol)));
  for (const end of ['y0', 'y1'] as const) {
    const sorted = [...ruled].sort((a, b) => a[end] - b[end]);
    for (let i = 0; i < sorted.length; ) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1]![end] - sorted[i]![end] <= tol) j++;
      const group = sorted.slice(i, j + 1);
      i = j + 1;
      if (group.length < 3) continue;
      const y = group.reduce((a, s) => a + s[end], 0) / group.length;
      const x0 = Math.min(...group.map((s) => s.x));
      const x1 = Math.max(...group.map((s) => s.x));
      const inward = h.filter((s) => s.x0 <= x0 + tol && s.x1 >= x1 - tol).map((s) => (end === 'y1' ? y - s.y : s.y - y));
      if (inward.some((d) => d >= -tol && d < minCell)) continue;
      out.push({ y, x0, x1 });
    }
  }
  return out;
}

/** Bounds of a table grid: § 三 has about 30 rows and 10 columns. */
const MAX_GRID_ROWS = 400;
const MAX_GRID_COLS = 60;

/** A rule this many smallest cells long is no glyph's stroke. */
const LONG_RULE = 5;

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

/** Items into lines by their vertical overlap, each line's items left to right. */
function groupLines(items: Item[]): Item[][] {
  const sorted = [...items].sort((a, b) => a.box[1] - b.box[1] || a.box[0] - b.box[0]);
  const lines: Array<{ top: number; bottom: number; items: Item[] }> = [];
  for (const it of sorted) {
    const h = it.box[3] - it.box[1];
    // sorted by top, so only the last few lines can still overlap
    let line: (typeof lines)[number] | undefined;
    for (let k = lines.length - 1; k >= Math.max(0, lines.length - 4) && !line; k--) {
      const l = lines[k]!;
      if (Math.min(l.bottom, it.box[3]) - Math.max(l.top, it.box[1]) >= 0.5 * Math.min(h, l.bottom - l.top)) line = l;
    }
    if (line) {
      line.items.push(it);
      line.top = Math.min(line.top, it.box[1]);
      line.bottom = Math.max(line.bottom, it.box[3]);
    } else lines.push({ top: it.box[1], bottom: it.box[3], items: [it] });
  }
  return lines.sort((a, b) => a.top - b.top).map((l) => l.items.sort((a, b) => a.box[0] - b.box[0]));
}

/** One line's text: a space where the gap is a space's worth (wider between two CJK characters, which justified text spreads). */
function lineString(items: Item[]): string {
  let s = '';
  items.forEach((it, i) => {
    const prev = items[i - 1];
    if (prev) {
      const gap = it.box[0] - prev.box[2];
      const size = Math.max(1, Math.min(prev.size, it.size));
      const cjk = CJK.test(prev.text.slice(-1)) && CJK.test(it.text[0] ?? '');
      if (gap > (cjk ? 1 : 0.3) * size) s += ' ';
    }
    s += it.text;
  });
  return s.trim();
}

/** Lines of one cell, joined without a space where a label was wrapped between CJK characters. */
function cellString(lines: Item[][]): string {
  let s = '';
  for (const l of lines) {
    const t = lineString(l);
    if (!t) continue;
    if (s && !(CJK.test(s.slice(-1)) || CJK.test(t[0]!))) s += ' ';
    s += t;
  }
  return s;
}

const boxOf = (items: Item[]): Box => [
  Math.min(...items.map((i) => i.box[0])),
  Math.min(...items.map((i) => i.box[1])),
  Math.max(...items.map((i) => i.box[2])),
  Math.max(...items.map((i) => i.box[3])),
];

const round = (b: Box): Box => b.map((x) => Math.round(x * 10) / 10) as Box;

/** A page's content (text items and ruled tables) into lines, top to bottom. */
export interface PageContent {
  page: number;
  /** page height, to tell running headers and footers */
  height: number;
  items: Item[];
  grids: Grid[];
  /** the text of a grid cell when it was read separately (OCR), by `${grid}:${row}:${col}` */
  cellText?: Map<string, { text: string; confidence?: number }>;
  /** columns of an unruled table the page before left unfinished */
  continued?: number[] | null;
}

export interface PageLines {
  lines: Line[];
  /** tables found on the page: ruled grids, then tables printed without rules */
  tables: number;
  /** the columns of the page's last table printed without rules, for its continuation overleaf */
  columns: number[] | null;
  /** text lines in the top and bottom bands, candidates for running headers and footers */
  margins: Array<{ index: number; text: string }>;
}

const inside = (it: Item, b: Box) => {
  const cx = (it.box[0] + it.box[2]) / 2;
  const cy = (it.box[1] + it.box[3]) / 2;
  return cx >= b[0] && cx <= b[2] && cy >= b[1] && cy <= b[3];
};

/**
 * Text runs cut at the rules they cross: a PDF generator may set two cells' figures as one
 * run ("3" right-aligned against "10" left-aligned reads "310"); each piece goes to the cell
 * it was printed in, by the run's average advance per character.
 */
function splitAtRules(items: Item[], grids: Grid[]): Item[] {
  const out: Item[] = [];
  for (const it of items) {
    const g = grids.find((x) => inside(it, x.box));
    const chars = [...it.text];
    if (!g || chars.length < 2) {
      out.push(it);
      continue;
    }
    const cy = (it.box[1] + it.box[3]) / 2;
    const edges = [...new Set(g.cells.filter((c) => cy >= c.box[1] && cy <= c.box[3]).flatMap((c) => [c.box[0], c.box[2]]))]
      .filter((x) => x > it.box[0] + 0.5 && x < it.box[2] - 0.5)
      .sort((a, b) => a - b);
    if (!edges.length) {
      out.push(it);
      continue;
    }
    const w = (it.box[2] - it.box[0]) / chars.length;
    let from = 0;
    for (const e of [...edges, Infinity]) {
      const to = e === Infinity ? chars.length : Math.max(from, Math.min(chars.length, Math.round((e - it.box[0]) / w)));
      const text = chars.slice(from, to).join('');
      if (text.trim()) out.push({ ...it, text, box: [it.box[0] + from * w, it.box[1], it.box[0] + to * w, it.box[3]] });
      from = to;
    }
  }
  return out;
}

/** A value as a table prints it: a number, a dash or slash for none, 无. */
const VALUE = /^(?:[-+]?\d[\d,]*(?:\.\d+)?|[—–\-/／]|无)$/;

/** A line's items joined into words where no space falls between them (pdfjs splits 50835 into 5 and 0835). */
function words(items: Item[]): Item[] {
  const out: Item[] = [];
  for (const it of items) {
    const prev = out[out.length - 1];
    const gap = prev ? it.box[0] - prev.box[2] : Infinity;
    const size = prev ? Math.max(1, Math.min(prev.size, it.size)) : 1;
    const cjk = prev && CJK.test(prev.text.slice(-1)) && CJK.test(it.text[0] ?? '');
    if (prev && gap <= (cjk ? 1 : 0.3) * size) {
      out[out.length - 1] = { ...prev, text: prev.text + it.text, box: [prev.box[0], Math.min(prev.box[1], it.box[1]), it.box[2], Math.max(prev.box[3], it.box[3])], confidence: prev.confidence ?? it.confidence };
    } else out.push({ ...it, text: it.text.trim() });
  }
  return out.filter((w) => w.text);
}

const centre = (b: Box) => (b[0] + b[2]) / 2;
const middle = (b: Box) => (b[1] + b[3]) / 2;

/**
 * Lines of one label column cut into one block per row (a block may be empty, and none
 * reaches past its neighbours' figures), so that the blocks sit as centred as possible on
 * their rows' figures: the least sum of squared distances between a block's middle and its
 * row's, by dynamic programming.
 */
/** Weight of a block's spread about its row: only breaks ties between equally centred cuts. */
const SPREAD = 0.01;

function centredBlocks(words: Item[], rows: number[], brokenLast: boolean): Item[][] {
  const lines: Item[][] = [];
  for (const w of [...words].sort((a, b) => middle(a.box) - middle(b.box) || a.box[0] - b.box[0])) {
    const last = lines[lines.length - 1];
    if (last && Math.abs(middle(last[0]!.box) - middle(w.box)) < w.size / 2) last.push(w);
    else lines.push([w]);
  }
  const y = lines.map((l) => middle(l[0]!.box));
  const n = y.length;
  const m = rows.length;
  const cost = (a: number, b: number, row: number) => {
    if (a === b) return 0;
    // a row's label lies inside its cell, which ends before the neighbouring rows' middles
    if ((row > 0 && y[a]! <= rows[row - 1]!) || (row < m - 1 && y[b - 1]! >= rows[row + 1]!)) return Infinity;
    let sum = 0;
    let spread = 0;
    for (let k = a; k < b; k++) {
      sum += y[k]!;
      spread += (y[k]! - rows[row]!) ** 2;
    }
    // a last row that runs on over the page break has its figures at its top, not its middle
    if (brokenLast && row === m - 1) return y[a]! < rows[row]! ? SPREAD * spread : 0;
    const d = sum / (b - a) - rows[row]!;
    // centred first; of blocks as centred, the tighter (a line between two rows goes with the nearer)
    return d * d * (b - a) + SPREAD * spread;
  };
  const best = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(Infinity));
  const from = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0));
  best[0]![0] = 0;
  for (let k = 1; k <= m; k++) {
    for (let t = 0; t <= n; t++) {
      for (let s0 = 0; s0 <= t; s0++) {
        const c = best[k - 1]![s0]! + cost(s0, t, k - 1);
        if (c < best[k]![t]!) {
          best[k]![t] = c;
          from[k]![t] = s0;
        }
      }
    }
  }
  const out: Item[][] = rows.map(() => []);
  for (let k = m, t = n; k > 0; k--) {
    const s0 = from[k]![t]!;
    out[k - 1] = lines.slice(s0, t).flat();
    t = s0;
  }
  return out;
}

/**
 * Tables printed without rules: the columns are where the header prints its lowest headings
 * (those with no heading under them: 商业企业 under 法人或其他组织, 自然人 beside them), and
 * each figure of a row goes to the column it stands under, so a blank cell stays a blank
 * cell instead of shifting the figures after it. Returns, by line index, the row's cells;
 * a table whose figures do not line up under its headings is left to the text reader.
 */
function unruledRows(
  lines: Item[][],
  page: number,
  height: number,
  firstTable: number,
  carried: number[] | null,
): { rows: Map<number, Cell[]>; consumed: Set<number>; tables: number; columns: number[] | null } {
  let last: number[] | null = null;
  const W = lines.map(words);
  const valueRow = (ws: Item[]) => {
    const first = ws.findIndex((w) => VALUE.test(w.text));
    return first >= 0 && ws.length - first >= 3 && ws.slice(first).every((w) => VALUE.test(w.text));
  };
  const rows = new Map<number, Cell[]>();
  /** label lines folded into their rows */
  const consumed = new Set<number>();
  let tables = 0;
  for (let i = 0; i < W.length; i++) {
    if (!valueRow(W[i]!)) continue;
    // the header: the text lines right above, close together
    const header: Item[] = [];
    for (let k = i - 1, below = W[i]![0]!.box[1]; k >= 0 && k >= i - 5; k--) {
      const ws = W[k]!;
      if (!ws.length || ws.some((w) => VALUE.test(w.text)) || below - Math.max(...ws.map((w) => w.box[3])) > 2.5 * ws[0]!.size) break;
      header.push(...ws);
      below = Math.min(...ws.map((w) => w.box[1]));
    }
    // the run of value rows and the label lines between them
    const run: number[] = [];
    let j = i;
    const firstValue = Math.min(...W[i]!.filter((w) => VALUE.test(w.text)).map((w) => w.box[0]));
    // a label line stays inside the label column; a heading or a paragraph ends the table
    const labelLine = (ws: Item[]) => ws.length > 0 && ws.every((w) => w.box[2] <= firstValue + 0.5 * w.size && !w.text.includes('。'));
    for (; j < W.length; j++) {
      const ws = W[j]!;
      if (valueRow(ws)) run.push(j);
      else if (!labelLine(ws)) break;
    }
    const values = run.flatMap((r) => W[r]!.filter((w) => VALUE.test(w.text)));
    const left = Math.min(...values.map((w) => w.box[0]));
    const right = Math.max(...values.map((w) => w.box[2]));
    const leaves = header.filter(
      (h) => centre(h.box) >= left - (right - left) * 0.05 && centre(h.box) <= right + (right - left) * 0.05 && !header.some((o) => o !== h && o.box[1] > h.box[3] - 1 && o.box[0] < h.box[2] && o.box[2] > h.box[0]),
    );
    // a table continued from the page before prints no headings: its columns carry over
    const continued = leaves.length < 3 && carried !== null && rows.size === 0;
    const columns = continued ? carried! : leaves.map((h) => centre(h.box)).sort((a, b) => a - b);
    const widest = Math.max(...run.map((r) => W[r]!.filter((w) => VALUE.test(w.text)).length));
    const spacing = Math.min(...columns.slice(1).map((c, k) => c - columns[k]!));
    let fits = columns.length >= widest && columns.length >= 3;
    const placed = new Map<number, Array<Item | null>>();
    for (const r of fits ? run : []) {
      const slots: Array<Item | null> = columns.map(() => null);
      for (const w of W[r]!.filter((x) => VALUE.test(x.text))) {
        const k = columns.reduce((best, c, n) => (Math.abs(c - centre(w.box)) < Math.abs(columns[best]! - centre(w.box)) ? n : best), 0);
        if (slots[k] || Math.abs(columns[k]! - centre(w.box)) > spacing / 2) fits = false;
        slots[k] = w;
      }
      placed.set(r, slots);
    }
    if (fits) {
      const table = firstTable + tables++;
      last = columns;
      // A wrapped label's lines sit above and below its row's figures, which are centred
      // against it. In each label column the lines are cut into one block per row so that
      // every block is as well centred on its row's figures as can be. The label lines
      // right after the headings are the first row's.
      const headerBottom = continued ? -Infinity : Math.max(...leaves.map((h) => h.box[3]));
      let first = i;
      while (first > 0 && first > i - 6 && labelLine(W[first - 1]!) && Math.min(...W[first - 1]!.map((w) => w.box[1])) > headerBottom) first--;
      const rowY = run.map((r) => (Math.min(...W[r]!.map((w) => w.box[1])) + Math.max(...W[r]!.map((w) => w.box[3]))) / 2);
      const labels = new Map<number, Item[]>(run.map((r) => [r, []]));
      const size = W[i]![0]!.size;
      const columnsOfLabels = new Map<number, Item[]>();
      for (let k = first; k < j; k++) {
        for (const w of W[k]!) {
          if (VALUE.test(w.text) && run.includes(k)) continue;
          const key = Math.round(centre(w.box) / (2 * size));
          columnsOfLabels.set(key, [...(columnsOfLabels.get(key) ?? []), w]);
        }
      }
      // the table goes on overleaf when nothing but the page's footer follows it
      const brokenLast = W.slice(j).every((ws) => ws.every((w) => w.box[1] > 0.9 * height));
      let centred = true;
      for (const ws of columnsOfLabels.values()) {
        const blocks = centredBlocks(ws, rowY, brokenLast);
        blocks.forEach((b, n) => labels.get(run[n]!)!.push(...b));
        // the column of the rows' own labels (one in nearly every row) must come out centred
        // on every row but a last one broken by the page; otherwise which label is whose is
        // a guess, and the table is left to the text reader
        if (blocks.filter((b) => b.length).length >= 0.8 * run.length) {
          blocks.forEach((b, n) => {
            if (!b.length || (brokenLast && n === run.length - 1)) return;
            const mid = b.reduce((a, w) => a + middle(w.box), 0) / b.length;
            if (Math.abs(mid - rowY[n]!) > 0.75 * size) centred = false;
          });
        }
      }
      if (!centred) {
        tables--;
        last = null;
        i = Math.max(i, j - 1);
        continue;
      }
      for (const [r, slots] of placed) {
        // label cells side by side as printed (a group's name beside its items' names),
        // each read top to bottom
        const buckets = new Map<number, Item[]>();
        for (const w of labels.get(r)!) {
          const key = Math.round(centre(w.box) / (2 * size));
          buckets.set(key, [...(buckets.get(key) ?? []), w]);
        }
        const labelCells = [...buckets.entries()]
          .sort((x, y) => x[0] - y[0])
          .map(([, ws], n): Cell => {
            ws.sort((x, y) => x.box[1] - y.box[1] || x.box[0] - y.box[0]);
            return { text: cellString(ws.map((w) => [w])), pos: { page, table, row: r + 1, col: n + 1, box: round(boxOf(ws)) } };
          });
        if (!labelCells.length) labelCells.push({ text: '', pos: { page, table, row: r + 1, col: 1 } });
        const cells: Cell[] = [
          ...labelCells,
          ...slots.map((w, k): Cell => ({
            text: w?.text ?? '',
            pos: { page, table, row: r + 1, col: labelCells.length + k + 1, ...(w ? { box: round(w.box) } : {}) },
            ...(w?.confidence !== undefined ? { confidence: w.confidence } : {}),
          })),
        ];
        rows.set(r, cells);
      }
      for (let k = first; k < j; k++) if (!run.includes(k)) consumed.add(k);
    }
    i = Math.max(i, j - 1);
  }
  return { rows, consumed, tables, columns: last };
}

export function pageLines(p: PageContent, firstTable: number): PageLines {
  p = { ...p, items: splitAtRules(p.items, p.grids) };
  const free = p.items.filter((it) => !p.grids.some((g) => inside(it, g.box)));
  type Block = { y: number; lines: Line[] };
  const blocks: Block[] = [];
  const margins: PageLines['margins'] = [];
  const freeLines = groupLines(free);
  const unruled = unruledRows(freeLines, p.page, p.height, firstTable + p.grids.length, p.continued ?? null);
  for (const [n, items] of freeLines.entries()) {
    if (unruled.consumed.has(n)) continue;
    const row = unruled.rows.get(n);
    if (row) {
      blocks.push({ y: boxOf(items)[1], lines: [{ kind: 'row', pos: { page: p.page, table: row[0]!.pos.table, row: n + 1 }, cells: row }] });
      continue;
    }
    const text = lineString(items);
    if (!text) continue;
    const box = round(boxOf(items));
    const conf = items.some((i) => i.confidence !== undefined) ? Math.min(...items.map((i) => i.confidence ?? 1)) : undefined;
    const cell: Cell = { text, pos: { page: p.page, box }, ...(conf !== undefined ? { confidence: conf } : {}) };
    blocks.push({ y: box[1], lines: [{ kind: 'text', pos: { page: p.page }, cells: [cell] }] });
  }
  p.grids.forEach((g, gi) => {
    const table = firstTable + gi;
    const rows = new Map<number, Cell[]>();
    for (const c of g.cells) {
      const read = p.cellText?.get(`${gi}:${c.row}:${c.col}`);
      const mine = read ? [] : p.items.filter((it) => inside(it, c.box));
      const text = read ? read.text : cellString(groupLines(mine));
      const cell: Cell = { text, pos: { page: p.page, table, row: c.row + 1, col: c.col + 1, box: round(c.box) }, ...(c.rowspan > 1 ? { rows: c.rowspan } : {}), ...(c.colspan > 1 ? { cols: c.colspan } : {}) };
      const confidence = read ? read.confidence : mine.some((i) => i.confidence !== undefined) ? Math.min(...mine.map((i) => i.confidence ?? 1)) : undefined;
      if (confidence !== undefined) cell.confidence = confidence;
      rows.set(c.row, [...(rows.get(c.row) ?? []), cell]);
    }
    splitEnumerated(rows);
    const lines: Line[] = [...rows.entries()]
      .sort((a, b) => a[0] - b[0])
      .filter(([, cells]) => cells.some((c) => c.text !== ''))
      .map(([r, cells]) => ({ kind: 'row', pos: { page: p.page, table, row: r + 1 }, cells }));
    blocks.push({ y: g.box[1], lines });
  });
  blocks.sort((a, b) => a.y - b.y);
  const lines: Line[] = [];
  for (const b of blocks) {
    for (const l of b.lines) {
      const y = l.cells[0]!.pos.box?.[1] ?? b.y;
      if (l.kind === 'text' && (y < p.height * 0.1 || y > p.height * 0.9)) margins.push({ index: lines.length, text: l.cells[0]!.text });
      lines.push(l);
    }
  }
  return { lines, margins, tables: p.grids.length + unruled.tables, columns: unruled.columns };
}

/** Item numbers in a label cell: "5.", "6、", a bare 6 before a word, or the point of one whose digit was lost (" .要求"). */
const ITEM_NUMBER = /(?:^|\s)(?:(\d{1,2})(?=[.．、]|\s*[\u4e00-\u9fff])|[.．](?=[\u4e00-\u9fff]))/g;

/**
 * A cell over k rows that holds k items numbered one after another ("5.… 6.… 7.…") is k cells
 * whose rules between them did not show (faint or blurred in a scan): each row gets its own
 * label, where a cell that truly spans rows (（三）不予公开) holds one. Rows are keyed from 0.
 */
function splitEnumerated(rows: Map<number, Cell[]>): void {
  for (const [r, cells] of rows) {
    for (const [i, cell] of cells.entries()) {
      const k = cell.rows ?? 1;
      if (k < 2) continue;
      const marks = [...cell.text.matchAll(ITEM_NUMBER)];
      if (!marks.length || marks[0]!.index !== 0) continue;
      const first = Number(marks[0]![1]);
      if (!first) continue;
      const cuts: number[] = [0];
      for (const m of marks.slice(1)) if (m[1] === undefined || Number(m[1]) === first + cuts.length) cuts.push(m.index!);
      // every row below must exist with cells of its own, so each label has figures to go with
      const bands = Array.from({ length: k - 1 }, (_, j) => rows.get(r + 1 + j)?.find((c) => !c.rows)?.pos.box);
      if (cuts.length !== k || bands.some((b) => !b)) continue;
      const parts = cuts.map((at, j) => cell.text.slice(at, cuts[j + 1]).trim());
      const box = cell.pos.box!;
      const ys = [box[1], ...bands.map((b) => b![1]), box[3]];
      parts.forEach((text, j) => {
        const piece: Cell = { ...cell, text, pos: { ...cell.pos, row: cell.pos.row! + j, box: [box[0], ys[j]!, box[2], ys[j + 1]!] } };
        delete piece.rows;
        if (j === 0) cells[i] = piece;
        else {
          const below = rows.get(r + j)!;
          below.push(piece);
          below.sort((a, b) => a.pos.col! - b.pos.col!);
        }
      });
    }
  }
}

const PAGE_NUMBER = /^[-—–－_~\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[\/／]\s*\d+|\s*共\s*\d+\s*页)?[-—–－_~\s]*$|^[-—–－]\s*[ivxlc]+\s*[-—–－]$/i;

/**
 * Pages into one line stream without running headers and footers: page numbers ("— 5 —",
 * "第 3 页 共 9 页") and lines repeated in the same band on most pages.
 */
export function joinPages(pages: PageLines[]): { lines: Line[]; removed: number } {
  const count = new Map<string, number>();
  const key = (t: string) => t.replace(/\d+/g, '#').replace(/\s+/g, '');
  for (const p of pages) for (const k of new Set(p.margins.map((m) => key(m.text)))) count.set(k, (count.get(k) ?? 0) + 1);
  const lines: Line[] = [];
  let removed = 0;
  for (const p of pages) {
    // the first page keeps its lines: a report's title is often also its running header
    const first = p === pages[0];
    const drop = new Set(
      p.margins.filter((m) => PAGE_NUMBER.test(m.text) || (!first && pages.length >= 2 && (count.get(key(m.text)) ?? 0) >= Math.max(2, pages.length / 2))).map((m) => m.index),
    );
    removed += drop.size;
    p.lines.forEach((l, i) => drop.has(i) || lines.push(l));
  }
  lines.forEach((l, i) => {
    l.pos.line = i + 1;
    for (const c of l.cells) c.pos.line = i + 1;
  });
  return { lines, removed };
}
