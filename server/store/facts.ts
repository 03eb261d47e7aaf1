// The figures metrics are computed from, taken from a report's reading in one place. A
// sum over rows is null when any of its cells is missing: a blank is never a zero.
import { sql, type SQL } from 'drizzle-orm';
import { sum } from '../../checks/report-rules.js';
import { outcomeRows, S4_GROUPS } from '../../parser/layout.js';
import type { Finding, ParsedReport } from '../../parser/types.js';
import type { Db } from '../db/client.js';
import type { AgencyRow } from './agencies.js';
import { deadlineFor } from './deadlines.js';

export interface Facts {
  report_id?: number;
  version_id?: number;
  agency_id: number;
  year: number;
  region_code: string | null;
  kind: string;
  status: string;
  format: string;
  s2_ok: boolean;
  s3_ok: boolean;
  s4_ok: boolean;
  deadline: string;
  published_at: string | null;
  new_total: number | null;
  carried_in: number | null;
  granted: number | null;
  partial: number | null;
  denied: number | null;
  unable: number | null;
  refused: number | null;
  other_handled: number | null;
  closed: number | null;
  carried_out: number | null;
  review_total: number | null;
  review_corrected: number | null;
  suit_total: number | null;
  suit_corrected: number | null;
  rules_issued: number | null;
  normative_issued: number | null;
  licensing: number | null;
  penalty: number | null;
  coercion: number | null;
  fees: number | null;
  proactive_items: number | null;
  /** the report's own findings; the counts are refreshed when other checks add theirs */
  errors: number;
  warnings: number;
}

export function factsOf(r: ParsedReport, agency: AgencyRow, year: number, publishedAt: Date | null, found: Finding[]): Facts {
  const v = (k: string) => r.values[k] ?? null;
  const format = r.layout?.s3 ?? '2021';
  const rows = (prefix: string) => outcomeRows(format).filter((k) => k.startsWith(prefix)).map((k) => `${k}.total`);
  const suits = S4_GROUPS.filter((g) => g.key !== 'review');
  return {
    agency_id: agency.id,
    year,
    region_code: agency.regionCode,
    kind: agency.kind,
    status: r.status,
    format: r.format,
    s2_ok: r.tables.s2 === 'ok',
    s3_ok: r.tables.s3 === 'ok',
    s4_ok: r.tables.s4 === 'ok',
    deadline: deadlineFor(agency.kind, year, agency.regionCode),
    published_at: publishedAt?.toISOString() ?? null,
    new_total: v('s3.new.total'),
    carried_in: v('s3.carried_in.total'),
    granted: v('s3.granted.total'),
    partial: v('s3.partial.total'),
    denied: sum(r, rows('s3.denied.')),
    unable: sum(r, rows('s3.unable.')),
    refused: sum(r, rows('s3.refused.')),
    other_handled: sum(r, rows('s3.other.')),
    closed: v('s3.total.total'),
    carried_out: v('s3.carried_out.total'),
    review_total: v('s4.review.total'),
    review_corrected: v('s4.review.corrected'),
    suit_total: sum(r, suits.map((g) => `s4.${g.key}.total`)),
    suit_corrected: sum(r, suits.map((g) => `s4.${g.key}.corrected`)),
    rules_issued: v('s2.rules.issued') ?? v('s2.rules.made'),
    normative_issued: v('s2.normative.issued') ?? v('s2.normative.made'),
    licensing: v('s2.licensing.decisions'),
    penalty: v('s2.penalty.decisions'),
    coercion: v('s2.coercion.decisions'),
    fees: v('s2.fees.amount'),
    proactive_items: v('text.proactive_items'),
    errors: found.filter((f) => f.severity === 'error').length,
    warnings: found.filter((f) => f.severity === 'warning').length,
  };
}

/** The columns of report_facts besides its keys, in the order factsValues gives them. */
export const FACT_COLUMNS = [
  'agency_id', 'year', 'region_code', 'kind', 'status', 'format', 's2_ok', 's3_ok', 's4_ok', 'deadline', 'published_at',
  'new_total', 'carried_in', 'granted', 'partial', 'denied', 'unable', 'refused', 'other_handled', 'closed', 'carried_out',
  'review_total', 'review_corrected', 'suit_total', 'suit_corrected', 'rules_issued', 'normative_issued', 'licensing',
  'penalty', 'coercion', 'fees', 'proactive_items', 'errors', 'warnings',
] as const satisfies ReadonlyArray<keyof Facts>;

/** `select <report id>, <version id>, <facts…>` for an insert into report_facts. */
export function factsValues(f: Facts, reportId: SQL, versionId: SQL): SQL {
  const values = FACT_COLUMNS.map((c) => (c === 'published_at' ? sql`${f[c]}::timestamptz` : sql`${f[c]}`));
  return sql`${reportId}, ${versionId}, ${sql.join(values, sql`, `)}`;
}

export const FACTS_INSERT = sql.raw(`insert into report_facts (report_id, version_id, ${FACT_COLUMNS.join(', ')})`);
export const FACTS_UPSERT = sql.raw(`on conflict (report_id) do update set version_id = excluded.version_id, ${FACT_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`);

/** Facts rewritten for a report's current version (after a re-parse or a correction). */
export async function writeFacts(db: Db, reportId: number, versionId: number, f: Facts): Promise<void> {
  await db.execute(sql`${FACTS_INSERT} select ${factsValues(f, sql`${reportId}`, sql`${versionId}`)} ${FACTS_UPSERT}`);
}
