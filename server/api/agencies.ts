// Agencies: the list of a region, one agency's history (every year's figures, findings,
// versions and sources), and a reviewer's confirm / merge of an unconfirmed name.
import type { FastifyPluginAsync } from 'fastify';
import { and, asc, eq, inArray, like, or } from 'drizzle-orm';
import { agencies, findings, regions, reportFacts, reports } from '../db/schema.js';
import { reviewAgency } from '../store/agencies.js';
import { checkMissing, recheckReport, versionsOf } from '../store/reports.js';
import { statusRows } from '../store/status.js';
import { latestDueYear } from './overview.js';
import { assertInRegion, HttpError, ID_PARAM, MAX_ID, NO_NUL, notFound, regionOf, requireRole } from './http.js';

const ID = ID_PARAM;

export async function agencyHistory(app: Parameters<FastifyPluginAsync>[0], id: number) {
  const db = app.store.db;
  const [agency] = await db
    .select({ id: agencies.id, name: agencies.name, kind: agencies.kind, status: agencies.status, regionCode: agencies.regionCode, regionName: regions.name })
    .from(agencies)
    .leftJoin(regions, eq(regions.code, agencies.regionCode))
    .where(eq(agencies.id, id));
  if (!agency) throw notFound('机构');
  const years = await db.select().from(reports).where(eq(reports.agencyId, id)).orderBy(asc(reports.year));
  const ids = years.map((r) => r.id);
  const facts = ids.length ? await db.select().from(reportFacts).where(inArray(reportFacts.reportId, ids)) : [];
  const versions = ids.length ? await versionsOf(db, ids) : [];
  const found = await db.select().from(findings).where(eq(findings.agencyId, id)).orderBy(asc(findings.year), asc(findings.rule));
  const allYears = [...new Set([...years.map((r) => r.year), ...found.map((f) => f.year)])].sort();
  // every year from the first on record, with its status from the one definition (a year missing shows as 未发布)
  const first = allYears[0];
  const statuses = first === undefined ? [] : await statusRows(db, { region: '', from: Math.min(first, latestDueYear()), to: Math.max(latestDueYear(), allYears[allYears.length - 1]!), agency: id });
  for (const s of statuses) if (!allYears.includes(s.year)) allYears.push(s.year);
  allYears.sort();
  return {
    agency,
    years: allYears.map((year) => {
      const report = years.find((r) => r.year === year);
      const s = statuses.find((x) => x.year === year);
      return {
        year,
        status: s ? { status: s.status, lateDays: s.lateDays, errors: s.errors, deadline: s.deadline, publishedOn: s.publishedOn, dateSource: s.dateSource } : null,
        reportId: report?.id ?? null,
        currentVersionId: report?.currentVersionId ?? null,
        facts: facts.find((f) => f.reportId === report?.id) ?? null,
        versions: versions.filter((v) => v.reportId === report?.id),
        findings: found.filter((f) => f.year === year),
      };
    }),
  };
}

export const agencyRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/agencies',
    {
      schema: {
        tags: ['机构'],
        summary: '机构列表',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            region: { type: 'string', pattern: '^[0-9]{2,6}$' },
            q: { type: 'string', maxLength: 40, pattern: NO_NUL, description: '名称包含' },
            status: { type: 'string', enum: ['confirmed', 'unconfirmed', 'merged'] },
          },
        },
      },
    },
    async (req) => {
      const q = req.query as { region?: string; q?: string; status?: 'confirmed' | 'unconfirmed' | 'merged' };
      const region = regionOf(req, q.region);
      return app.store.db
        .select({ id: agencies.id, name: agencies.name, kind: agencies.kind, status: agencies.status, regionCode: agencies.regionCode })
        .from(agencies)
        .where(
          and(
            region ? like(agencies.regionCode, `${region}%`) : undefined,
            q.q ? like(agencies.name, `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`) : undefined,
            q.status ? eq(agencies.status, q.status) : or(eq(agencies.status, 'confirmed'), eq(agencies.status, 'unconfirmed')),
          ),
        )
        .orderBy(asc(agencies.regionCode), asc(agencies.name))
        .limit(2000);
    },
  );

  app.get('/agencies/:id', { schema: { tags: ['机构'], summary: '一个机构的历年情况', params: ID } }, async (req) => {
    const history = await agencyHistory(app, (req.params as { id: number }).id);
    assertInRegion(req, history.agency.regionCode);
    return history;
  });

  app.post(
    '/agencies/:id/review',
    {
      schema: {
        tags: ['机构'],
        summary: '确认机构，或并入另一机构（审核员）',
        params: ID,
        body: {
          type: 'object',
          required: ['action'],
          additionalProperties: false,
          properties: { action: { type: 'string', enum: ['confirm', 'merge'] }, into: { type: 'integer', minimum: 1, maximum: MAX_ID } },
        },
      },
    },
    async (req) => {
      const account = requireRole(req, 'reviewer');
      const id = (req.params as { id: number }).id;
      const body = req.body as { action: 'confirm' | 'merge'; into?: number };
      const targets = await app.store.db.select().from(agencies).where(inArray(agencies.id, [id, body.into ?? id]));
      for (const a of targets) assertInRegion(req, a.regionCode);
      if (!targets.find((a) => a.id === id)) throw notFound('机构');
      if (body.action === 'merge') {
        if (!body.into || body.into === id || !targets.find((a) => a.id === body.into)) throw new HttpError(400, 'bad_request', '请指定要并入的另一个机构');
        let moved: number[];
        try {
          moved = await reviewAgency(app.store.db, { id, actor: account.username, action: 'merge', into: body.into });
        } catch (e) {
          throw new HttpError(409, 'conflict', (e as Error).message);
        }
        for (const year of moved) await recheckReport(app.store.db, app.memo, body.into, year);
        await checkMissing(app.store.db, new Date());
      } else await reviewAgency(app.store.db, { id, actor: account.username, action: 'confirm' });
      return { ok: true };
    },
  );
};
