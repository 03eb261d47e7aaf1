// The five seed reports and every figure printed in them, as read by a person.
import { readFileSync } from 'node:fs';
import { S2_TABLES, S3_COLUMNS, S3_ROWS, S4_KEYS } from '../../parser/layout.js';

export const SEED_DIR = new URL('../fixtures/seeds/', import.meta.url);
export const seedBytes = (file: string) => readFileSync(new URL(file, SEED_DIR));

const S3_KEYS = S3_ROWS['2021'].filter((r) => !r.group).map((r) => r.key);
const COLS = S3_COLUMNS.map((c) => c.key);

/** § 三 rows that are not all zero, as printed (natural … total). */
type S3 = Partial<Record<string, number[]>>;

function s3(nonZero: S3): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of S3_KEYS) COLS.forEach((c, i) => (out[`${row}.${c}`] = nonZero[row]?.[i] ?? 0));
  return out;
}

function s2(nonZero: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of S2_TABLES['2021']) for (const r of t.rows) for (const c of t.columns) out[`${r.key}.${c.key}`] = nonZero[`${r.key}.${c.key}`] ?? 0;
  return out;
}

function s4(printed: number[]): Record<string, number> {
  return Object.fromEntries(S4_KEYS.map((k, i) => [k, printed[i] ?? 0]));
}

export interface Seed {
  file: string;
  title: string;
  agency: string;
  year: number;
  values: Record<string, number>;
  narrative: Record<string, number>;
}

export const SEEDS: Seed[] = [
  {
    file: '000_d0c64dee3b796035.txt',
    title: '偃师区行政审批和政务信息管理局2024年政府信息公开工作年度报告',
    agency: '偃师区行政审批和政务信息管理局',
    year: 2024,
    values: { ...s2({}), ...s3({}), ...s4([]) },
    narrative: { 'text.requests_received': 0 },
  },
  {
    file: '001_7f28f313131cbcb8.txt',
    title: '文峰区行政审批和政务信息管理局2024年政府信息公开工作年度报告',
    agency: '文峰区行政审批和政务信息管理局',
    year: 2024,
    values: { ...s2({}), ...s3({}), ...s4([]) },
    narrative: { 'text.proactive_items': 218 },
  },
  {
    file: '002_7cb87bf4f3082eb5.txt',
    title: '偃师区工业和信息化局2023年政府信息公开工作年度报告',
    agency: '偃师区工业和信息化局',
    year: 2023,
    values: {
      ...s2({}),
      ...s3({ 's3.new': [0, 1, 0, 0, 0, 0, 1], 's3.granted': [0, 1, 0, 0, 0, 0, 1], 's3.total': [0, 1, 0, 0, 0, 0, 1] }),
      ...s4([]),
    },
    narrative: { 'text.proactive_items': 37, 'text.requests_received': 1 },
  },
  {
    file: '003_42101ead988e0218.txt',
    title: '郟县人民政府2024年政府信息公开工作年度报告',
    agency: '郏县人民政府',
    year: 2024,
    values: {
      ...s2({
        's2.normative.issued': 3,
        's2.normative.repealed': 10,
        's2.normative.in_force': 31,
        's2.licensing.decisions': 74833,
        's2.penalty.decisions': 50835,
        's2.coercion.decisions': 833,
        's2.fees.amount': 2561.768,
      }),
      ...s3({
        's3.new': [35, 0, 0, 0, 0, 1, 36],
        's3.granted': [12, 0, 0, 0, 0, 0, 12],
        's3.partial': [1, 0, 0, 0, 0, 0, 1],
        's3.denied.secret': [1, 0, 0, 0, 0, 0, 1],
        's3.denied.internal': [2, 0, 0, 0, 0, 0, 2],
        's3.denied.enforcement': [1, 0, 0, 0, 0, 0, 1],
        's3.denied.query': [1, 0, 0, 0, 0, 0, 1],
        's3.unable.not_held': [8, 0, 0, 0, 0, 1, 9],
        's3.unable.needs_making': [5, 0, 0, 0, 0, 0, 5],
        's3.refused.petition': [2, 0, 0, 0, 0, 0, 2],
        's3.refused.repeat': [2, 0, 0, 0, 0, 0, 2],
        's3.total': [35, 0, 0, 0, 0, 1, 36],
      }),
      ...s4([1, 2, 2, 2, 7]),
    },
    narrative: { 'text.proactive_items': 3084 },
  },
  {
    file: '004_4fdc94d6a40a3a5b.txt',
    title: '偃师区住房和城乡建设局2023年政府信息公开工作年度报告',
    agency: '偃师区住房和城乡建设局',
    year: 2023,
    values: { ...s2({ 's2.licensing.decisions': 439, 's2.fees.amount': 562.0678 }), ...s3({}), ...s4([]) },
    narrative: { 'text.proactive_items': 26 },
  },
];

export const seed = (prefix: string) => SEEDS.find((s) => s.file.startsWith(prefix))!;
