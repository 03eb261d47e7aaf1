// Coverage: every agency of a region × every year, found / late / with errors /
// image-only / missing / not yet due.
import type { FastifyPluginAsync } from 'fastify';
import { coverageRows } from './queries.js';
import { regionOf, yearsOf, YEAR_RANGE } from './http.js';

export const COVERAGE_QUERY = { type: 'object', additionalProperties: false, properties: { ...YEAR_RANGE } } as const;

export const coverageRoutes: FastifyPluginAsync = async (app) => {
  app.get('/coverage', { schema: { tags: ['覆盖'], summary: '机构 × 年度的发布情况', querystring: COVERAGE_QUERY } }, async (req, reply) => {
    const q = req.query as { year?: number; from?: number; to?: number; region?: string };
    const { from, to } = yearsOf(q);
    const region = regionOf(req, q.region);
    const body = await app.results.json(`coverage:${region}:${from}:${to}`, async () => {
      const rows = await coverageRows(app.store.db, region, from, to);
      const counts: Record<string, number> = {};
      for (const r of rows) for (const c of Object.values(r.cells)) counts[c.status] = (counts[c.status] ?? 0) + 1;
      return { region, from, to, counts, rows };
    });
    return reply.type('application/json; charset=utf-8').send(body);
  });
};
