// Crawl state for the 抓取 page: every source with its health and last run, and one
// source's recent runs with what each saw (pages, candidates, stored, gone, errors by kind).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { desc, eq, like, sql } from 'drizzle-orm';
import { auditLog, crawlItems, crawlRuns, crawlSources } from '../db/schema.js';
import { leaseLive } from '../store/abandoned-runs.js';
import { assertInRegion, HttpError, notFound, regionOf, requireRole } from './http.js';

/** A source's health is its last run's outcome: never crawled, ok, empty, drifted, blocked, failing. */
const HEALTH = sql<string>`case when ${crawlRuns.status} is null then 'never' when ${crawlRuns.status} = 'failed' then 'failing' else ${crawlRuns.status} end`;

const RUN_FIELDS = {
  id: crawlRuns.id,
  startedAt: crawlRuns.startedAt,
  finishedAt: crawlRuns.finishedAt,
  status: crawlRuns.status,
  pages: crawlRuns.pages,
  candidates: crawlRuns.candidates,
  inserted: crawlRuns.inserted,
  updated: crawlRuns.updated,
  unchanged: crawlRuns.unchanged,
  failed: crawlRuns.failed,
  gone: crawlRuns.gone,
  errors: crawlRuns.errors,
  notes: crawlRuns.notes,
};

const SOURCE_PARAM = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,100}$' } } } as const;

export const crawlRoutes: FastifyPluginAsync = async (app) => {
  const db = app.store.db;

  async function sourceOf(req: FastifyRequest) {
    const { id } = req.params as { id: string };
    const [source] = await db
      .select({ id: crawlSources.id, name: crawlSources.name, regionCode: crawlSources.regionCode, verified: crawlSources.verified, health: HEALTH, runningSince: crawlSources.runningSince, running: leaseLive })
      .from(crawlSources)
      .leftJoin(crawlRuns, eq(crawlRuns.id, crawlSources.lastRunId))
      .where(eq(crawlSources.id, id));
    if (!source) throw notFound('抓取站点');
    assertInRegion(req, source.regionCode);
    return source;
  }

  app.get(
    '/crawl/sources',
    {
      schema: {
        tags: ['抓取'],
        summary: '抓取站点及其状态（正常、无报告、疑似改版、被拦截、失败）和最近一次抓取',
        querystring: { type: 'object', additionalProperties: false, properties: { region: { type: 'string', pattern: '^[0-9]{2,6}$' } } },
      },
    },
    async (req) => {
      const region = regionOf(req, (req.query as { region?: string }).region);
      const rows = await db
        .select({
          id: crawlSources.id,
          name: crawlSources.name,
          regionCode: crawlSources.regionCode,
          preset: crawlSources.preset,
          baseUrl: crawlSources.baseUrl,
          verified: crawlSources.verified,
          health: HEALTH,
          running: leaseLive,
          items: sql<number>`(select count(*)::int from ${crawlItems} i where i.source_id = ${crawlSources.id} and i.gone_run is null)`,
          gone: sql<number>`(select count(*)::int from ${crawlItems} i where i.source_id = ${crawlSources.id} and i.gone_run is not null)`,
          lastRun: RUN_FIELDS,
        })
        .from(crawlSources)
        .leftJoin(crawlRuns, eq(crawlRuns.id, crawlSources.lastRunId))
        .where(like(sql`coalesce(${crawlSources.regionCode}, '')`, `${region}%`))
        .orderBy(crawlSources.regionCode, crawlSources.id);
      return rows.map((r) => ({ ...r, lastRun: r.lastRun?.id == null ? null : r.lastRun }));
    },
  );

  app.get(
    '/crawl/sources/:id/runs',
    {
      schema: {
        tags: ['抓取'],
        summary: '一个站点最近的抓取记录',
        params: SOURCE_PARAM,
        querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 20 } } },
      },
    },
    async (req) => {
      const source = await sourceOf(req);
      const runs = await db
        .select(RUN_FIELDS)
        .from(crawlRuns)
        .where(eq(crawlRuns.sourceId, source.id))
        .orderBy(desc(crawlRuns.id))
        .limit((req.query as { limit: number }).limit);
      return { source: { id: source.id, name: source.name, health: source.health, verified: source.verified, running: source.running }, runs };
    },
  );

  app.post(
    '/crawl/sources/:id/run',
    {
      schema: {
        tags: ['抓取'],
        summary: '立即抓取一个站点（审核员）；进度见该站点的抓取记录',
        params: SOURCE_PARAM,
        // nothing to choose yet; the body is still required, so that only JSON can start a crawl
        body: { type: 'object', additionalProperties: false, properties: {} },
      },
    },
    async (req, reply) => {
      const account = requireRole(req, 'reviewer');
      const source = await sourceOf(req);
      if (!app.crawls) throw new HttpError(503, 'unavailable', '本进程不负责抓取（未启动调度）');
      if (source.running && source.runningSince) throw new HttpError(409, 'busy', `该站点正在抓取（开始于 ${source.runningSince.toISOString()}）`);
      // not awaited: the reviewer follows the run on the 抓取 page
      if (!app.crawls.runNow(source.id)) throw new HttpError(404, 'not_found', '该站点已没有配置文件，无法抓取');
      await db.insert(auditLog).values({ actor: account.username, action: 'crawl.run', target: `source:${source.id}`, detail: null });
      return reply.status(202).send({ ok: true, source: source.id });
    },
  );
};
