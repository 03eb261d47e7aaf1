// Signing in and out (accounts themselves: accounts.ts).
import type { FastifyPluginAsync } from 'fastify';
import { login, logout, SESSION_DAYS } from '../auth/accounts.js';
import { LoginThrottle } from '../auth/throttle.js';
import { accountOf, HttpError, NO_NUL } from './http.js';

export const SESSION_COOKIE = 'nj_session';

const ACCOUNT = {
  type: 'object',
  properties: { id: { type: 'integer' }, username: { type: 'string' }, role: { type: 'string' }, regionCode: { type: ['string', 'null'] } },
} as const;

export const authRoutes: FastifyPluginAsync = async (app) => {
  const throttle = new LoginThrottle();

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
      const wait = throttle.wait(req.ip, username);
      if (wait > 0) {
        reply.header('retry-after', Math.ceil(wait / 1000));
        throw new HttpError(429, 'too_many_attempts', `登录失败次数过多，请 ${Math.ceil(wait / 1000)} 秒后再试`);
      }
      const attempt = throttle.attempt(req.ip, username);
      const session = await login(app.store.db, username, password);
      if (!session) throw new HttpError(401, 'bad_credentials', '用户名或密码错误');
      attempt.succeeded();
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
