// Reading a table's figures from a region of lines, whatever shape the extraction left
// them in. The region becomes one stream of tokens, label text and values in printed
// order. Row labels are found in that stream in the order the official format fixes
// (anchors); runs of values are assigned to the anchor they follow (slots). Labels
// broken over lines, values wrapped onto the next line and cells split by a converter
// all reduce to the same stream. When a row's values cannot be placed with certainty
// the table is marked doubtful; figures are never inferred from the table's arithmetic.
import type { RowSpec } from './layout.js';
import { bestOccurrence, distance, numberingOf, overlap, tolerance } from './align.js';
import { matchForm, toHalfWidth } from './normalize.js';
import type { Cell, Line } from './types.js';
import { isEnumerator, isProseNumber, readCell, type CellValue } from './values.js';

export interface Token {
  kind: 'text' | 'value';
  printed: string;
  /** match-form text (text tokens), numbering removed */
  norm: string;
  value?: CellValue;
  cell: Cell;
  /** index of the line in the region */
  line: number;
  /** grid tokens: values of one table row never run on into the next row */
  grid: boolean;
  /** text of a prose sentence: never a row label */
  prose: boolean;
  flat0: number;
  flat1: number;
  /** a value printed in a merged cell spanning this many rows, standing in each of them */
  merged?: number;
}

const LEADING_NUMBER = /^(?:\(?[一二三四五六七八九十]+\)[、.]?|[一二三四五六七八九十]+[、.]|\(?\d+[).、．]|\d+(?=[\u4e00-\u9fff]))/;
const GLUED = /^(.*[\u4e00-\u9fff)）"”])([+-]?\d[\d,]*(?:\.\d+)?)$/;
/** A run of digits standing between words, as in a crawler's text dump of a table. */
const EMBEDDED = /(?<=[\u4e00-\u9fff)）"”])\d+(?:\.\d+)?(?=[\u4e00-\u9fff(（"“.、．]|$)|^\d+(?:\.\d+)?(?=[\u4e00-\u9fff(（"“.、．])/g;

function textToken(printed: string, cell: Cell, line: number, grid: boolean, prose = false): Token {
  return { kind: 'text', printed, norm: matchForm(printed).replace(LEADING_NUMBER, ''), cell, line, grid, prose, flat0: 0, flat1: 0 };
}

function valueToken(printed: string, value: CellValue, cell: Cell, line: number, grid: boolean): Token {
  return { kind: 'value', printed, norm: '', value, cell, line, grid, prose: false, flat0: 0, flat1: 0 };
}

/** A sentence: a full stop, or a long run of text with a comma, as no table label is. */
export function isProse(text: string): boolean {
  return /[。；]/.test(text) || (text.length > 40 && /[，,]/.test(text) && !/区分处理|逾期|行政机关/.test(text));
}

/** A table region holding more tokens than this is not one of the report's tables. */
export const MAX_TOKENS = 20_000;
/** A line longer than this is no table row (one seen in the wild held millions of numbers). */
const MAX_CELL_TEXT = 100_000;

/**
 * Tokens of a region, with each text token's place in the concatenated label text.
 * `truncated`: the region held more than MAX_TOKENS and was cut short.
 */
export function tokenize(lines: Line[]): { tokens: Token[]; flat: string; truncated: boolean } {
  const tokens: Token[] = [];
  /** copies of merged value cells owed to the rows below them, by table:row */
  const spans = new Map<string, Array<{ col: number; token: Token }>>();
  let truncated = false;
  // Label text with figures run into it, as a crawler's text dump prints a table
  // ("规章000行政规范性文件693665第二十条…"): each run of digits between words is a value,
  // except a row's numbering ("…00000002.其他法律…": the 2. before a word) and a number
  // that a unit or 第 makes part of the words.
  const pushRun = (text: string, cell: Cell, li: number) => {
    let last = 0;
    for (const m of text.matchAll(EMBEDDED)) {
      let digits = m[0];
      const at = m.index!;
      const after = text.slice(at + digits.length);
      if (/^[.、．](?=[\u4e00-\u9fff])/.test(after) && !digits.includes('.')) digits = digits.slice(0, -1);
      if (!digits || /第$/.test(text.slice(0, at)) || isProseNumber(text.slice(at + digits.length, at + digits.length + 1) || undefined)) continue;
      const value = readCell(digits);
      if (!value) continue;
      if (at > last) tokens.push(textToken(text.slice(last, at), cell, li, false));
      tokens.push(valueToken(digits, value, cell, li, false));
      last = at + digits.length;
    }
    if (last < text.length) tokens.push(textToken(text.slice(last), cell, li, false));
  };
  lines.forEach((line, li) => {
    if (truncated || tokens.length > MAX_TOKENS || line.cells.some((c) => c.text.length > MAX_CELL_TEXT)) return void (truncated = true);
    if (line.kind === 'row') {
      const reads = line.cells.map((c) => readCell(c.text));
      let lastText = -1;
      reads.forEach((r, j) => {
        if (r === null) lastText = j;
      });
      const row: Array<{ col: number; token: Token }> = [];
      line.cells.forEach((cell, j) => {
        const r = reads[j];
        const col = cell.pos.col ?? j + 1;
        if (r === null || r === undefined) return void row.push({ col, token: textToken(cell.text, cell, li, true) });
        if (r.semantics === 'blank' && j <= lastText) return;
        const token = valueToken(cell.text, r, cell, li, true);
        row.push({ col, token });
        // a figure printed once for several rows (rowspan) stands in each row it spans
        if ((cell.rows ?? 1) > 1 && line.pos.table !== undefined && line.pos.row !== undefined) {
          token.merged = cell.rows;
          for (let k = 1; k < cell.rows!; k++) {
            const at = `${line.pos.table}:${line.pos.row + k}`;
            spans.set(at, [...(spans.get(at) ?? []), { col, token }]);
          }
        }
      });
      const copies = line.pos.table !== undefined && line.pos.row !== undefined ? spans.get(`${line.pos.table}:${line.pos.row}`) : undefined;
      if (copies) for (const c of copies) row.push({ col: c.col, token: { ...c.token, line: li } });
      if (copies) row.sort((a, b) => a.col - b.col);
      for (const r of row) tokens.push(r.token);
      return;
    }
    for (const cell of line.cells) {
      // Running prose (a full stop) carries no table values, only label text.
      const prose = isProse(cell.text);
      const parts = cell.text.split(/\s+/).filter(Boolean);
      parts.forEach((p, k) => {
        if (prose || isEnumerator(p)) return void tokens.push(textToken(p, cell, li, false, prose));
        const r = readCell(p);
        if (r && r.semantics !== 'blank' && !(r.semantics === 'number' && isProseNumber(parts[k + 1]))) {
          return void tokens.push(valueToken(p, r, cell, li, false));
        }
        const glued = GLUED.exec(p);
        const gluedValue = glued && !/第$/.test(glued[1]!) ? readCell(glued[2]!) : null;
        if (glued && gluedValue && !isProseNumber(parts[k + 1])) {
          pushRun(glued[1]!, cell, li);
          tokens.push(valueToken(glued[2]!, gluedValue, cell, li, false));
        } else pushRun(p, cell, li);
      });
    }
  });
  let flat = '';
  for (const t of tokens) {
    t.flat0 = flat.length;
    if (t.kind === 'text') flat += t.norm;
    t.flat1 = flat.length;
  }
  return { tokens, flat, truncated };
}

export interface Anchor {
  spec: RowSpec;
  /** index of the token where the label starts */
  at: number;
  flat0: number;
  flat1: number;
}

/** The text token whose label text covers `offset` of the flat string. */
function tokenAt(tokens: Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.flat0 <= offset) {
      last = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // values and emptied labels take no room in the flat string: step back over them
  for (let i = last; i >= 0; i--) if (tokens[i]!.flat1 > offset) return i;
  return -1;
}

const GLOBAL = new WeakMap<RegExp, RegExp>();
/** Occurrences of one label kept for the alignment; a real table prints each a few times at most. */
const MAX_HITS = 64;

/** Where a row's distinctive phrase occurs in [from, to) of the flat label text, first to last. */
export function findLabels(tokens: Token[], flat: string, spec: RowSpec, from = 0, to = flat.length): Array<{ at: number; flat0: number; flat1: number }> {
  let re = GLOBAL.get(spec.match);
  if (!re) GLOBAL.set(spec.match, (re = new RegExp(spec.match.source, 'g')));
  re.lastIndex = from;
  const out: Array<{ at: number; flat0: number; flat1: number }> = [];
  let m: RegExpExecArray | null;
  while (out.length < MAX_HITS && (m = re.exec(flat)) && m.index < to) {
    const at = tokenAt(tokens, m.index);
    if (at < 0 || tokens[at]!.prose) continue;
    const end = m.index + m[0].length;
    if (spec.whole) {
      const last = tokenAt(tokens, end - 1);
      if (last < 0 || tokens[last]!.flat1 !== end) continue;
      // the whole token, or the end of one that figures follow (a text dump runs the header into the label)
      if (tokens[at]!.flat0 !== m.index && tokens[last + 1]?.kind !== 'value') continue;
    }
    out.push({ at, flat0: m.index, flat1: end });
  }
  return out;
}

type Hit = { at: number; flat0: number; flat1: number };

/**
 * One occurrence per row, in the format's order, keeping as many rows as can be kept: a
 * phrase that also occurs out of place (a note under the table, a neighbour's wording)
 * costs that one row at most, never the rows after it. Among equally long chains, the
 * earliest occurrences.
 */
function chain(hits: Hit[][]): Array<Hit | null> {
  const f = hits.map((h) => h.map(() => 1));
  for (let i = hits.length - 1; i >= 0; i--) {
    hits[i]!.forEach((h, k) => {
      let best = 0;
      for (let i2 = i + 1; i2 < hits.length; i2++) {
        hits[i2]!.forEach((h2, k2) => {
          if (h2.flat0 >= h.flat1 && f[i2]![k2]! > best) best = f[i2]![k2]!;
        });
      }
      f[i]![k] = 1 + best;
    });
  }
  let need = Math.max(0, ...f.flat());
  let cursor = 0;
  return hits.map((h, i) => {
    const k = h.findIndex((x, k) => x.flat0 >= cursor && f[i]![k] === need);
    if (k < 0 || need === 0) return null;
    need--;
    cursor = h[k]!.flat1;
    return h[k]!;
  });
}

const CORE = new WeakMap<RowSpec, string>();
/** A label's words as matched: match form without its numbering and printed remarks in brackets. */
export function labelCore(spec: RowSpec): string {
  let c = CORE.get(spec);
  if (c === undefined) CORE.set(spec, (c = matchForm(spec.label).replace(LEADING_NUMBER, '').replace(/\([^)]*\)/g, '')));
  return c;
}

/**
 * A row whose phrase was not found, placed in the gap [lo, hi) its neighbours leave:
 * by the words of its label, allowing about one wrong, missing or extra character in
 * three (and no other row's label as near), else by its numbering when exactly one label
 * in the gap is printed with it, else — when it is the only row missing there — by its place.
 */
function alignLabel(
  tokens: Token[],
  flat: string,
  spec: RowSpec,
  specs: RowSpec[],
  lo: number,
  hi: number,
  alone: boolean,
): (Hit & { how: 'words' | 'numbering' | 'place' }) | null {
  if (hi <= lo) return null;
  const core = labelCore(spec);
  const max = tolerance(core.length);
  if (max > 0) {
    const occ = bestOccurrence(core, flat.slice(lo, hi));
    if (occ && occ.d <= max) {
      const text = flat.slice(lo + occ.start, lo + occ.end);
      const nearer = specs.some((o) => o !== spec && !o.group && distance(text, labelCore(o), occ.d - 1) < occ.d);
      const at = tokenAt(tokens, lo + occ.start);
      if (!nearer && at >= 0 && !tokens[at]!.prose) return { at, flat0: lo + occ.start, flat1: lo + occ.end, how: 'words' };
    }
  }
  const expected = numberingOf(spec.label);
  if (!expected) return alone ? byPlace(tokens, spec, lo, hi) : null;
  const numbered: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'text' || t.prose || t.flat0 < lo || t.flat1 > hi) continue;
    if (numberingOf(t.printed) === expected || bareNumeral(t.printed) === expected) numbered.push(i);
  }
  if (numbered.length !== 1) return alone ? byPlace(tokens, spec, lo, hi) : null;
  const t = tokens[numbered[0]!]!;
  return { at: numbered[0]!, flat0: t.flat0, flat1: t.flat1, how: 'numbering' };
}

/** "(七)" for a label that is a bracketed numeral alone whose brackets OCR lost ("七" for （七）总计). */
function bareNumeral(printed: string): string | null {
  const m = /^[(（《<]?\s*([一二三四五六七八九十]+)\s*[)）》>]?$/.exec(toHalfWidth(printed).trim());
  return m ? `(${m[1]})` : null;
}

/**
 * The only row missing between its neighbours, placed by that place: the one label in the
 * gap that figures follow, sharing at least two characters in five with the official words
 * (an OCR reading of "四、结转下年度继续办理" as "由、绪转下年度乡级夫理"), or one in five when
 * it was read from an image, where the place is surer than the characters ("党报授这类中请"
 * for 1.信访举报投诉类申请 in a blurred scan).
 */
function byPlace(tokens: Token[], spec: RowSpec, lo: number, hi: number): (Hit & { how: 'place' }) | null {
  const labels: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'text' || t.prose || t.flat0 < lo || t.flat1 > hi || t.norm.length < 2) continue;
    if (tokens[i + 1]?.kind === 'value') labels.push(i);
  }
  if (labels.length !== 1) return null;
  const t = tokens[labels[0]!]!;
  const read = (t.cell.confidence ?? 1) < 1 ? 0.2 : 0.4;
  return overlap(t.norm, labelCore(spec)) >= read ? { at: labels[0]!, flat0: t.flat0, flat1: t.flat1, how: 'place' } : null;
}

/**
 * Anchors for the rows, aligned with the order the format fixes; `restart` rows begin a
 * new sequence (independent sub-tables such as those of § 二, which converters sometimes
 * reorder). A row whose phrase is not found is placed by alignment between its
 * neighbours (its printed label kept in `aligned`); group rows are searched only between
 * their neighbours. Labels not placed are listed, never guessed.
 */
export function findAnchors(
  tokens: Token[],
  flat: string,
  specs: RowSpec[],
  restart: (spec: RowSpec) => boolean = () => false,
): { anchors: Anchor[]; missing: RowSpec[]; aligned: Array<{ spec: RowSpec; printed: string }> } {
  const anchors: Anchor[] = [];
  const missing: RowSpec[] = [];
  const aligned: Array<{ spec: RowSpec; printed: string }> = [];
  const rows = specs.filter((s) => !s.group);
  const segments: RowSpec[][] = [];
  for (const spec of rows) {
    if (!segments.length || restart(spec)) segments.push([]);
    segments[segments.length - 1]!.push(spec);
  }
  for (const seg of segments) {
    const placed: Array<Hit | null> = chain(seg.map((spec) => findLabels(tokens, flat, spec)));
    // rows placed by alignment narrow the gaps left for the others: again until nothing moves
    for (let moved = true; moved; ) {
      moved = false;
      seg.forEach((spec, i) => {
        if (placed[i]) return;
        const before = placed.slice(0, i).filter((h): h is Hit => h !== null).pop();
        const after = placed.slice(i + 1).find((h): h is Hit => h !== null);
        const next = placed.findIndex((h, k) => k > i && h !== null);
        const prev = placed.slice(0, i).map((h) => h !== null).lastIndexOf(true);
        // the only row missing between two placed neighbours (or after the last) may be placed by its place
        const alone = placed.slice(prev + 1, next < 0 ? placed.length : next).filter((h) => h === null).length === 1 && prev >= 0;
        const hit = alignLabel(tokens, flat, spec, rows, before?.flat1 ?? 0, after?.flat0 ?? flat.length, alone);
        if (hit && !anchors.some((a) => a.at === hit.at) && !placed.some((p) => p && p.at === hit.at)) {
          placed[i] = hit;
          aligned.push({ spec, printed: tokens[hit.at]!.printed });
          moved = true;
        }
      });
    }
    seg.forEach((spec, i) => {
      const hit = placed[i];
      if (hit) anchors.push({ spec, at: hit.at, flat0: hit.flat0, flat1: hit.flat1 });
      else missing.push(spec);
    });
  }
  const found = anchors.slice();
  specs.forEach((spec, i) => {
    if (!spec.group) return;
    const before = found.filter((a) => specs.indexOf(a.spec) < i).pop();
    const after = found.find((a) => specs.indexOf(a.spec) > i);
    const hit = findLabels(tokens, flat, spec, before?.flat1 ?? 0, after?.flat0 ?? flat.length)[0];
    if (hit) anchors.push({ spec, ...hit });
  });
  // a group label printed in the same token as its first row's ("（三）不予公开1.属于国家秘密") comes first
  return { anchors: anchors.sort((a, b) => a.at - b.at || a.flat0 - b.flat0), missing, aligned };
}

export interface RowRead {
  spec: RowSpec;
  anchor: Anchor;
  /** exactly the expected number of cells, in column order */
  cells: Token[];
}

export interface TableRead {
  rows: Map<string, RowRead>;
  warnings: string[];
  doubtful: boolean;
  /** where each row label was found */
  anchors: Anchor[];
  /** what made the table doubtful, where it is one a reviewer should be told (表格数字粘连) */
  reasons: string[];
}

export const GLUED_REASON = '表格数字粘连';

/** A run of cells as printed, empty cells left out. */
export const printedRun = (run: Token[]) => run.filter((t) => t.value!.semantics !== 'blank').map((t) => t.printed).join(' ');

/**
 * A row's cells run together into runs of digits ("0000000", "640020470" for
 * 64|0|0|2|0|4|70), as crawler text dumps and copy-paste leave them: at most half the
 * cells, all plain digits, with at least as many digits as cells. With exactly one digit
 * per cell there is only one reading, and it is returned; with more the run could be cut
 * several ways ('ambiguous'). The table's sums are never used to choose.
 */
export function unglue(run: Token[], need: number): Token[] | 'ambiguous' | null {
  // the empty cells a grid row carries beside a glued run are no figures of it
  const vals = run.filter((t) => t.value!.semantics !== 'blank');
  if (!vals.length || vals.length * 2 > need || !vals.every((t) => /^\d+$/.test(toHalfWidth(t.printed).trim()))) return null;
  const digits = vals.reduce((n, t) => n + toHalfWidth(t.printed).trim().length, 0);
  if (digits < need) return null;
  if (digits > need) return 'ambiguous';
  return vals.flatMap((t) => [...toHalfWidth(t.printed).trim()].map((d) => ({ ...t, printed: d, value: readCell(d)! })));
}

/** Below this a cell's extraction confidence (OCR) makes its table doubtful. */
export const LOW_CONFIDENCE = 0.6;

/**
 * A run 1 2 3 … k (k ≥ 5) is a header row numbering the columns: no row of these tables
 * can hold it (its total would not add up).
 */
function isColumnNumbering(run: Token[]): boolean {
  return run.length >= 5 && run.every((t, i) => t.value!.semantics === 'number' && t.value!.value === i + 1);
}

/** Trim the blank cells a grid row carries around its values down to `need` cells. */
function trimRun(run: Token[], need: number): { cells: Token[]; ambiguous: boolean } {
  if (!run[0]?.grid) return { cells: run, ambiguous: false };
  const cells = run.slice();
  let trimmed = false;
  while (cells.length > need && cells[cells.length - 1]!.value!.semantics === 'blank') {
    cells.pop();
    trimmed = true;
  }
  while (cells.length > need && cells[0]!.value!.semantics === 'blank') {
    cells.shift();
    trimmed = true;
  }
  const edgeBlank = cells[0]?.value!.semantics === 'blank' || cells[cells.length - 1]?.value!.semantics === 'blank';
  return { cells, ambiguous: trimmed && edgeBlank };
}

/**
 * Read the rows of one table. `need(spec)` is the number of value columns of a row.
 * `name` is used in warnings (e.g. "§ 三").
 */
export function readRows(
  tokens: Token[],
  flat: string,
  specs: RowSpec[],
  need: (spec: RowSpec) => number,
  name: string,
  restart?: (spec: RowSpec) => boolean,
): TableRead {
  const warnings: string[] = [];
  const reasons = new Set<string>();
  let doubtful = false;
  const { anchors, missing, aligned } = findAnchors(tokens, flat, specs, restart);
  for (const { spec, printed } of aligned) warnings.push(`${name}：行标签“${printed}”按位置与字形读作“${spec.label}”`);
  for (const spec of missing) {
    warnings.push(`${name}：未找到行标签“${spec.label}”，该行不予读取`);
    doubtful = true;
  }

  // Runs of values, each assigned to the slot of the last anchor before it (-1: before all).
  const slots: Token[][][] = anchors.map(() => []);
  const pre: Token[][] = [];
  let run: Token[] = [];
  let runSlot = -1;
  let a = 0;
  const close = () => {
    if (run.length) (runSlot < 0 ? pre : slots[runSlot]!).push(run);
    run = [];
  };
  tokens.forEach((t, i) => {
    while (a < anchors.length && anchors[a]!.at <= i) a++;
    if (t.kind === 'text') return close();
    const prevTok = run[run.length - 1];
    if (prevTok && (a - 1 !== runSlot || (t.grid && prevTok.line !== t.line))) close();
    if (!run.length) runSlot = a - 1;
    run.push(t);
  });
  close();

  // Empty cells only mean "left blank" on the label's own row; elsewhere they are the
  // padding of header rows.
  const allBlank = (r: Token[]) => r.every((t) => t.value!.semantics === 'blank');
  let columnNumbers = 0;
  const usable = (r: Token[], labelLine: number) => {
    if (allBlank(r) && r[0]!.line !== labelLine) return false;
    if (isColumnNumbering(r)) {
      columnNumbers++;
      return false;
    }
    return true;
  };
  const values: Token[][] = anchors.map((an, i) => {
    const out: Token[] = [];
    const labelLine = tokens[an.at]!.line;
    for (const r of slots[i]!) {
      if (!usable(r, labelLine)) continue;
      const { cells, ambiguous } = trimRun(r, need(an.spec));
      if (ambiguous) {
        warnings.push(`${name}：“${an.spec.label}”一行的空白单元格位置不确定`);
        doubtful = true;
      }
      for (const c of cells) out.push(c);
    }
    return out;
  });
  const preValues: Token[] = [];
  for (const r of pre) if (usable(r, -1)) for (const t of r) preValues.push(t);
  if (columnNumbers) warnings.push(`${name}：${columnNumbers} 行列序号（1 2 3 …）不是数据，已忽略`);

  // A row whose values were printed before (or after) its label: take them from a
  // neighbouring slot that holds exactly one row too many. The move stands as read only
  // when the moved values sit on lines of their own; otherwise the table is doubtful.
  const ownLines = (kept: Token[], moved: Token[]) => {
    const lines = new Set(kept.map((t) => t.line));
    return moved.every((t) => !lines.has(t.line));
  };
  anchors.forEach((an, i) => {
    const n = need(an.spec);
    if (an.spec.group || values[i]!.length !== 0) return;
    const prevVals = i === 0 ? preValues : values[i - 1]!;
    const prevNeed = i === 0 ? 0 : anchors[i - 1]!.spec.group ? 0 : need(anchors[i - 1]!.spec);
    const next = i + 1 < anchors.length ? values[i + 1]! : null;
    let moved: Token[] | null = null;
    let kept: Token[] = [];
    if (prevVals.length === prevNeed + n) {
      moved = prevVals.splice(prevVals.length - n, n);
      kept = prevVals;
      warnings.push(`${name}：“${an.spec.label}”的数值印在标签之前，已按位置归入该行`);
    } else if (next && next.length === need(anchors[i + 1]!.spec) + n) {
      moved = next.splice(0, n);
      kept = next;
      warnings.push(`${name}：“${an.spec.label}”的数值印在下一行标签之后，已按位置归入该行`);
    }
    if (!moved) return;
    values[i] = moved;
    // before the first label there is no row of the table to prove the move against
    if (i === 0 || !ownLines(kept, moved)) doubtful = true;
  });

  const rows = new Map<string, RowRead>();
  anchors.forEach((an, i) => {
    const n = need(an.spec);
    let vals = values[i]!;
    // The final row of the layout may be followed by figures of whatever comes next; its
    // own are those printed on its label's line.
    const last = i === anchors.length - 1 && an.spec === specs[specs.length - 1];
    // a run of exactly one digit per column right after the label is the row, whatever follows it
    const firstRun = last && vals.length > n ? unglue(vals.slice(0, 1), n) : null;
    if (Array.isArray(firstRun)) {
      warnings.push(`${name}：表格数字粘连，“${an.spec.label}”一行“${vals[0]!.printed}”恰为 ${n} 位数字，按每位一格读取；其后 ${vals.length - 1} 个数值已忽略`);
      vals = firstRun;
    } else if (last && vals.length > n) {
      const labelLine = tokens[an.at]!.line;
      warnings.push(`${name}：“${an.spec.label}”之后多出 ${vals.length - n} 个数值，已忽略`);
      if (!vals.slice(0, n).every((t) => t.line === labelLine)) doubtful = true;
      vals = vals.slice(0, n);
    }
    // a group heading row printed without figures is no subtotal row
    if (an.spec.group && (vals.length === 0 || allBlank(vals))) return;
    // one merged cell printed across several columns: its 0 is each column's 0
    const wide = vals.filter((t) => (t.cell.cols ?? 1) > 1);
    const filled = vals.filter((t) => t.value!.semantics !== 'blank');
    if (wide.length && filled.length < n && filled.length - wide.length + wide.reduce((a, t) => a + t.cell.cols!, 0) === n) {
      if (!wide.every((t) => t.value!.semantics === 'number' && t.value!.value === 0)) {
        warnings.push(`${name}：“${an.spec.label}”一行的数值印在跨列的合并单元格中，无法分到各列`);
        doubtful = true;
        return;
      }
      vals = filled.flatMap((t) => ((t.cell.cols ?? 1) > 1 ? Array.from({ length: t.cell.cols! }, () => t) : [t]));
    }
    if (vals.length < n && !an.spec.group) {
      const glued = unglue(vals, n);
      if (glued === 'ambiguous') {
        warnings.push(`${name}：表格数字粘连，“${an.spec.label}”一行印为“${printedRun(vals)}”，${n} 列无法唯一拆分`);
        reasons.add(GLUED_REASON);
        doubtful = true;
        return;
      }
      if (glued) {
        warnings.push(`${name}：表格数字粘连，“${an.spec.label}”一行“${printedRun(vals)}”恰为 ${n} 位数字，按每位一格读取`);
        vals = glued;
      }
    }
    if (vals.length !== n) {
      warnings.push(`${name}：“${an.spec.label}”一行读到 ${vals.length} 个数值，应为 ${n} 个`);
      doubtful = true;
      return;
    }
    // a merged cell's 0 is each row's 0; any other figure is the rows' together, not each one's
    const shared = vals.filter((t) => t.merged && t.value!.value !== 0 && t.value!.semantics === 'number');
    if (shared.length) {
      warnings.push(`${name}：“${an.spec.label}”一行有 ${shared.length} 个数值印在跨行的合并单元格中，无法分到各行`);
      doubtful = true;
      return;
    }
    const unsure = vals.filter((t) => (t.cell.confidence ?? 1) < LOW_CONFIDENCE);
    if (unsure.length) {
      warnings.push(`${name}：“${an.spec.label}”一行有 ${unsure.length} 个数值识别置信度低`);
      doubtful = true;
    }
    rows.set(an.spec.key, { spec: an.spec, anchor: an, cells: vals });
  });
  const preNumbers = preValues.filter((t) => t.value!.semantics === 'number').length;
  if (preNumbers) warnings.push(`${name}：第一行标签之前有 ${preNumbers} 个数字未归入任何行，已忽略`);
  return { rows, warnings, doubtful, anchors, reasons: [...reasons] };
}
