// League tables: every agency of a region in scope, ranked by a metric for a year or a range
// of years. Ties share a rank; rows without the figure or under the sample threshold are
// listed but not ranked; agencies that published nothing in the years are listed last.
import type { FastifyPluginAsync } from 'fastify';
import { ALWAYS_SHOWN, METRICS, MIN_BASE } from './metrics.js';
import { dataAsOf, regionNameOf } from '../store/status.js';
import { leagueRows } from './queries.js';
import { MAX_PAGE, NO_NUL, regionOf, yearsOf, YEAR_RANGE } from './http.js';

export const LEAGUE_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...YEAR_RANGE,
    kind: { type: 'string', enum: ['government', 'department', 'township', 'other'], description: '机构类别（同类比较）' },
    q: { type: 'string', maxLength: 40, pattern: NO_NUL, description: '单位名称包含' },
    sort: { type: 'string', enum: METRICS.map((m) => m.key), default: 'requests_received', description: '排序指标' },
    order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
    page: { type: 'integer', minimum: 0, maximum: MAX_PAGE, default: 0 },
    size: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
} as const;

export type LeagueQuery = { year?: number; from?: number; to?: number; region?: string; kind?: string; q?: string; sort: string; order: 'asc' | 'desc'; page: number; size: number };

export const leagueRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/metrics',
    { schema: { tags: ['排名'], summary: '指标及其公式', response: { 200: { type: 'object', properties: { minBase: { type: 'integer' }, shown: { type: 'array', items: { type: 'string' } }, metrics: { type: 'array', items: { type: 'object', additionalProperties: true } } } } } } },
    async () => ({ minBase: MIN_BASE, shown: ALWAYS_SHOWN, metrics: METRICS.map(({ key, label, formula, kind }) => ({ key, label, formula, kind })) }),
  );

  app.get('/league', { schema: { tags: ['排名'], summary: '排名表', querystring: LEAGUE_QUERY } }, async (req, reply) => {
    const q = req.query as LeagueQuery;
    const { from, to } = yearsOf(q);
    const region = regionOf(req, q.region);
    const params = { from, to, region, kind: q.kind, q: q.q, sort: q.sort, order: q.order, page: q.page, size: q.size };
    const body = await app.results.json(`league:${JSON.stringify(params)}`, async () => ({
      ...params,
      regionName: await regionNameOf(app.store.db, region),
      asOf: await dataAsOf(app.store.db, region),
      minBase: MIN_BASE,
      ...(await leagueRows(app.store.db, params)),
    }));
    return reply.type('application/json; charset=utf-8').send(body);
  });
};
