// The HTTP API: one fastify plugin per route group, a JSON schema on every route (which
// is also the OpenAPI document served at /docs), errors as JSON with a Chinese message.
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { sessionAccount } from './auth/accounts.js';
import type { Store } from './db/client.js';
import { StoreMemo } from './store/figures.js';
import { ResultCache } from './api/cache.js';
import { HttpError } from './api/http.js';
import { agencyRoutes } from './api/agencies.js';
import { authRoutes, SESSION_COOKIE } from './api/auth.js';
import { accountRoutes } from './api/accounts.js';
import { coverageRoutes } from './api/coverage.js';
import { exportRoutes } from './api/exports.js';
import { findingRoutes } from './api/findings.js';
import { leagueRoutes } from './api/league.js';
import { reportRoutes } from './api/reports.js';
import { ruleRoutes } from './api/rules.js';
import { crawlRoutes } from './api/crawl.js';
import { auditRoutes } from './api/audit.js';
import { overviewRoutes } from './api/overview.js';
import { dashboard, isAppPage, sendApp } from './dashboard.js';
import type { CrawlSchedule } from './schedule.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
    memo: StoreMemo;
    results: ResultCache;
    /** the crawl schedule, in the process that runs it ("crawl now") */
    crawls: Pick<CrawlSchedule, 'runNow'> | null;
  }
}

const BODY_LIMIT = 1024 * 1024;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Changes come only from our own pages: a browser names the page a request comes from
 * (Origin, else Referer), and another origin — another port of the same host included,
 * which SameSite cookies do not tell apart — is refused. A body must be JSON, which no
 * HTML form can send and no other page can send without asking first (CORS preflight).
 * Clients that are not browsers send neither header and carry no victim's cookie.
 */
function ownPageOnly(req: FastifyRequest): void {
  const own = `${req.protocol}://${req.host}`;
  const from = req.headers.origin ?? originOf(req.headers.referer);
  if (from !== undefined && from !== own) throw new HttpError(403, 'cross_origin', '只接受本系统页面发出的修改请求');
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if ((hasBody || req.headers['content-type'] !== undefined) && !/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
    throw new HttpError(415, 'unsupported_media_type', '请求体只接受 JSON（Content-Type: application/json）');
  }
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

/** Routes reachable without signing in. */
const PUBLIC = new Set(['/api/session', '/api/health', '/api/setup']);

export async function buildApp(store: Store, opts: { logger?: boolean; crawls?: Pick<CrawlSchedule, 'runNow'> } = {}): Promise<FastifyInstance> {
  // X-Forwarded-For is believed only behind a proxy named in NIANJIAN_TRUST_PROXY (its
  // address): otherwise anyone could pick the address the login limit counts by
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: BODY_LIMIT, trustProxy: process.env.NIANJIAN_TRUST_PROXY || false });
  app.decorate('store', store);
  app.decorate('memo', new StoreMemo(store.db));
  app.decorate('results', new ResultCache(store.db));
  app.decorate('crawls', opts.crawls ?? null);
  app.decorateRequest('account', null);

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: 'nianjian 年检 API', version: '1.0.0', description: '政府信息公开工作年度报告监管：排名、覆盖、机构历史、证据、审核与导出' },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.addHook('onRequest', async (req) => {
    // by the route matched, not the raw URL: /%61pi/… is routed to /api/… too
    const route = req.routeOptions.url ?? '';
    if (!route.startsWith('/api/')) return;
    if (!SAFE_METHODS.has(req.method)) ownPageOnly(req);
    const token = req.cookies[SESSION_COOKIE];
    req.account = token ? await sessionAccount(store.db, token) : null;
    if (!req.account && !PUBLIC.has(route)) throw new HttpError(401, 'unauthenticated', '请先登录');
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof HttpError) return reply.status(err.statusCode).send({ error: err.code, message: err.message });
    const e = err as { validation?: unknown; statusCode?: number; message: string; code?: string };
    if (e.validation) return reply.status(400).send({ error: 'bad_request', message: `请求参数有误：${e.message}` });
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send({ error: 'too_large', message: `请求体过大（上限 ${BODY_LIMIT / 1048576} MB）` });
    if (e.code?.startsWith('FST_ERR_CTP_')) return reply.status(400).send({ error: 'bad_request', message: '请求体不是合法的 JSON' });
    if (e.statusCode && e.statusCode < 500) return reply.status(e.statusCode).send({ error: 'bad_request', message: `请求有误：${e.message}` });
    req.log.error(err);
    return reply.status(500).send({ error: 'internal', message: '服务器内部错误，已记录' });
  });
  await dashboard(app);
  app.setNotFoundHandler((req, reply) => (isAppPage(req) ? sendApp(reply) : reply.status(404).send({ error: 'not_found', message: `没有这个地址：${req.method} ${req.url.split('?')[0]}` })));

  app.get('/api/health', { schema: { tags: ['系统'], summary: '健康检查', response: { 200: { type: 'object', properties: { ok: { type: 'boolean' }, store: { type: 'string' } } } } } }, async () => ({
    ok: true,
    store: store.kind,
  }));
  for (const routes of [authRoutes, accountRoutes, overviewRoutes, leagueRoutes, coverageRoutes, agencyRoutes, reportRoutes, ruleRoutes, findingRoutes, auditRoutes, exportRoutes, crawlRoutes]) {
    await app.register(routes, { prefix: '/api' });
  }
  return app;
}
