// Signing in and out (accounts themselves: accounts.ts).
import type { FastifyPluginAsync } from 'fastify';
import { login, logout, SESSION_DAYS } from '../auth/accounts.js';
import { accountOf, HttpError, NO_NUL } from './http.js';

export const SESSION_COOKIE = 'nj_session';

/** Failed logins allowed per address and name in the window before further tries are refused. */
const MAX_FAILURES = 10;
const WINDOW_MS = 10 * 60_000;

const ACCOUNT = {
  type: 'object',
  properties: { id: { type: 'integer' }, username: { type: 'string' }, role: { type: 'string' }, regionCode: { type: ['string', 'null'] } },
} as const;

export const authRoutes: FastifyPluginAsync = async (app) => {
  const failures = new Map<string, number[]>();
  const recent = (key: string) => (failures.get(key) ?? []).filter((t) => t > Date.now() - WINDOW_MS);

  app.post(
    '/session',
    {
      schema: {
        tags: ['账号'],
        summary: '登录',
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: { username: { type: 'string', minLength: 1, maxLength: 80, pattern: NO_NUL }, password: { type: 'string', minLength: 1, maxLength: 200, pattern: NO_NUL } },
        },
        response: { 200: ACCOUNT },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body as { username: string; password: string };
      const key = `${req.ip}|${username}`;
      const tries = recent(key);
      if (tries.length >= MAX_FAILURES) throw new HttpError(429, 'too_many_attempts', '登录失败次数过多，请 10 分钟后再试');
      // counted before the (slow) password check, so parallel attempts cannot all slip in
      const attempt = Date.now();
      failures.set(key, [...tries, attempt]);
      const session = await login(app.store.db, username, password);
      if (!session) throw new HttpError(401, 'bad_credentials', '用户名或密码错误');
      failures.delete(key);
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: req.protocol === 'https',
        maxAge: SESSION_DAYS * 86400,
      });
      return session.account;
    },
  );

  app.get('/session', { schema: { tags: ['账号'], summary: '当前账号', response: { 200: ACCOUNT } } }, async (req) => accountOf(req));

  app.delete('/session', { schema: { tags: ['账号'], summary: '退出登录' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await logout(app.store.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
};
