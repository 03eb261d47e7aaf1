// Accounts and sessions. Passwords are hashed with scrypt (salted); the session cookie
// carries a random token of which the store keeps only a hash.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { and, eq, gt, ne, sql } from 'drizzle-orm';
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

/**
 * Passwords people guess first: the top of the leaked-password lists long enough to pass
 * the length rule, and the keyboard and counting runs they are made of.
 */
const COMMON = new Set([
  '1234567890', '0123456789', '9876543210', '12345678910', '123456789a', 'a123456789', '1234567890a', 'abc1234567', 'abcd123456',
  'qwertyuiop', 'qwerty1234', 'qwerty123456', '1qaz2wsx3edc', '1q2w3e4r5t', 'zxcvbnm123', 'asdfghjkl1', 'password12', 'password123',
  'password1234', 'passw0rd12', 'p@ssw0rd12', 'iloveyou12', 'woaini1314', 'woaini520', 'admin12345', 'admin123456', 'administrator',
  'abcdefghij', '1111111111', '88888888888', 'aa12345678', 'qq123456789', '5201314520', '147258369a', '1472583690', '123123123123',
  'changeme123', 'welcome123', 'letmein123', 'nianjian123', 'nianjian2024', 'nianjian2025',
]);

/** A password's problem in Chinese, or null when it may be used (for create, change and reset alike). */
export function passwordProblem(username: string, password: string): string | null {
  if (password.length < MIN_PASSWORD) return `密码至少 ${MIN_PASSWORD} 个字符`;
  if (/^(.)\1*$/su.test(password)) return '密码不能由同一个字符重复组成';
  const lower = password.toLowerCase();
  const name = username.toLowerCase();
  // the name itself, or the name with a few characters added ("zhangsan123")
  if (lower === name || (name.length >= 4 && lower.includes(name) && lower.length - name.length < 4)) return '密码不能是用户名';
  if (COMMON.has(lower) || /^(?:0123456789|1234567890|9876543210|abcdefghij|qwertyuiop)+$/.test(lower)) return '这是常见密码，容易被猜中，请换一个';
  return null;
}

export async function createAccount(
  db: Db,
  input: { username: string; password: string; role: Role; regionCode?: string | null; actor: string },
): Promise<Account> {
  if (!/^[\w.\-\u4e00-\u9fff]{2,40}$/.test(input.username)) throw new Error('用户名应为 2–40 个字母、数字或汉字');
  const problem = passwordProblem(input.username, input.password);
  if (problem) throw new Error(problem);
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

/** Every account, disabled ones too, within a region (an admin limited to one sees only its own). */
export async function listAccounts(db: Db, region: string | null): Promise<Array<Account & { disabled: boolean; regionName: string | null }>> {
  return db
    .select({ id: accounts.id, username: accounts.username, role: accounts.role, regionCode: accounts.regionCode, regionName: regions.name, disabled: accounts.disabled })
    .from(accounts)
    .leftJoin(regions, eq(regions.code, accounts.regionCode))
    .where(region ? sql`${accounts.regionCode} like ${`${region}%`}` : undefined)
    .orderBy(sql`${accounts.id} desc`);
}

async function accountById(db: Db, id: number) {
  const [a] = await db.select().from(accounts).where(eq(accounts.id, id));
  if (!a) throw new Error('账号不存在');
  return a;
}

/** Disables or enables an account; disabling ends its sessions at once. */
export async function setDisabled(db: Db, input: { id: number; disabled: boolean; actor: string }): Promise<void> {
  await accountById(db, input.id);
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ disabled: input.disabled }).where(eq(accounts.id, input.id));
    if (input.disabled) await tx.delete(sessions).where(eq(sessions.accountId, input.id));
    await tx.insert(auditLog).values({ actor: input.actor, action: input.disabled ? 'account.disable' : 'account.enable', target: `account:${input.id}`, detail: null });
  });
}

/** An admin sets a new password for an account; its sessions end. */
export async function resetPassword(db: Db, input: { id: number; password: string; actor: string }): Promise<void> {
  const a = await accountById(db, input.id);
  const problem = passwordProblem(a.username, input.password);
  if (problem) throw new Error(problem);
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ passwordHash }).where(eq(accounts.id, input.id));
    await tx.delete(sessions).where(eq(sessions.accountId, input.id));
    await tx.insert(auditLog).values({ actor: input.actor, action: 'account.reset', target: `account:${input.id}`, detail: null });
  });
}

/**
 * Someone changes their own password, giving the current one. Every other session of the
 * account ends (a stolen cookie stops working); the one making the change stays signed in.
 */
export async function changePassword(db: Db, input: { id: number; current: string; password: string; token: string }): Promise<void> {
  const a = await accountById(db, input.id);
  if (!(await verifyPassword(input.current, a.passwordHash))) throw new Error('当前密码不正确');
  if (input.current === input.password) throw new Error('新密码不能与当前密码相同');
  const problem = passwordProblem(a.username, input.password);
  if (problem) throw new Error(problem);
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ passwordHash }).where(eq(accounts.id, input.id));
    await tx.delete(sessions).where(and(eq(sessions.accountId, input.id), ne(sessions.tokenHash, tokenHash(input.token))));
    await tx.insert(auditLog).values({ actor: a.username, action: 'account.password', target: `account:${input.id}`, detail: null });
  });
}

/** Whether any account exists: an empty install's sign-in page says how to make the first. */
export async function hasAccounts(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: accounts.id }).from(accounts).limit(1);
  return Boolean(row);
}
