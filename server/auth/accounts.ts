// Accounts and sessions. Passwords are hashed with scrypt (salted); the session cookie
// carries a random token of which the store keeps only a hash.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { accounts, auditLog, regions, sessions } from '../db/schema.js';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const KEY_LENGTH = 64;
export const SESSION_DAYS = 7;
export const MIN_PASSWORD = 10;

export type Role = 'viewer' | 'reviewer' | 'admin';
export const ROLE_RANK: Record<Role, number> = { viewer: 0, reviewer: 1, admin: 2 };

export interface Account {
  id: number;
  username: string;
  role: Role;
  /** null: the whole country; else the region (and everything under it) the account may see */
  regionCode: string | null;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${(await scrypt(password, salt, KEY_LENGTH)).toString('hex')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, 'hex');
  const actual = await scrypt(password, Buffer.from(salt, 'hex'), expected.length);
  return timingSafeEqual(actual, expected);
}

export async function createAccount(
  db: Db,
  input: { username: string; password: string; role: Role; regionCode?: string | null; actor: string },
): Promise<Account> {
  if (!/^[\w.\-\u4e00-\u9fff]{2,40}$/.test(input.username)) throw new Error('用户名应为 2–40 个字母、数字或汉字');
  if (input.password.length < MIN_PASSWORD) throw new Error(`密码至少 ${MIN_PASSWORD} 个字符`);
  if (input.regionCode) {
    const [r] = await db.select().from(regions).where(eq(regions.code, input.regionCode));
    if (!r) throw new Error(`没有代码为 ${input.regionCode} 的行政区划`);
  }
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(accounts)
      .values({ username: input.username, passwordHash, role: input.role, regionCode: input.regionCode ?? null })
      .onConflictDoNothing()
      .returning({ id: accounts.id, username: accounts.username, role: accounts.role, regionCode: accounts.regionCode });
    if (!row) throw new Error(`用户名 ${input.username} 已存在`);
    await tx.insert(auditLog).values({ actor: input.actor, action: 'account.create', target: `account:${row.id}`, detail: { role: input.role, regionCode: input.regionCode ?? null } });
    return row;
  });
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new session for valid credentials, or null. */
export async function login(db: Db, username: string, password: string): Promise<{ token: string; account: Account } | null> {
  const [a] = await db.select().from(accounts).where(and(eq(accounts.username, username), eq(accounts.disabled, false)));
  // hash anyway, so that an unknown name costs the same time as a wrong password
  const ok = a ? await verifyPassword(password, a.passwordHash) : (await hashPassword(password), false);
  if (!a || !ok) return null;
  const token = randomBytes(32).toString('base64url');
  await db.insert(sessions).values({ tokenHash: tokenHash(token), accountId: a.id, expiresAt: new Date(Date.now() + SESSION_DAYS * 86400_000) });
  return { token, account: { id: a.id, username: a.username, role: a.role, regionCode: a.regionCode } };
}

export async function sessionAccount(db: Db, token: string): Promise<Account | null> {
  const [row] = await db
    .select({ id: accounts.id, username: accounts.username, role: accounts.role, regionCode: accounts.regionCode })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(and(eq(sessions.tokenHash, tokenHash(token)), gt(sessions.expiresAt, sql`now()`), eq(accounts.disabled, false)));
  return row ?? null;
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
}

/** The region an account may look at, given what it asked for; null when it asked outside its own. */
export function scopedRegion(account: Account, asked: string | undefined): string | null {
  const own = account.regionCode ?? '';
  const region = asked ?? own;
  return region.startsWith(own) ? region : null;
}
