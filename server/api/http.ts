// What every route plugin shares: errors with a Chinese message, the signed-in account,
// role and region guards.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROLE_RANK, scopedRegion, type Account, type Role } from '../auth/accounts.js';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    account: Account | null;
  }
}

export function accountOf(req: FastifyRequest): Account {
  if (!req.account) throw new HttpError(401, 'unauthenticated', '请先登录');
  return req.account;
}

/** The signed-in account, which must hold at least `role`. */
export function requireRole(req: FastifyRequest, role: Role): Account {
  const account = accountOf(req);
  if (ROLE_RANK[account.role] < ROLE_RANK[role]) throw new HttpError(403, 'forbidden', '当前账号无权进行此操作');
  return account;
}

/** The region a request may look at: its own, or one inside it (a city reviewer sees only their city). */
export function regionOf(req: FastifyRequest, asked: string | undefined): string {
  const region = scopedRegion(accountOf(req), asked);
  if (region === null) throw new HttpError(403, 'out_of_region', '当前账号无权查看该地区');
  return region;
}

/** An agency's or report's region must lie in the account's. */
export function assertInRegion(req: FastifyRequest, regionCode: string | null): void {
  const own = accountOf(req).regionCode;
  if (own && !(regionCode ?? '').startsWith(own)) throw new HttpError(403, 'out_of_region', '当前账号无权查看该地区');
}

export function notFound(what: string): HttpError {
  return new HttpError(404, 'not_found', `${what}不存在`);
}

/** A download with a UTF-8 file name (RFC 5987), never rendered by the browser. */
export function attachment(reply: FastifyReply, name: string, type: string): FastifyReply {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', type)
    // RFC 5987 attr-chars only: encodeURIComponent leaves ' ( ) * as they are, and ' ends the charset part
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'");
}

/** Ids as PostgreSQL integers hold them. */
export const MAX_ID = 2147483647;
/** Strings a database text type can hold (no NUL). */
export const NO_NUL = '^[^\\u0000]*$';
/** A route's `:id` parameter. */
export const ID_PARAM = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: MAX_ID } } } as const;
/** Pages of a list: far beyond any real one, within what an SQL offset holds. */
export const MAX_PAGE = 100000;

/** Query-string schemas shared by the list routes. */
export const YEAR_RANGE = {
  year: { type: 'integer', minimum: 2000, maximum: 2100, description: '报告年度' },
  from: { type: 'integer', minimum: 2000, maximum: 2100, description: '起始年度（与 to 一起使用）' },
  to: { type: 'integer', minimum: 2000, maximum: 2100, description: '截止年度' },
  region: { type: 'string', pattern: '^[0-9]{2,6}$', description: 'GB/T 2260 行政区划代码（省 2 位、市 4 位、县 6 位）' },
} as const;

export function yearsOf(q: { year?: number; from?: number; to?: number }): { from: number; to: number } {
  const from = q.from ?? q.year;
  const to = q.to ?? q.year ?? q.from;
  if (from === undefined || to === undefined) throw new HttpError(400, 'bad_request', '请指定年度（year，或 from 与 to）');
  if (from > to) throw new HttpError(400, 'bad_request', '起始年度不能晚于截止年度');
  return { from, to };
}
