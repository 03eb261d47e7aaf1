// The three statistical tables, read from their regions into canonical keys.
import {
  S2_FORMAT_MARKERS,
  S2_TABLES,
  S3_COLUMNS,
  S3_ROWS,
  S4_KEYS,
  type ColumnSpec,
  type Format,
  type RowSpec,
} from './layout.js';
import { lineText } from './sections.js';
import { GLUED_REASON, LOW_CONFIDENCE, MAX_TOKENS, printedRun, readRows, tokenize, unglue, type RowRead, type Token } from './table-reader.js';
import type { Evidence, Line, TableStatus } from './types.js';

export interface Figures {
  values: Record<string, number>;
  units: Record<string, string>;
  missing: string[];
  evidence: Record<string, Evidence>;
  warnings: string[];
}

export interface TableResult {
  status: TableStatus;
  format: Format | null;
  /** § 三: column keys in printed order */
  columns?: string[];
  /** what made the table doubtful, where a reviewer should be told (表格数字粘连) */
  reasons?: string[];
}

const MAX_EVIDENCE_TEXT = 240;

function printedLine(line: Line): string {
  return line.kind === 'row' ? line.cells.map((c) => c.text).join(' | ') : lineText(line);
}

function rowText(lines: Line[], tok: Token, labelTok?: Token): string {
  const own = printedLine(lines[tok.line]!);
  const text = labelTok && labelTok.line !== tok.line ? `${printedLine(lines[labelTok.line]!)} … ${own}` : own;
  return text.length > MAX_EVIDENCE_TEXT ? text.slice(0, MAX_EVIDENCE_TEXT) + '…' : text;
}

function record(fig: Figures, key: string, tok: Token, text: string): void {
  const v = tok.value!;
  const pos = tok.cell.pos;
  const ev: Evidence = { printed: tok.printed, text };
  if (pos.page !== undefined) ev.page = pos.page;
  if (pos.line !== undefined) ev.line = pos.line;
  if (pos.table !== undefined) ev.table = pos.table;
  if (pos.row !== undefined) ev.row = pos.row;
  if (pos.col !== undefined) ev.col = pos.col;
  if (pos.box !== undefined) ev.box = pos.box;
  if (v.semantics !== 'number') ev.semantics = v.semantics;
  if (tok.cell.confidence !== undefined) ev.confidence = tok.cell.confidence;
  fig.evidence[key] = ev;
  if (v.value === null) fig.missing.push(key);
  else fig.values[key] = v.value;
  if (v.unit === '元') fig.units[key] = '元';
  if (v.semantics === 'slash' || v.semantics === 'none') {
    fig.warnings.push(`${key} 印为“${tok.printed}”，按 0 记录`);
  }
}

function recordRow(fig: Figures, lines: Line[], tokens: Token[], row: RowRead, columns: ColumnSpec[]): void {
  const labelTok = tokens[Math.floor(row.anchor.at)];
  const texts = new Map<number, string>();
  row.cells.forEach((tok, j) => {
    let text = texts.get(tok.line);
    if (text === undefined) texts.set(tok.line, (text = rowText(lines, tok, labelTok)));
    record(fig, `${row.spec.key}.${columns[j]!.key}`, tok, text);
  });
}

/**
 * § 三 columns as printed: with the 法人或其他组织 小计 column where the header has one,
 * placed where the header prints it (before 商业企业 or after 其他); `null` when the header
 * does not show where.
 */
function s3Columns(headerFlat: string): ColumnSpec[] | null {
  const at = headerFlat.indexOf('小计');
  if (at < 0) return S3_COLUMNS;
  const commercial = headerFlat.indexOf('商业');
  const legal = headerFlat.indexOf('法律服务');
  let place: number;
  if (commercial >= 0 && at < commercial) place = 1;
  else if (legal >= 0 && at > legal) place = 6;
  else return null;
  const cols = S3_COLUMNS.slice();
  cols.splice(place, 0, { key: 'subtotal', label: '法人或其他组织小计' });
  return cols;
}

function tooLarge(name: string, fig: Figures): TableResult {
  fig.warnings.push(`${name}：表格区域超过 ${MAX_TOKENS} 个单元，不予读取`);
  return { status: 'doubtful', format: null };
}

export function readS3(lines: Line[], fig: Figures): TableResult {
  const { tokens, flat, truncated } = tokenize(lines);
  if (truncated) return tooLarge('§ 三', fig);
  if (!/本年新收|上年结转/.test(flat) && !/结转下年/.test(flat)) return { status: 'absent', format: null };
  let format: Format = '2021';
  let known = true;
  if (!/逾期不补正|收费通知|缴纳费用/.test(flat)) {
    if (/其他处理/.test(flat)) format = '2019';
    else {
      known = false;
      fig.warnings.push('§ 三：未识别（六）其他处理的行结构，按 2021 年格式读取');
    }
  }
  const newAt = flat.search(/本年新收/);
  let columns = s3Columns(newAt >= 0 ? flat.slice(0, newAt) : '');
  let doubtful = false;
  if (!columns) {
    fig.warnings.push('§ 三：表头有“小计”列，但看不出它的位置');
    doubtful = true;
    columns = [...S3_COLUMNS.slice(0, 6), { key: 'subtotal', label: '法人或其他组织小计' }, S3_COLUMNS[6]!];
  } else if (columns.length !== S3_COLUMNS.length) fig.warnings.push('§ 三：表中有“法人或其他组织”小计列');
  const cols = columns;
  const read = readRows(tokens, flat, S3_ROWS[format], () => cols.length, '§ 三');
  fig.warnings.push(...read.warnings);
  // where the columns are unknown no figure is placed under a key
  if (!doubtful) for (const row of read.rows.values()) recordRow(fig, lines, tokens, row, cols);
  return { status: read.doubtful || doubtful ? 'doubtful' : 'ok', format: known ? format : null, columns: cols.map((c) => c.key), reasons: read.reasons };
}

export function readS2(lines: Line[], fig: Figures): TableResult {
  const { tokens, flat, truncated } = tokenize(lines);
  if (truncated) return tooLarge('§ 二', fig);
  const is2021 = S2_FORMAT_MARKERS['2021'].test(flat);
  const is2019 = S2_FORMAT_MARKERS['2019'].test(flat);
  let format: Format = '2021';
  if (is2019 && !is2021) format = '2019';
  else if (is2019 && is2021) fig.warnings.push('§ 二：表头同时出现 2019 和 2021 年格式的栏目，按 2021 年格式读取');
  const tables = S2_TABLES[format];
  const specs: RowSpec[] = tables.flatMap((t) => t.rows);
  const columnsOf = (spec: RowSpec) => tables.find((t) => t.rows.includes(spec))!.columns;
  // each 第二十条 item is a small table of its own; converters sometimes print them out of order
  const firstRows = new Set(tables.map((t) => t.rows[0]!));
  const read = readRows(tokens, flat, specs, (s) => columnsOf(s).length, '§ 二', (s) => firstRows.has(s));
  if (read.rows.size === 0 && !tokens.some((t) => t.kind === 'value')) return { status: 'absent', format: null };
  if (!is2019 && !is2021) fig.warnings.push('§ 二：未识别表头栏目，按 2021 年格式读取');
  fig.warnings.push(...read.warnings);
  for (const row of read.rows.values()) recordRow(fig, lines, tokens, row, columnsOf(row.spec));
  // the format fixes 万元; some reports print the amount in 元 and say so in the header
  if (format === '2021' && /收费金额[^万]{0,8}?元/.test(flat) && !/收费金额[^元]{0,8}?万元/.test(flat)) {
    fig.units['s2.fees.amount'] = '元';
  }
  return { status: read.doubtful ? 'doubtful' : 'ok', format: is2019 || is2021 ? format : null, reasons: read.reasons };
}

/** The lowest headings of § 四, one per column (a heading wrapped inside its cell reads as one). */
const S4_LEAF = /^(?:结果)?(?:维持|纠正)$|^其他(?:结果)?$|^(?:尚未)?审结$|^总计$/;

/**
 * § 四's figures placed by the positions of its 15 lowest header cells (PDF, OFD, scans):
 * each figure under the heading its centre falls within, however the headings wrap and
 * whatever slivers of cells the rules leave between them. Numbers under no heading (a page
 * number, a footer, a digit printed in a heading) are never cells. Null where the headings do
 * not give 15 columns or a column does not get exactly one cell.
 */
function byHeaderColumns(tokens: Token[]): Token[] | null {
  const heads = tokens.filter((t) => t.kind === 'text' && t.cell.pos.box && S4_LEAF.test(t.norm));
  if (heads.length < S4_KEYS.length) return null;
  const page = heads[0]!.cell.pos.page;
  const columns: Array<{ x0: number; x1: number; bottom: number }> = [];
  for (const h of heads.filter((t) => t.cell.pos.page === page).sort((a, b) => a.cell.pos.box![0] - b.cell.pos.box![0])) {
    const [x0, , x1, y1] = h.cell.pos.box!;
    const last = columns[columns.length - 1];
    // a heading wrapped over lines prints its parts one above the other: one column
    if (last && Math.min(last.x1, x1) - Math.max(last.x0, x0) >= 0.5 * Math.min(last.x1 - last.x0, x1 - x0)) {
      last.x0 = Math.min(last.x0, x0);
      last.x1 = Math.max(last.x1, x1);
      last.bottom = Math.max(last.bottom, y1);
    } else columns.push({ x0, x1, bottom: y1 });
  }
  if (columns.length !== S4_KEYS.length) return null;
  const top = Math.max(...columns.map((c) => c.bottom)) - 1;
  const cells: Array<Token | undefined> = columns.map(() => undefined);
  for (const t of tokens) {
    if (t.prose && t.cell.pos.box && t.cell.pos.box[1] > top) break;
    const box = t.cell.pos.box;
    if (t.kind !== 'value' || !box || t.cell.pos.page !== page || box[1] < top) continue;
    const cx = (box[0] + box[2]) / 2;
    const k = columns.findIndex((c) => cx >= c.x0 && cx <= c.x1);
    if (k < 0) continue;
    if (cells[k] && cells[k]!.value!.semantics !== 'blank') {
      if (t.value!.semantics !== 'blank') return null;
      continue;
    }
    cells[k] = t;
  }
  return cells.every((c) => c !== undefined) ? (cells as Token[]) : null;
}

/** § 四 is 15 figures in fixed order, usually one row under a three-row header. */
export function readS4(lines: Line[], fig: Figures): TableResult {
  const { tokens, truncated } = tokenize(lines);
  if (truncated) return tooLarge('§ 四', fig);
  const rows: Token[][] = [];
  for (const t of tokens) {
    // the table ends where prose begins (a § 五 heading the parser did not recognise)
    if (t.prose && rows.length) break;
    if (t.kind !== 'value') continue;
    const last = rows[rows.length - 1];
    if (last && (!t.grid || last[0]!.line === t.line)) last.push(t);
    else rows.push([t]);
  }
  const placed = byHeaderColumns(tokens);
  let values = placed ?? rows.flat();
  if (!placed && values.length > S4_KEYS.length) {
    // grid rows padded with empty cells: drop the padding at the row edges
    values = rows.flatMap((r) => {
      let a = 0;
      let b = r.length;
      while (a < b && r[a]!.value!.semantics === 'blank') a++;
      while (b > a && r[b - 1]!.value!.semantics === 'blank') b--;
      return r.slice(a, b);
    });
  }
  if (values.length === 0) return { status: 'absent', format: null };
  if (values.length < S4_KEYS.length) {
    const glued = unglue(values, S4_KEYS.length);
    if (glued === 'ambiguous') {
      fig.warnings.push(`§ 四：表格数字粘连，印为“${printedRun(values)}”，${S4_KEYS.length} 列无法唯一拆分`);
      return { status: 'doubtful', format: null, reasons: [GLUED_REASON] };
    }
    if (glued) {
      fig.warnings.push(`§ 四：表格数字粘连，“${printedRun(values)}”恰为 ${S4_KEYS.length} 位数字，按每位一格读取`);
      values = glued;
    }
  }
  if (values.length !== S4_KEYS.length) {
    fig.warnings.push(`§ 四：读到 ${values.length} 个数值，应为 ${S4_KEYS.length} 个`);
    return { status: 'doubtful', format: null };
  }
  const texts = new Map<number, string>();
  values.forEach((tok, i) => {
    let text = texts.get(tok.line);
    if (text === undefined) texts.set(tok.line, (text = rowText(lines, tok)));
    record(fig, S4_KEYS[i]!, tok, text);
  });
  const unsure = values.filter((t) => (t.cell.confidence ?? 1) < LOW_CONFIDENCE).length;
  if (unsure) {
    fig.warnings.push(`§ 四：有 ${unsure} 个数值识别置信度低`);
    return { status: 'doubtful', format: null };
  }
  return { status: 'ok', format: null };
}
