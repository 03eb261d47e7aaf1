// Writing a new version in one statement: the report row, the version, its figures, the
// facts metrics use and the report's own findings, chained as data-modifying CTEs (a trigger makes the new
// version the report's current one).
// One statement is atomic on its own (a killed process leaves nothing half-written) and
// costs one round trip, which is what makes bulk imports fast.
import { sql, type SQL } from 'drizzle-orm';
import type { Finding } from '../../parser/types.js';
import { rowsOf, type Db } from '../db/client.js';
import { FACTS_INSERT, FACTS_UPSERT, factsValues, type Facts } from './facts.js';
import type { FigureRow } from './figures.js';

export interface VersionWrite {
  agencyId: number;
  year: number;
  sha256: string;
  parsed: Record<string, unknown>;
  parser: string;
  runId: number;
  status: string;
  format: string;
  publishedAt: Date | null;
  figures: FigureRow;
  findings: Finding[];
  /** rule ids whose findings this version replaces (the single-report rules) */
  rules: string[];
  /** the figures metrics use, written with the version */
  facts: Facts;
}

export interface Written {
  reportId: number;
  /** null: this document is already a version of the report (a noop) */
  versionId: number | null;
  created: boolean;
}

/** A PostgreSQL array literal of numbers (null allowed), passed as one text parameter. */
function arrayLiteral(values: Array<number | null>): string {
  return `{${values.map((v) => (v === null || v === undefined ? 'NULL' : String(v))).join(',')}}`;
}

/** PostgreSQL's code for a deadlock. */
const DEADLOCK = '40P01';

/** Retries: a report created by a concurrent importer is invisible to this statement's snapshot. */
const ATTEMPTS = 3;

/** `raw`: CTEs storing the document and its fetch, written in the same statement (first attempt only). */
export async function writeVersion(db: Db, w: VersionWrite, raw?: SQL): Promise<Written> {
  const f = w.figures;
  const findings = JSON.stringify(
    [...w.findings].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)).map((x) => ({ fingerprint: x.fingerprint, rule: x.rule, severity: x.severity, cells: x.cells, expected: x.expected, actual: x.actual, message: x.message })),
  );
  const statement = (first: boolean) => sql`
    with ${raw && first ? sql`${raw},` : sql``} created as (
      insert into reports (agency_id, year) values (${w.agencyId}, ${w.year})
      on conflict (agency_id, year) do nothing
      returning id
    ), report as (
      select id, true as created from created
      union all
      select id, false from reports where agency_id = ${w.agencyId} and year = ${w.year} and not exists (select 1 from created)
    ), version as (
      insert into report_versions (report_id, sha256, parsed, parser, parser_run_id, status, format, published_at)
      select id, ${w.sha256}, ${JSON.stringify(w.parsed)}::jsonb, ${w.parser}, ${w.runId}, ${w.status}, ${w.format}, ${w.publishedAt?.toISOString() ?? null}::timestamptz from report
      on conflict (report_id, sha256) do nothing
      returning id, report_id
    ), figure_row as (
      insert into figures (version_id, keys, vals, semantics, printed, positions, context, extra)
      select id, ${arrayLiteral(f.keys)}::smallint[], ${arrayLiteral(f.vals)}::float8[], ${f.semantics},
             ${JSON.stringify(f.printed)}::jsonb, ${arrayLiteral(f.positions)}::integer[], ${JSON.stringify(f.context)}::jsonb,
             ${f.extra ? JSON.stringify(f.extra) : null}::jsonb
      from version
      returning version_id
    ), facts as (
      ${FACTS_INSERT} select ${factsValues(w.facts, sql`version.report_id`, sql`version.id`)} from version
      ${FACTS_UPSERT}
      returning report_id
    ), raised as (
      insert into findings (fingerprint, agency_id, year, report_id, version_id, rule, severity, cells, expected, actual, message)
      select x.fingerprint, ${w.agencyId}, ${w.year}, version.report_id, version.id, x.rule, x.severity,
             array(select jsonb_array_elements_text(x.cells)), x.expected, x.actual, x.message
      from version, jsonb_to_recordset(${findings}::jsonb)
        as x(fingerprint text, rule text, severity text, cells jsonb, expected jsonb, actual jsonb, message text)
      on conflict (fingerprint) do update set
        active = true, report_id = excluded.report_id, version_id = excluded.version_id, severity = excluded.severity,
        cells = excluded.cells, expected = excluded.expected, actual = excluded.actual, message = excluded.message, last_seen_at = now()
      returning id
    )
    -- data-modifying CTEs run to completion whether referenced or not
    select report.id as report_id, report.created, version.id as version_id
    from report left join version on true`;
  for (let attempt = 1; ; attempt++) {
    let row: { report_id: number; created: boolean; version_id: number | null } | undefined;
    try {
      [row] = rowsOf<{ report_id: number; created: boolean; version_id: number | null }>(await db.execute(statement(attempt === 1)));
    } catch (e) {
      // two writers of one report may lock the same findings in turn: the loser retries
      if ((e as { cause?: { code?: string } }).cause?.code !== DEADLOCK || attempt === ATTEMPTS) throw e;
      continue;
    }
    if (row) {
      if (!row.created) await retireStale(db, w);
      return { reportId: row.report_id, versionId: row.version_id, created: row.created };
    }
    if (attempt === ATTEMPTS) throw new Error(`无法写入 ${w.year} 年度报告（机构 ${w.agencyId}）：并发冲突重试 ${ATTEMPTS} 次仍失败`);
  }
}

/**
 * The single-report findings of a report that do not belong to its current version are
 * no longer raised. Run after every write to an existing report: whichever of two
 * concurrent writers runs it last sees the final current version, so the end is right.
 */
async function retireStale(db: Db, w: VersionWrite): Promise<void> {
  await db.execute(sql`
    update findings set active = false
    where agency_id = ${w.agencyId} and year = ${w.year} and active
      and rule = any(${`{${w.rules.join(',')}}`}::text[])
      and version_id is distinct from (select current_version_id from reports where agency_id = ${w.agencyId} and year = ${w.year})`);}
