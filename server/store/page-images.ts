// Page images of stored documents, rendered once by the reader pool and kept under a size
// cap: the least recently shown are dropped first (they can always be rendered again).
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { pageImages } from '../db/schema.js';

/** Bytes the cache may hold (NIANJIAN_PAGE_CACHE_MB, default 512). */
export function pageCacheBytes(): number {
  const mb = Number(process.env.NIANJIAN_PAGE_CACHE_MB);
  return (mb > 0 ? mb : 512) * 1048576;
}

export async function cachedPage(db: Db, sha256: string, page: number): Promise<Uint8Array | null> {
  const [row] = await db
    .update(pageImages)
    .set({ usedAt: sql`now()` })
    .where(and(eq(pageImages.sha256, sha256), eq(pageImages.page, page)))
    .returning({ png: pageImages.png });
  return row?.png ?? null;
}

export async function cachePage(db: Db, sha256: string, page: number, png: Uint8Array, capBytes = pageCacheBytes()): Promise<void> {
  if (png.length > capBytes) return;
  await db.transaction(async (tx) => {
    await tx.insert(pageImages).values({ sha256, page, png, size: png.length }).onConflictDoNothing();
    // the newest first, until the cap: everything past it goes
    await tx.execute(sql`
      delete from ${pageImages} p using (
        select sha256, page, sum(size) over (order by used_at desc, sha256, page) as running from ${pageImages}
      ) r
      where p.sha256 = r.sha256 and p.page = r.page and r.running > ${capBytes}`);
  });
}
