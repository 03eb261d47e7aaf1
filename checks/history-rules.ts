// Checks across two consecutive years of one agency: pure functions over the previous
// and the current report. The store decides which reports are neighbours.
import { S3_COLUMNS } from '../parser/layout.js';
import type { ParsedReport } from '../parser/types.js';
import type { CheckResult } from './report-rules.js';

export type HistoryCheck = (current: ParsedReport, previous: ParsedReport) => CheckResult;

const COLUMN_LABEL = new Map(S3_COLUMNS.map((c) => [c.key, c.label]));

const carry: HistoryCheck = (cur, prev) =>
  S3_COLUMNS.flatMap((c) => {
    const now = cur.values[`s3.carried_in.${c.key}`];
    const before = prev.values[`s3.carried_out.${c.key}`];
    if (now === undefined || before === undefined || now === before) return [];
    return [
      {
        cells: [`${prev.year}:s3.carried_out.${c.key}`],
        actualCells: [`s3.carried_in.${c.key}`],
        expected: before,
        actual: now,
        // the total is certain; a column may have been re-classified between years
        severity: c.key === 'total' ? ('error' as const) : ('warning' as const),
        params: { column: COLUMN_LABEL.get(c.key)! },
      },
    ];
  });

const docStock: HistoryCheck = (cur, prev) => {
  if (cur.layout.s2 !== '2021' || prev.layout.s2 !== '2021') return { notChecked: '两年须均为 2021 年格式' };
  return (['s2.rules', 's2.normative'] as const).flatMap((row) => {
    const [stock, issued, repealed] = ['in_force', 'issued', 'repealed'].map((c) => cur.values[`${row}.${c}`]);
    const before = prev.values[`${row}.in_force`];
    if ([stock, issued, repealed, before].some((v) => v === undefined)) return [];
    const expected = before! + issued! - repealed!;
    if (expected === stock) return [];
    return [
      {
        cells: [`${prev.year}:${row}.in_force`, `${row}.issued`, `${row}.repealed`],
        actualCells: [`${row}.in_force`],
        expected,
        actual: stock!,
        params: { row: row === 's2.rules' ? '规章' : '行政规范性文件' },
      },
    ];
  });
};

/** Text with years, digits and layout removed: what stays the same when a report is copied. */
function masked(text: string): string {
  return text.replace(/\d+|[〇零一二三四五六七八九十]{2,4}年/g, '#').replace(/[\s\p{P}]/gu, '');
}

function shingles(text: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 3 <= text.length; i++) out.add(text.slice(i, i + 3));
  return out;
}

/** Jaccard similarity of character 3-grams. */
export function similarity(a: string, b: string): number {
  const x = shingles(a);
  const y = shingles(b);
  if (!x.size || !y.size) return 0;
  let common = 0;
  for (const s of x) if (y.has(s)) common++;
  return common / (x.size + y.size - common);
}

const NEAR_IDENTICAL = 0.9;
/** A section shorter than this says too little for its sameness to mean copying. */
const COPY_MIN_LENGTH = 60;

const copy: HistoryCheck = (cur, prev) => {
  const sections = ['一', '二', '三', '四', '五', '六'];
  const all = (r: ParsedReport) => masked(sections.map((s) => r.narrative[s] ?? '').join(''));
  const tables = (r: ParsedReport) => JSON.stringify(Object.entries(r.values).filter(([k]) => !k.startsWith('text.')).sort());
  if (all(cur).length >= COPY_MIN_LENGTH && all(cur) === all(prev) && tables(cur) === tables(prev)) {
    return [{ cells: ['narrative'], actualCells: [`${prev.year}:narrative`], expected: null, actual: 1, severity: 'error', params: { section: '全文（除年份外）', actual: '100%' } }];
  }
  return ['一', '五'].flatMap((s) => {
    const a = masked(cur.narrative[s] ?? '');
    const b = masked(prev.narrative[s] ?? '');
    if (a.length < COPY_MIN_LENGTH || b.length < COPY_MIN_LENGTH) return [];
    const sim = similarity(a, b);
    if (sim < NEAR_IDENTICAL) return [];
    return [{ cells: [`section.${s}`], actualCells: [`${prev.year}:section.${s}`], expected: null, actual: Math.round(sim * 100) / 100, params: { section: s, actual: `${Math.round(sim * 100)}%` } }];
  });
};

const formatRegression: HistoryCheck = (cur, prev) =>
  prev.format === '2021' && cur.format === '2019' ? [{ cells: [`${prev.year}:meta.format`], actualCells: ['meta.format'], expected: '2021', actual: '2019' }] : [];

const JUMP_KEYS = ['s3.new.total', 's2.licensing.decisions', 's2.penalty.decisions', 's2.coercion.decisions', 's2.fees.amount', 'text.proactive_items'];
const JUMP_BASE = 10;
const JUMP_FACTOR = 5;

/** A figure of a table read with doubt in either year is no base for comparison. */
const confident = (r: ParsedReport, key: string) => {
  const table = key.slice(0, 2);
  return !(table === 's2' || table === 's3' || table === 's4') || r.tables[table] === 'ok';
};

const jump: HistoryCheck = (cur, prev) =>
  JUMP_KEYS.flatMap((key) => {
    if (!confident(cur, key) || !confident(prev, key)) return [];
    const now = cur.values[key];
    const before = prev.values[key];
    if (now === undefined || before === undefined || before < JUMP_BASE) return [];
    if (now <= before * JUMP_FACTOR && now * JUMP_FACTOR >= before) return [];
    return [{ cells: [`${prev.year}:${key}`], actualCells: [key], expected: before, actual: now, params: { cell: key } }];
  });

export const HISTORY_CHECKS: Record<string, HistoryCheck> = {
  'XY.CARRY': carry,
  'XY.DOC_STOCK': docStock,
  'XY.COPY': copy,
  'XY.FORMAT_REGRESSION': formatRegression,
  'XY.JUMP': jump,
};
