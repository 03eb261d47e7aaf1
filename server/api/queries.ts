// The queries behind the league table and coverage, shared by the API and the exports.
import { sql } from 'drizzle-orm';
import { statusQuery, statusRows, type DateSource, type Status } from '../store/status.js';
import { rowsOf, type Db } from '../db/client.js';
import { METRICS, METRIC_BY_KEY, MIN_BASE } from './metrics.js';
import { HttpError } from './http.js';

export interface LeagueParams {
  from: number;
  to: number;
  /** region code prefix ('' for the whole country) */
  region: string;
  kind?: string;
  /** part of an agency's name */
  q?: string;
  sort: string;
  order: 'asc' | 'desc';
  page: number;
  size: number;
}

/**
 * ranked: has the figure and ranks on it; unranked: reported, but the figure is missing or
 * its base is under the minimum (样本不足); unpublished: no report in the years (未发布 or 未到期).
 */
export type LeagueGroup = 'ranked' | 'unranked' | 'unpublished';

export interface LeagueRow {
  /** shared by ties (1, 1, 3); null outside the ranked group */
  rank: number | null;
  group: LeagueGroup;
  agency: { id: number; name: string; kind: string; regionCode: string | null; regionName: string | null };
  reports: number;
  /** the years of the range by status (found, late, …) */
  statuses: Record<string, number>;
  metrics: Record<string, number | null>;
  /** rates whose base is under the minimum: shown as 样本不足, not ranked */
  insufficient: string[];
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function leagueRows(db: Db, p: LeagueParams): Promise<{ rows: LeagueRow[]; total: number; groups: Record<LeagueGroup, number> }> {
  const sortMetric = METRIC_BY_KEY.get(p.sort);
  if (!sortMetric) throw new HttpError(400, 'bad_request', `不能按“${p.sort}”排序`);
  const id = (k: string) => sql.identifier(k);
  const columns = sql.join(
    METRICS.map((m) => (m.base ? sql`${m.expr} as ${id(m.key)}, ${m.base} as ${id(`${m.key}__base`)}` : sql`${m.expr} as ${id(m.key)}`)),
    sql`, `,
  );
  const value = sortMetric.base ? sql`case when t.${id(`${p.sort}__base`)} >= ${MIN_BASE} then t.${id(p.sort)} end` : sql`t.${id(p.sort)}`;
  const direction = p.order === 'asc' ? sql`asc` : sql`desc`;
  const result = await db.execute(sql`
    with st as (${statusQuery({ region: p.region, from: p.from, to: p.to, kind: p.kind, name: p.q })}),
    s as (
      select agency_id, min(name) as name, min(kind) as kind, min(region_code) as region_code, min(region_name) as region_name,
             count(report_id)::int as reports, count(*) filter (where status = 'missing')::int as missing_years,
             sum(late_days)::int as days_late, sum(errors)::int as errors, sum(warnings)::int as warnings,
             jsonb_object_agg(status, n) as statuses
      from (select st.*, count(*) over (partition by agency_id, status) as n from st) x
      group by agency_id
    ),
    t as (
      select s.agency_id as id, s.name, s.kind, s.region_code, s.region_name, s.reports, s.statuses, ${columns}
      from s left join report_facts f on f.agency_id = s.agency_id and f.year between ${p.from} and ${p.to}
      group by s.agency_id, s.name, s.kind, s.region_code, s.region_name, s.reports, s.statuses
    ),
    v as (select t.*, ${value} as sort_value, case when t.reports = 0 then 2 when ${value} is null then 1 else 0 end as grp from t)
    select v.*, case when v.grp = 0 then rank() over (partition by v.grp order by v.sort_value ${direction}) end as rank,
           count(*) over () as total_rows, count(*) filter (where v.grp = 0) over () as n_ranked,
           count(*) filter (where v.grp = 1) over () as n_unranked, count(*) filter (where v.grp = 2) over () as n_unpublished
    from v
    order by v.grp, v.sort_value ${direction} nulls last, v.name, v.id
    limit ${p.size} offset ${p.page * p.size}`);
  const rows = rowsOf<Record<string, unknown>>(result);
  const first = rows[0];
  return {
    total: first ? Number(first.total_rows) : 0,
    groups: { ranked: Number(first?.n_ranked ?? 0), unranked: Number(first?.n_unranked ?? 0), unpublished: Number(first?.n_unpublished ?? 0) },
    rows: rows.map((r) => {
      const metrics: Record<string, number | null> = {};
      const insufficient: string[] = [];
      for (const m of METRICS) {
        metrics[m.key] = num(r[m.key]);
        if (m.base && Number(r.reports) > 0 && (num(r[`${m.key}__base`]) ?? 0) < MIN_BASE) {
          insufficient.push(m.key);
          metrics[m.key] = null;
        }
      }
      const grp = Number(r.grp);
      return {
        rank: r.rank === null ? null : Number(r.rank),
        group: (['ranked', 'unranked', 'unpublished'] as const)[grp]!,
        agency: { id: r.id as number, name: r.name as string, kind: r.kind as string, regionCode: r.region_code as string | null, regionName: r.region_name as string | null },
        reports: Number(r.reports),
        statuses: (typeof r.statuses === 'string' ? JSON.parse(r.statuses) : r.statuses) as Record<string, number>,
        metrics,
        insufficient,
      };
    }),
  };
}

export interface CoverageCell {
  status: Status;
  reportId: number | null;
  /** errors of the report's content, not dismissed (a separate dimension from the status) */
  errors: number;
  lateDays: number;
  deadline: string;
  publishedOn: string | null;
  dateSource: DateSource | null;
}

export interface CoverageRow {
  agency: { id: number; name: string; kind: string; regionCode: string | null; regionName: string | null };
  cells: Record<string, CoverageCell>;
}

/** Agencies × years, each with its status from the one definition (server/store/status.ts). */
export async function coverageRows(db: Db, region: string, from: number, to: number, filter: { kind?: string; q?: string } = {}): Promise<CoverageRow[]> {
  const byAgency = new Map<number, CoverageRow>();
  for (const r of await statusRows(db, { region, from, to, kind: filter.kind, name: filter.q })) {
    let row = byAgency.get(r.agencyId);
    if (!row) byAgency.set(r.agencyId, (row = { agency: { id: r.agencyId, name: r.name, kind: r.kind, regionCode: r.regionCode, regionName: r.regionName }, cells: {} }));
    row.cells[String(r.year)] = { status: r.status, reportId: r.reportId, errors: r.errors, lateDays: r.lateDays, deadline: r.deadline, publishedOn: r.publishedOn, dateSource: r.dateSource };
  }
  return [...byAgency.values()];
}
