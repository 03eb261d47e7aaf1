// The 总览 page's answers: a region's year added up by the areas one level below it (cities of
// a province, counties of a city) from the one definition of statuses, what changed since the
// last crawl, and the region tree the filters pick from.
import type { FastifyPluginAsync } from 'fastify';
import { asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { regions } from '../db/schema.js';
import { rowsOf } from '../db/client.js';
import { dataAsOf, statusRows, STATUSES, yearsWithData, type Status } from '../store/status.js';
import { regionOf } from './http.js';

/** How far back "what changed" looks when no crawl has run yet. */
const RECENT_DAYS = 7;
const MAX_CHANGES = 100;
/** Late reports listed on the overview, latest first (all of them: 覆盖情况). */
const MAX_LATE = 50;

type Counts = Record<Status, number> & { agencies: number; errors: number; lateDays: number };
const zero = (): Counts => ({ agencies: 0, found: 0, late: 0, image_only: 0, missing: 0, pending: 0, errors: 0, lateDays: 0 });

/** The latest reporting year whose reports are due (a department's by 31 January), by Beijing dates. */
export function latestDueYear(now = new Date()): number {
  const beijing = new Date(now.getTime() + 8 * 3600_000);
  return beijing.getUTCMonth() >= 1 ? beijing.getUTCFullYear() - 1 : beijing.getUTCFullYear() - 2;
}

export const overviewRoutes: FastifyPluginAsync = async (app) => {
  const db = app.store.db;

  app.get(
    '/regions',
    {
      schema: {
        tags: ['总览'],
        summary: '行政区划（某一上级的下一级）',
        querystring: { type: 'object', additionalProperties: false, properties: { parent: { type: 'string', pattern: '^[0-9]{2,6}$', description: '上级代码；不给出时为省级' } } },
      },
    },
    async (req) => {
      const parent = (req.query as { parent?: string }).parent;
      return db
        .select({ code: regions.code, name: regions.name, level: regions.level })
        .from(regions)
        .where(parent ? eq(regions.parentCode, parent) : isNull(regions.parentCode))
        .orderBy(asc(regions.code));
    },
  );

  app.get(
    '/overview',
    {
      schema: {
        tags: ['总览'],
        summary: '一个地区一个年度的概况：按下一级地区汇总的发布情况，以及最近一次抓取以来的变化',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            year: { type: 'integer', minimum: 2000, maximum: 2100, description: '不给出时为有数据的最近一个已到期年度' },
            region: { type: 'string', pattern: '^[0-9]{2,6}$' },
          },
        },
      },
    },
    async (req) => {
      const region = regionOf(req, (req.query as { region?: string }).region);
      const due = latestDueYear();
      const years = (await yearsWithData(db, region)).filter((y) => y <= due);
      const year = (req.query as { year?: number }).year ?? years[0] ?? due;
      // the crawl tables do not advance the cache's generation, so what changed is never cached
      const areas = await app.results.get(`overview:${region}:${year}`, async () => {
        // a province's areas are its cities (4 digits), a city's its counties (6)
        const width = region.length < 2 ? 2 : region.length < 4 ? 4 : 6;
        const areas = new Map<string, Counts>();
        const totals = zero();
        const rows = await statusRows(db, { region, from: year, to: year });
        for (const r of rows) {
          const code = (r.regionCode ?? '').slice(0, width) || '—';
          const area = areas.get(code) ?? areas.set(code, zero()).get(code)!;
          for (const c of [area, totals]) {
            c.agencies++;
            c[r.status]++;
            if (r.errors > 0) c.errors++;
            c.lateDays += r.lateDays;
          }
        }
        const names = new Map(
          (await db.select({ code: regions.code, name: regions.name }).from(regions).where(inArray(regions.code, [...areas.keys(), region]))).map((r) => [r.code, r.name]),
        );
        return {
          region,
          regionName: names.get(region) ?? (region ? '未定地区' : '全国'),
          year,
          statuses: STATUSES,
          totals,
          asOf: await dataAsOf(db, region),
          late: rows
            .filter((r) => r.status === 'late')
            .sort((a, b) => b.lateDays - a.lateDays)
            .slice(0, MAX_LATE)
            .map((r) => ({ agencyId: r.agencyId, agency: r.name, reportId: r.reportId, days: r.lateDays, deadline: r.deadline, publishedOn: r.publishedOn, dateSource: r.dateSource })),
          areas: [...areas.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, c]) => ({ code, name: names.get(code) ?? '未定地区', ...c })),
        };
      });
      return { ...areas, years, latestDue: due, changes: await changesSince(region) };
    },
  );

  /** Reports new or changed, findings raised and reports gone from their lists since the region's last crawl began. */
  async function changesSince(region: string) {
    const [last] = rowsOf<{ started_at: string | null }>(
      await db.execute(sql`
        select max(r.started_at)::text as started_at from crawl_runs r join crawl_sources s on s.id = r.source_id
        where coalesce(s.region_code, '') like ${`${region}%`}`),
    );
    const since = last?.started_at ?? null;
    const from = since ? sql`${since}::timestamptz` : sql`now() - make_interval(days => ${RECENT_DAYS})`;
    const reports = rowsOf<Record<string, unknown>>(
      await db.execute(sql`
        select v.*, case when exists (select 1 from report_versions o where o.report_id = v.report_id and o.id < v.version_id) then 'changed' else 'new' end as change
        from (
          select a.id as agency_id, a.name as agency, r.year, r.id as report_id, v.id as version_id, v.captured_at::text as captured_at
          from report_versions v join reports r on r.id = v.report_id join agencies a on a.id = r.agency_id
          where v.captured_at >= ${from} and coalesce(a.region_code, '') like ${`${region}%`}
          order by v.captured_at desc, v.id desc
          limit ${MAX_CHANGES}
        ) v
        order by v.captured_at desc, v.version_id desc`),
    );
    const [counts] = rowsOf<{ findings: number; errors: number; gone: number }>(
      await db.execute(sql`
        select
          (select count(*)::int from findings x join agencies a on a.id = x.agency_id
            where x.active and x.first_seen_at >= ${from} and coalesce(a.region_code, '') like ${`${region}%`}) as findings,
          (select count(*)::int from findings x join agencies a on a.id = x.agency_id
            where x.active and x.severity = 'error' and x.first_seen_at >= ${from} and coalesce(a.region_code, '') like ${`${region}%`}) as errors,
          (select count(*)::int from crawl_items i join crawl_sources s on s.id = i.source_id join crawl_runs g on g.id = i.gone_run
            where g.started_at >= ${from} and coalesce(s.region_code, '') like ${`${region}%`}) as gone`),
    );
    return {
      since,
      reports: reports.map((r) => ({
        agencyId: r.agency_id as number,
        agency: r.agency as string,
        year: r.year as number,
        reportId: r.report_id as number,
        versionId: r.version_id as number,
        capturedAt: r.captured_at as string,
        change: r.change as 'new' | 'changed',
      })),
      findings: counts!.findings,
      errors: counts!.errors,
      gone: counts!.gone,
    };
  }
};
