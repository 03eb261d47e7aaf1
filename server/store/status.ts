// The one definition of where an agency stands for a year, read by every page, export and
// the 通报: 按时发布, 逾期发布 N 天, 未发布 (due and not found), 未到期, 仅有图片 — computed
// from the store when read, never from what a nightly job last wrote. 有错误 is a second,
// separate dimension: the errors of the report itself (a late report with errors is both).
//
// The publication date is the earliest trustworthy one: the date the page or file gives,
// the date its site's list gives, or the day a crawl first saw it on that list (a report
// seen on 18 May was published by then). An archive imported from files has no "first
// seen": the day of the import says nothing of when it was published.
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/client.js';
import { deadlineSql } from './deadlines.js';

export type Status = 'found' | 'late' | 'image_only' | 'missing' | 'pending';
export const STATUSES: Status[] = ['found', 'late', 'image_only', 'missing', 'pending'];
export type DateSource = 'page' | 'list' | 'first_seen';

/** Rules that are statuses, not errors of a report's content. */
const STATUS_RULES = sql`('PUB.LATE', 'PUB.MISSING', 'PUB.IMAGE_ONLY')`;

export interface StatusScope {
  /** region code prefix ('' for the whole country) */
  region: string;
  from: number;
  to: number;
  kind?: string;
  /** part of the agency's name */
  name?: string;
  agency?: number;
}

/** Agencies a region answers for: confirmed ones, and any name a report was filed under, until merged. */
export function agencyScope(s: Pick<StatusScope, 'region' | 'kind' | 'name' | 'agency'>): SQL {
  return sql`a.merged_into is null and a.status <> 'merged'
    and (a.status = 'confirmed' or exists (select 1 from reports r0 where r0.agency_id = a.id))
    ${s.region ? sql`and a.region_code like ${`${s.region}%`}` : sql``}
    ${s.kind ? sql`and a.kind = ${s.kind}` : sql``}
    ${s.name ? sql`and a.name like ${`%${s.name.replace(/[%_\\]/g, (c) => `\\${c}`)}%`}` : sql``}
    ${s.agency ? sql`and a.id = ${s.agency}` : sql``}`;
}

/**
 * One row per agency in scope and year: agency_id, name, kind, region_code, region_name,
 * year, report_id, status, deadline, published_on, date_source, late_days, errors (not
 * dismissed), confirmed_errors, warnings. As an SQL query to select from or join.
 */
export function statusQuery(s: StatusScope): SQL {
  const today = sql`(now() at time zone 'Asia/Shanghai')::date`;
  return sql`
    select a.id as agency_id, a.name, a.kind, a.region_code, g.name as region_name, y.year, r.id as report_id,
      case
        when r.id is null then case when ${today} > d.deadline then 'missing' else 'pending' end
        when p.published_on > d.deadline then 'late'
        when x.image_only then 'image_only'
        else 'found'
      end as status,
      d.deadline::text as deadline, p.published_on::text as published_on,
      case when p.published_on is null then null when p.published_on = p.list_date then 'list' when p.published_on = p.page_date then 'page' else 'first_seen' end as date_source,
      case when r.id is not null and p.published_on > d.deadline then p.published_on - d.deadline else 0 end as late_days,
      coalesce(x.errors, 0) as errors, coalesce(x.confirmed_errors, 0) as confirmed_errors, coalesce(x.warnings, 0) as warnings
    from agencies a
    cross join generate_series(${s.from}::int, ${s.to}::int) as y(year)
    left join regions g on g.code = a.region_code
    left join reports r on r.agency_id = a.id and r.year = y.year
    cross join lateral (select ${deadlineSql(sql`a.kind`, sql`a.region_code`, sql`y.year`)} as deadline) d
    left join (
      -- by report, over all its versions; joined by hash, not per row (crawl_items has no index by document)
      select t.report_id, least(t.page_date, t.list_date, t.seen_date) as published_on, t.page_date, t.list_date
      from (
        select v.report_id,
               min((v.published_at at time zone 'Asia/Shanghai')::date) as page_date,
               min(case when i.listed_at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' then left(i.listed_at, 10)::date end) as list_date,
               min((c.started_at at time zone 'Asia/Shanghai')::date) as seen_date
        from report_versions v
        join reports r1 on r1.id = v.report_id and r1.year between ${s.from} and ${s.to}
        join agencies a1 on a1.id = r1.agency_id ${s.region ? sql`and a1.region_code like ${`${s.region}%`}` : sql``} ${s.agency ? sql`and a1.id = ${s.agency}` : sql``}
        left join crawl_items i on i.sha256 = v.sha256
        left join crawl_runs c on c.id = i.first_seen_run
        group by v.report_id
      ) t
    ) p on p.report_id = r.id
    left join lateral (
      select count(*) filter (where f.severity = 'error' and f.rule not in ${STATUS_RULES}) as errors,
             count(*) filter (where f.severity = 'error' and f.rule not in ${STATUS_RULES} and f.state = 'confirmed') as confirmed_errors,
             count(*) filter (where f.severity = 'warning' and f.rule not in ${STATUS_RULES}) as warnings,
             bool_or(f.rule = 'PUB.IMAGE_ONLY') as image_only
      from findings f
      where f.agency_id = a.id and f.year = y.year and f.active and f.state <> 'dismissed'
    ) x on true
    where ${agencyScope(s)}`;
}

export interface StatusRow {
  agencyId: number;
  name: string;
  kind: string;
  regionCode: string | null;
  regionName: string | null;
  year: number;
  reportId: number | null;
  status: Status;
  deadline: string;
  publishedOn: string | null;
  dateSource: DateSource | null;
  lateDays: number;
  errors: number;
  confirmedErrors: number;
  warnings: number;
}

export async function statusRows(db: Db, s: StatusScope): Promise<StatusRow[]> {
  const rows = rowsOf<Record<string, unknown>>(await db.execute(sql`select * from (${statusQuery(s)}) s order by s.region_code nulls last, s.name, s.year`));
  return rows.map((r) => ({
    agencyId: r.agency_id as number,
    name: r.name as string,
    kind: r.kind as string,
    regionCode: (r.region_code as string | null) ?? null,
    regionName: (r.region_name as string | null) ?? null,
    year: Number(r.year),
    reportId: (r.report_id as number | null) ?? null,
    status: r.status as Status,
    deadline: r.deadline as string,
    publishedOn: (r.published_on as string | null) ?? null,
    dateSource: (r.date_source as DateSource | null) ?? null,
    lateDays: Number(r.late_days),
    errors: Number(r.errors),
    confirmedErrors: Number(r.confirmed_errors),
    warnings: Number(r.warnings),
  }));
}

/** When the data of a region was last added to: the latest capture or finished crawl (数据截至). */
export async function dataAsOf(db: Db, region: string): Promise<string | null> {
  const [row] = rowsOf<{ at: string | null }>(
    await db.execute(sql`
      select to_char(greatest(
        (select max(v.captured_at) from report_versions v join reports r on r.id = v.report_id join agencies a on a.id = r.agency_id
          where coalesce(a.region_code, '') like ${`${region}%`}),
        (select max(c.finished_at) from crawl_runs c join crawl_sources s on s.id = c.source_id where coalesce(s.region_code, '') like ${`${region}%`})
      ) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at`),
  );
  return row?.at ?? null;
}

/** Reporting years with any report in a region, newest first (the overview opens on the first). */
export async function yearsWithData(db: Db, region: string): Promise<number[]> {
  const rows = rowsOf<{ year: number }>(
    await db.execute(sql`
      select distinct r.year from reports r join agencies a on a.id = r.agency_id
      where coalesce(a.region_code, '') like ${`${region}%`} order by r.year desc`),
  );
  return rows.map((r) => Number(r.year));
}

/** A region's name ('全国' for the whole country), or null for a code not in GB/T 2260. */
export async function regionNameOf(db: Db, code: string): Promise<string | null> {
  if (!code) return '全国';
  const [row] = rowsOf<{ name: string }>(await db.execute(sql`select name from regions where code = ${code}`));
  return row?.name ?? null;
}
