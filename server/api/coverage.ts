// Coverage: every agency of a region × every year, by the one definition of statuses
// (按时 / 逾期 N 天 / 仅有图片 / 未发布 / 未到期), with its errors beside.
import type { FastifyPluginAsync } from 'fastify';
import { dataAsOf, regionNameOf } from '../store/status.js';
import { coverageRows } from './queries.js';
import { NO_NUL, regionOf, yearsOf, YEAR_RANGE } from './http.js';

export const COVERAGE_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...YEAR_RANGE,
    kind: { type: 'string', enum: ['government', 'department', 'township', 'other'] },
    q: { type: 'string', maxLength: 40, pattern: NO_NUL, description: '单位名称包含' },
  },
} as const;

export type CoverageQuery = { year?: number; from?: number; to?: number; region?: string; kind?: string; q?: string };

export const coverageRoutes: FastifyPluginAsync = async (app) => {
  app.get('/coverage', { schema: { tags: ['覆盖'], summary: '机构 × 年度的发布情况', querystring: COVERAGE_QUERY } }, async (req, reply) => {
    const q = req.query as CoverageQuery;
    const { from, to } = yearsOf(q);
    const region = regionOf(req, q.region);
    const body = await app.results.json(`coverage:${JSON.stringify([region, from, to, q.kind, q.q])}`, async () => {
      const rows = await coverageRows(app.store.db, region, from, to, { kind: q.kind, q: q.q });
      const counts: Record<string, number> = {};
      let withErrors = 0;
      for (const r of rows) for (const c of Object.values(r.cells)) {
        counts[c.status] = (counts[c.status] ?? 0) + 1;
        if (c.errors > 0) withErrors++;
      }
      return { region, regionName: await regionNameOf(app.store.db, region), from, to, counts, withErrors, asOf: await dataAsOf(app.store.db, region), rows };
    });
    return reply.type('application/json; charset=utf-8').send(body);
  });
};
