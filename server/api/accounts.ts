// Accounts: the list and a new account (admins), disabling and enabling, an admin's reset
// of a password, anyone's change of their own; and, before anyone signs in, whether an
// empty install still needs its first admin. Disabling or a new password ends sessions.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { changePassword, createAccount, hasAccounts, listAccounts, MIN_PASSWORD, resetPassword, setDisabled, type Role } from '../auth/accounts.js';
import { accounts } from '../db/schema.js';
import { eq } from 'drizzle-orm';
import { SESSION_COOKIE } from './auth.js';
import { accountOf, HttpError, ID_PARAM, NO_NUL, notFound, requireRole } from './http.js';

const ACCOUNT = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    role: { type: 'string' },
    regionCode: { type: ['string', 'null'] },
    regionName: { type: ['string', 'null'] },
    disabled: { type: 'boolean' },
  },
} as const;
const PASSWORD = { type: 'string', minLength: MIN_PASSWORD, maxLength: 200, pattern: NO_NUL } as const;

const refused = (e: unknown) => new HttpError(400, 'bad_request', (e as Error).message);

export const accountRoutes: FastifyPluginAsync = async (app) => {
  const db = app.store.db;

  /** The account an admin acts on: inside the admin's region, and never the admin's own. */
  async function managed(req: FastifyRequest) {
    const admin = requireRole(req, 'admin');
    const id = (req.params as { id: number }).id;
    const [a] = await db.select().from(accounts).where(eq(accounts.id, id));
    if (!a) throw notFound('账号');
    if (admin.regionCode && !(a.regionCode ?? '').startsWith(admin.regionCode)) throw new HttpError(403, 'out_of_region', '只能管理本地区的账号');
    return { admin, id, self: a.id === admin.id };
  }

  app.get('/setup', { schema: { tags: ['账号'], summary: '是否已有账号（登录页据此提示如何创建第一个管理员）', response: { 200: { type: 'object', properties: { hasAccounts: { type: 'boolean' } } } } } }, async () => ({
    hasAccounts: await hasAccounts(db),
  }));

  app.get('/accounts', { schema: { tags: ['账号'], summary: '账号列表（管理员）', response: { 200: { type: 'array', items: ACCOUNT } } } }, async (req) => {
    const admin = requireRole(req, 'admin');
    // an admin limited to a region sees the accounts of that region only
    return listAccounts(db, admin.regionCode);
  });

  app.post(
    '/accounts',
    {
      schema: {
        tags: ['账号'],
        summary: '新建账号（管理员）',
        body: {
          type: 'object',
          required: ['username', 'password', 'role'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', minLength: 2, maxLength: 40 },
            password: PASSWORD,
            role: { type: 'string', enum: ['viewer', 'reviewer', 'admin'] },
            regionCode: { type: ['string', 'null'], pattern: '^[0-9]{2,6}$' },
          },
        },
        response: { 200: ACCOUNT },
      },
    },
    async (req) => {
      const admin = requireRole(req, 'admin');
      const body = req.body as { username: string; password: string; role: Role; regionCode?: string | null };
      // an admin limited to a region creates accounts only inside it
      if (admin.regionCode && !(body.regionCode ?? '').startsWith(admin.regionCode)) throw new HttpError(403, 'out_of_region', '只能在本地区内新建账号');
      try {
        return await createAccount(db, { ...body, actor: admin.username });
      } catch (e) {
        throw refused(e);
      }
    },
  );

  for (const disabled of [true, false]) {
    app.post(
      `/accounts/:id/${disabled ? 'disable' : 'enable'}`,
      { schema: { tags: ['账号'], summary: disabled ? '停用账号，并结束其全部登录（管理员）' : '启用账号（管理员）', params: ID_PARAM, body: { type: 'object', additionalProperties: false, properties: {} } } },
      async (req) => {
        const { admin, id, self } = await managed(req);
        if (self && disabled) throw new HttpError(400, 'bad_request', '不能停用自己的账号');
        await setDisabled(db, { id, disabled, actor: admin.username });
        return { ok: true };
      },
    );
  }

  app.post(
    '/accounts/:id/password',
    {
      schema: {
        tags: ['账号'],
        summary: '重置账号密码，并结束其全部登录（管理员）',
        params: ID_PARAM,
        body: { type: 'object', required: ['password'], additionalProperties: false, properties: { password: PASSWORD } },
      },
    },
    async (req) => {
      const { admin, id } = await managed(req);
      try {
        await resetPassword(db, { id, password: (req.body as { password: string }).password, actor: admin.username });
      } catch (e) {
        throw refused(e);
      }
      return { ok: true };
    },
  );

  app.post(
    '/session/password',
    {
      schema: {
        tags: ['账号'],
        summary: '修改本人密码（结束本账号的其他登录）',
        body: {
          type: 'object',
          required: ['current', 'password'],
          additionalProperties: false,
          properties: { current: { type: 'string', minLength: 1, maxLength: 200, pattern: NO_NUL }, password: PASSWORD },
        },
      },
    },
    async (req) => {
      const me = accountOf(req);
      const body = req.body as { current: string; password: string };
      try {
        await changePassword(db, { id: me.id, current: body.current, password: body.password, token: req.cookies[SESSION_COOKIE] ?? '' });
      } catch (e) {
        throw refused(e);
      }
      return { ok: true };
    },
  );
};
