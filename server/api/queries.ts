// The queries behind the league table and coverage, shared by the API and the exports.
import { sql, type SQL } from 'drizzle-orm';
import type { AgencyKind } from '../store/agencies.js';
import { missingAfter } from '../store/deadlines.js';
import { rowsOf, type Db } from '../db/client.js';
import { METRICS, METRIC_BY_KEY, MIN_BASE } from './metrics.js';
import { HttpError } from './http.js';

export interface LeagueParams {
  from: number;
  to: number;
  /** region code prefix ('' for the whole country) */
  region: string;
  kind?: string;
  sort: string;
  order: 'asc' | 'desc';
  page: number;
  size: number;
}

export interface LeagueRow {
  rank: number;
  agency: { id: number; name: string; kind: string; regionCode: string | null; regionName: string | null };
  reports: number;
  metrics: Record<string, number | null>;
  /** rates whose base is under the minimum: shown as 样本不足, not ranked */
  insufficient: string[];
}

/** Agencies of a region: a prefix of their GB/T 2260 code ('' for the whole country), by index. */
function inRegion(region: string): SQL {
  return region ? sql`a.region_code like ${`${region}%`}` : sql`true`;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function leagueRows(db: Db, p: LeagueParams): Promise<{ rows: LeagueRow[]; total: number }> {
  const sortMetric = METRIC_BY_KEY.get(p.sort);
  if (!sortMetric) throw new HttpError(400, 'bad_request', `不能按“${p.sort}”排序`);
  const ranked = (m: (typeof METRICS)[number]): SQL => (m.base ? sql`case when (${m.base}) >= ${MIN_BASE} then ${m.expr} end` : m.expr);
  const columns = sql.join(
    METRICS.map((m) => (m.base ? sql`${m.expr} as ${sql.identifier(m.key)}, ${m.base} as ${sql.identifier(`${m.key}__base`)}` : sql`${m.expr} as ${sql.identifier(m.key)}`)),
    sql`, `,
  );
  const direction = p.order === 'asc' ? sql`asc` : sql`desc`;
  const result = await db.execute(sql`
    select a.id, a.name, a.kind, a.region_code, r.name as region_name, count(f.report_id)::int as reports,
           count(*) over () as total_rows, ${columns}
    from agencies a
    cross join (select ${p.from}::int as y) f_from
    cross join (select ${p.to}::int as y) f_to
    left join regions r on r.code = a.region_code
    left join report_facts f on f.agency_id = a.id and f.year between f_from.y and f_to.y
    left join (
      select agency_id, count(*) as missing from findings
      where rule = 'PUB.MISSING' and active and year between ${p.from} and ${p.to}
      group by agency_id
    ) m on m.agency_id = a.id
    where a.merged_into is null and ${inRegion(p.region)}
      ${p.kind ? sql`and a.kind = ${p.kind}` : sql``}
    group by a.id, r.name, f_from.y, f_to.y
    having a.status = 'confirmed' or count(f.report_id) > 0
    order by ${ranked(sortMetric)} ${direction} nulls last, a.name
    limit ${p.size} offset ${p.page * p.size}`);
  const rows = rowsOf<Record<string, unknown>>(result);
  return {
    total: rows.length ? Number(rows[0]!.total_rows) : 0,
    rows: rows.map((r, i) => {
      const metrics: Record<string, number | null> = {};
      const insufficient: string[] = [];
      for (const m of METRICS) {
        metrics[m.key] = num(r[m.key]);
        if (m.base && (num(r[`${m.key}__base`]) ?? 0) < MIN_BASE) {
          insufficient.push(m.key);
          metrics[m.key] = null;
        }
      }
      return {
        rank: p.page * p.size + i + 1,
        agency: { id: r.id as number, name: r.name as string, kind: r.kind as string, regionCode: r.region_code as string | null, regionName: r.region_name as string | null },
        reports: r.reports as number,
        metrics,
        insufficient,
      };
    }),
  };
}

export type CellStatus = 'found' | 'late' | 'errors' | 'image_only' | 'missing' | 'pending';

export interface CoverageRow {
  agency: { id: number; name: string; kind: string; regionCode: string | null };
  cells: Record<string, { status: CellStatus; reportId: number | null; errors: number }>;
}

/**
 * Agencies × years: found, late, with errors, image-only, missing (deadline and grace
 * passed, PUB.MISSING) or pending (not yet due).
 */
export async function coverageRows(db: Db, region: string, from: number, to: number, now = new Date()): Promise<CoverageRow[]> {
  const result = await db.execute(sql`
    select a.id, a.name, a.kind, a.region_code, y.year, f.report_id, coalesce(f.errors, 0) as errors,
           greatest((f.published_at at time zone 'Asia/Shanghai')::date - f.deadline::date, 0) as late_days,
           coalesce(p.image_only, false) as image_only, coalesce(p.missing, false) as missing
    from agencies a
    cross join generate_series(${from}::int, ${to}::int) as y(year)
    left join report_facts f on f.agency_id = a.id and f.year = y.year
    left join (
      select agency_id, year, bool_or(rule = 'PUB.IMAGE_ONLY') as image_only, bool_or(rule = 'PUB.MISSING') as missing
      from findings
      where active and rule in ('PUB.IMAGE_ONLY', 'PUB.MISSING') and year between ${from} and ${to}
      group by agency_id, year
    ) p on p.agency_id = a.id and p.year = y.year
    where a.merged_into is null and ${inRegion(region)}
      and (a.status = 'confirmed' or exists (select 1 from reports r where r.agency_id = a.id))
    order by a.region_code nulls last, a.name, y.year`);
  const byAgency = new Map<number, CoverageRow>();
  for (const r of rowsOf<Record<string, unknown>>(result)) {
    const id = r.id as number;
    let row = byAgency.get(id);
    if (!row) byAgency.set(id, (row = { agency: { id, name: r.name as string, kind: r.kind as string, regionCode: r.region_code as string | null }, cells: {} }));
    const errors = r.errors as number;
    let status: CellStatus;
    if (r.report_id === null) status = r.missing || now > missingAfter(r.kind as AgencyKind, r.year as number, r.region_code as string | null) ? 'missing' : 'pending';
    else if (r.image_only) status = 'image_only';
    else if (errors > 0) status = 'errors';
    else if (Number(r.late_days ?? 0) > 0) status = 'late';
    else status = 'found';
    row.cells[String(r.year)] = { status, reportId: (r.report_id as number | null) ?? null, errors };
  }
  return [...byAgency.values()];
}
