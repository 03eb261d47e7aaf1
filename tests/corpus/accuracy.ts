// The real corpus measured: every document read as the product reads it (readDocument, then the
// single-report checks), every printed cell of § 二, § 三 and § 四 compared with the hand-made
// truth, and every error finding judged against what the report really prints.
// `npm run accuracy` prints the figures; tests/corpus.test.ts holds them to tests/corpus/floor.json.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { checkReport } from '../../checks/index.js';
import { S2_TABLES, S3_COLUMNS, S3_ROWS, S4_COLUMNS, S4_GROUPS, type Format } from '../../parser/layout.js';
import { readDocument } from '../../parser/read.js';
import type { Finding } from '../../parser/types.js';

const HERE = new URL('./', import.meta.url);
const read = (rel: string) => readFileSync(new URL(rel, HERE));

export type Form = 'text' | 'html' | 'pdf' | 'doc' | 'scan';
export const FORMS: Form[] = ['text', 'html', 'pdf', 'doc', 'scan'];

export interface ManifestEntry {
  id: string;
  file: string;
  sha256: string;
  form: Form;
  province: string;
  kind: 'government' | 'department' | 'township';
  template: '2019' | '2021' | 'pre-2019';
  truth: string;
  source: Record<string, unknown>;
}

/** A printed error that a rule should raise. */
export interface GenuineError {
  rule: string;
  /** the cells the finding must name (empty for a finding about the whole report) */
  cells: string[];
  printed: string;
}

export interface Truth {
  document: string;
  title: string;
  agency: string;
  year: number;
  /** the layout each table is printed in; null for a report older than the 2019 format */
  layout: { s2: Format; s3: Format } | null;
  class: 'clean' | 'genuine-error' | 'omission' | 'old-format';
  errors: GenuineError[];
  /** row key → the printed figures in the layout's column order; `null` for a cell printed blank */
  s2?: Record<string, Array<number | null>>;
  s3?: Record<string, Array<number | null>>;
  s4?: Record<string, Array<number | null>>;
}

export const manifest = (): ManifestEntry[] => (JSON.parse(read('manifest.json').toString('utf8')) as { documents: ManifestEntry[] }).documents;
export const truthOf = (entry: ManifestEntry): Truth => JSON.parse(read(entry.truth).toString('utf8')) as Truth;
export const bytesOf = (entry: ManifestEntry): Buffer => read(entry.file);
export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function rowCells(rows: Record<string, Array<number | null>> | undefined, key: string, columns: string[], out: Map<string, number | null>): void {
  const printed = rows?.[key];
  if (!printed || printed.length !== columns.length) throw new Error(`truth row ${key} must hold ${columns.length} figures`);
  columns.forEach((c, i) => out.set(`${key}.${c}`, printed[i]!));
}

/** Every cell the truth holds, by canonical key; the row set is the one the printed layout has. */
export function truthCells(t: Truth): Map<string, number | null> {
  const out = new Map<string, number | null>();
  if (!t.layout) return out;
  for (const table of S2_TABLES[t.layout.s2]) {
    for (const row of table.rows) rowCells(t.s2, row.key, table.columns.map((c) => c.key), out);
  }
  for (const row of S3_ROWS[t.layout.s3].filter((r) => !r.group)) rowCells(t.s3, row.key, S3_COLUMNS.map((c) => c.key), out);
  for (const g of S4_GROUPS) rowCells(t.s4, `s4.${g.key}`, S4_COLUMNS.map((c) => c.key), out);
  const rows = (r?: Record<string, Array<number | null>>) => Object.keys(r ?? {}).length;
  const expected = S2_TABLES[t.layout.s2].reduce((n, tb) => n + tb.rows.length, 0) + S3_ROWS[t.layout.s3].filter((r) => !r.group).length + S4_GROUPS.length;
  if (rows(t.s2) + rows(t.s3) + rows(t.s4) !== expected) throw new Error(`${t.document}: the truth holds rows the printed layout does not have`);
  return out;
}

/**
 * The table arithmetic (勾稽关系) of a truth, as failures. A clean truth has none; a report with
 * genuine errors has exactly the arithmetic ones it declares.
 */
export function arithmeticFailures(t: Truth): { rule: string; cell: string }[] {
  const cells = truthCells(t);
  if (!t.layout) return [];
  const v = (k: string) => cells.get(k) ?? 0;
  const out: { rule: string; cell: string }[] = [];
  const parts = S3_COLUMNS.map((c) => c.key).filter((c) => c !== 'total');
  const rows = S3_ROWS[t.layout.s3].filter((r) => !r.group).map((r) => r.key);
  for (const row of rows) {
    if (parts.reduce((s, c) => s + v(`${row}.${c}`), 0) !== v(`${row}.total`)) out.push({ rule: 'S3.ROW_TOTAL', cell: `${row}.total` });
  }
  const outcomes = rows.slice(rows.indexOf('s3.granted'), rows.indexOf('s3.total'));
  for (const c of S3_COLUMNS.map((x) => x.key)) {
    if (outcomes.reduce((s, r) => s + v(`${r}.${c}`), 0) !== v(`s3.total.${c}`)) out.push({ rule: 'S3.OUTCOME_TOTAL', cell: `s3.total.${c}` });
    if (v(`s3.new.${c}`) + v(`s3.carried_in.${c}`) !== v(`s3.total.${c}`) + v(`s3.carried_out.${c}`)) out.push({ rule: 'S3.BALANCE', cell: `s3.carried_out.${c}` });
  }
  for (const g of S4_GROUPS) {
    const sum = S4_COLUMNS.filter((c) => c.key !== 'total').reduce((s, c) => s + v(`s4.${g.key}.${c.key}`), 0);
    if (sum !== v(`s4.${g.key}.total`)) out.push({ rule: 'S4.GROUP_TOTAL', cell: `s4.${g.key}.total` });
  }
  return out;
}

export interface DocResult {
  id: string;
  form: Form;
  cls: Truth['class'];
  cells: number;
  right: number;
  /** `key: read ≠ printed` for every cell read wrong or not read */
  wrong: string[];
  /** error findings a report does not deserve: any on a clean report, any rule not declared on the others */
  falseAccusations: { rule: string; message: string }[];
  genuine: number;
  caught: number;
  missed: string[];
  ms: number;
}

/** A cell printed blank is `null` in a truth: read right when the reader gives it no value. */
const same = (a: number | undefined, b: number | null) => (b === null ? a === undefined : a !== undefined && Math.abs(a - b) < 1e-9);

function judge(entry: ManifestEntry, t: Truth, values: Record<string, number>, findings: Finding[], ms: number): DocResult {
  const cells = truthCells(t);
  const wrong = [...cells].filter(([k, v]) => !same(values[k], v)).map(([k, v]) => `${k}: ${values[k] ?? '—'} ≠ ${v}`);
  const declared = new Set(t.errors.map((e) => e.rule));
  const falseAccusations = findings
    .filter((f) => f.severity === 'error' && !declared.has(f.rule))
    .map((f) => ({ rule: f.rule, message: f.message }));
  // an error read from a scan is shown as a warning to verify against the image: it still counts as caught
  const caughtBy = (e: GenuineError) => findings.some((f) => f.rule === e.rule && f.severity !== 'info' && e.cells.every((c) => f.cells.includes(c)));
  const missed = t.errors.filter((e) => !caughtBy(e)).map((e) => `${e.rule} ${e.cells.join(',')}`.trim());
  return {
    id: entry.id,
    form: entry.form,
    cls: t.class,
    cells: cells.size,
    right: cells.size - wrong.length,
    wrong,
    falseAccusations,
    genuine: t.errors.length,
    caught: t.errors.length - missed.length,
    missed,
    ms,
  };
}

export async function measureDocument(entry: ManifestEntry): Promise<DocResult> {
  const started = Date.now();
  const report = await readDocument({ bytes: bytesOf(entry), file: entry.id });
  const { findings } = checkReport(report);
  return judge(entry, truthOf(entry), report.values, findings, Date.now() - started);
}

export interface Totals {
  byForm: Partial<Record<Form, { right: number; cells: number; documents: number }>>;
  falseAccusations: number;
  genuine: number;
  caught: number;
}

export function totals(results: DocResult[]): Totals {
  const byForm: Totals['byForm'] = {};
  for (const r of results) {
    const f = (byForm[r.form] ??= { right: 0, cells: 0, documents: 0 });
    f.right += r.right;
    f.cells += r.cells;
    f.documents += 1;
  }
  const sum = (k: 'genuine' | 'caught') => results.reduce((s, r) => s + r[k], 0);
  return { byForm, falseAccusations: results.reduce((s, r) => s + r.falseAccusations.length, 0), genuine: sum('genuine'), caught: sum('caught') };
}

export async function measureCorpus(): Promise<DocResult[]> {
  const out: DocResult[] = [];
  for (const entry of manifest()) out.push(await measureDocument(entry));
  return out;
}

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : '—');

export function printReport(results: DocResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(
      `${r.id.padEnd(30)} ${r.form.padEnd(5)} ${r.cls.padEnd(13)} cells ${`${r.right}/${r.cells}`.padStart(9)} ${pct(r.right, r.cells).padStart(7)}` +
        `  false accusations ${r.falseAccusations.length}  genuine caught ${r.caught}/${r.genuine}  ${(r.ms / 1000).toFixed(1)} s`,
    );
    for (const w of r.wrong.slice(0, 12)) lines.push(`    misread ${w}`);
    if (r.wrong.length > 12) lines.push(`    … and ${r.wrong.length - 12} more cells`);
    for (const f of r.falseAccusations) lines.push(`    FALSE ACCUSATION ${f.rule}: ${f.message}`);
    for (const m of r.missed) lines.push(`    missed genuine error ${m}`);
  }
  const t = totals(results);
  lines.push('', 'cells right by form:');
  for (const f of FORMS) {
    const x = t.byForm[f];
    if (x) lines.push(`  ${f.padEnd(5)} ${`${x.right}/${x.cells}`.padStart(11)} ${pct(x.right, x.cells).padStart(7)}  (${x.documents} documents)`);
  }
  const all = Object.values(t.byForm).reduce((s, x) => ({ right: s.right + x.right, cells: s.cells + x.cells }), { right: 0, cells: 0 });
  lines.push(`  all   ${`${all.right}/${all.cells}`.padStart(11)} ${pct(all.right, all.cells).padStart(7)}`);
  lines.push(`error findings on reports that do not deserve them (false accusations): ${t.falseAccusations}`);
  lines.push(`genuine errors caught: ${t.caught}/${t.genuine}`);
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await measureCorpus();
  console.log(printReport(results));
}
