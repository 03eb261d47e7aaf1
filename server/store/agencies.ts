// Which agency a report belongs to. A name is matched to an agency by its official name,
// then its aliases; a name never seen becomes an "unconfirmed" agency for a reviewer to
// confirm or merge. Kind and region are read from the name.
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agencies, agencyAliases, auditLog, findings, regions, reportFacts, reports } from '../db/schema.js';

export type AgencyKind = (typeof agencies.$inferSelect)['kind'];

/** The province whose counties a bare county name is looked for in first (GB/T 2260 code). */
export const HOME_PROVINCE = process.env.NIANJIAN_PROVINCE ?? '41';

export function kindOf(name: string): AgencyKind {
  if (/[乡镇](?:人民)?政府$|街道办事处$|街道工作委员会$/.test(name)) return 'township';
  if (/人民政府$/.test(name)) return 'government';
  if (/(?:局|委员会|委|办公室|办|厅|中心|院|所|队|站|署|部)$/.test(name)) return 'department';
  return 'other';
}

/** The county (or city) a name starts with: the longest division name that prefixes it. */
const placeNames = new WeakMap<Db, Promise<Array<{ code: string; name: string; level: string }>>>();

async function regionOf(db: Db, name: string): Promise<string | null> {
  let cached = placeNames.get(db);
  if (!cached) {
    cached = db.select({ code: regions.code, name: regions.name, level: regions.level }).from(regions).where(inArray(regions.level, ['county', 'city']));
    placeNames.set(db, cached);
  }
  const candidates = await cached;
  let best: { code: string; len: number; home: boolean } | null = null;
  for (const c of candidates) {
    const at = name.indexOf(c.name);
    if (c.name === '市辖区' || at < 0) continue;
    // a county name inside "XX市YY区…" counts only right after the city
    if (at > 0 && !/[市省州盟]$/.test(name.slice(0, at))) continue;
    const home = c.code.startsWith(HOME_PROVINCE);
    const len = c.name.length + (c.level === 'county' ? 100 : 0);
    if (!best || len > best.len || (len === best.len && home && !best.home)) best = { code: c.code, len, home };
  }
  return best?.code ?? null;
}

export type AgencyRow = typeof agencies.$inferSelect;

/**
 * Places renamed or merged by the State Council: an agency keeps its identity across the
 * rename, and reports under the old name count as its own. Henan's changes since 2019.
 */
export const PLACE_RENAMES: Array<[string, string]> = [
  ['偃师市', '偃师区'], // 国函〔2021〕 2021-03
  ['孟津县', '孟津区'], // 2021-03, merged with 吉利区
  ['吉利区', '孟津区'],
  ['长垣县', '长垣市'], // 2019-08
];

/** The current name of an agency whose name starts with a renamed place. */
export function currentName(name: string): string {
  for (const [old, now] of PLACE_RENAMES) {
    const at = name.indexOf(old);
    if (at >= 0 && (at === 0 || /[省市]$/.test(name.slice(0, at)))) return name.slice(0, at) + now + name.slice(at + old.length);
  }
  return name;
}

/**
 * The agency a report names, created unconfirmed if nobody has seen the name before.
 * `cache` (name → row) spares the lookups within one import run.
 */
export async function resolveAgency(db: Db, name: string, cache?: Map<string, AgencyRow>): Promise<AgencyRow & { created: boolean }> {
  const hit = cache?.get(name);
  if (hit) return { ...hit, created: false };
  const renamed = currentName(name);
  if (renamed !== name) {
    const row = await resolveAgency(db, renamed, cache);
    await addAlias(db, row.id, name, 'rename');
    cache?.set(name, row);
    return row;
  }
  const found = await findAgency(db, name);
  if (found) {
    cache?.set(name, found);
    return { ...found, created: false };
  }
  const regionCode = await regionOf(db, name);
  const [inserted] = await db.insert(agencies).values({ name, kind: kindOf(name), regionCode, status: 'unconfirmed' }).onConflictDoNothing().returning();
  // another importer may have created it meanwhile
  const row = inserted ?? (await findAgency(db, name))!;
  cache?.set(name, row);
  return { ...row, created: Boolean(inserted) };
}

/** By official name (following a merge), then by alias. */
async function findAgency(db: Db, name: string): Promise<AgencyRow | null> {
  const [byName] = await db.select().from(agencies).where(eq(agencies.name, name));
  const id = byName ? (byName.mergedInto ?? byName.id) : (await db.select({ id: agencyAliases.agencyId }).from(agencyAliases).where(eq(agencyAliases.alias, name)))[0]?.id;
  if (id === undefined) return null;
  if (byName && byName.id === id) return byName;
  const [target] = await db.select().from(agencies).where(eq(agencies.id, id));
  return target ?? null;
}

/**
 * A reviewer confirms an agency, or merges it into another: its name becomes an alias and
 * its reports become the other's (refused where both have a report for the same year).
 * Returns the years whose reports moved, for their checks to be re-run.
 */
export async function reviewAgency(
  db: Db,
  input: { id: number; actor: string; action: 'confirm' } | { id: number; actor: string; action: 'merge'; into: number },
): Promise<number[]> {
  return db.transaction(async (tx) => {
    const [a] = await tx.select().from(agencies).where(eq(agencies.id, input.id));
    if (!a) throw new Error(`没有编号为 ${input.id} 的机构`);
    let moved: number[] = [];
    if (input.action === 'confirm') {
      await tx.update(agencies).set({ status: 'confirmed' }).where(eq(agencies.id, input.id));
    } else {
      const years = (await tx.select({ year: reports.year }).from(reports).where(eq(reports.agencyId, input.id))).map((r) => r.year);
      const theirs = new Set((await tx.select({ year: reports.year }).from(reports).where(eq(reports.agencyId, input.into))).map((r) => r.year));
      const clash = years.filter((y) => theirs.has(y));
      if (clash.length) throw new Error(`两个机构在 ${clash.join('、')} 年都有年度报告，不能直接合并，请先核对`);
      await tx.update(reports).set({ agencyId: input.into }).where(eq(reports.agencyId, input.id));
      await tx.update(reportFacts).set({ agencyId: input.into }).where(eq(reportFacts.agencyId, input.id));
      // their findings follow; the re-check retires those it no longer raises
      await tx.update(findings).set({ agencyId: input.into }).where(eq(findings.agencyId, input.id));
      await tx.update(agencies).set({ status: 'merged', mergedInto: input.into }).where(eq(agencies.id, input.id));
      await tx.insert(agencyAliases).values({ alias: a.name, agencyId: input.into, reason: 'merge' }).onConflictDoNothing();
      moved = years;
    }
    await tx.insert(auditLog).values({ actor: input.actor, action: `agency.${input.action}`, target: `agency:${input.id}`, detail: input });
    return moved;
  });
}

/** Aliases added by configuration: renames and known misspellings. */
export async function addAlias(db: Db, agencyId: number, alias: string, reason: string): Promise<void> {
  await db.insert(agencyAliases).values({ alias, agencyId, reason }).onConflictDoNothing();
}

