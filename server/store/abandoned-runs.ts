// Crawl runs whose process died (killed, out of memory, machine restarted) would stay
// "running" and hold their site's lease, so that 立即抓取 answered "busy" for hours. A
// process that starts ends them as failed, with the reason, and frees their sites.
import { hostname } from 'node:os';
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { alive, type Store } from '../db/client.js';
import { crawlRuns, crawlSources } from '../db/schema.js';

/**
 * A lease is dead when its process is: on the embedded store every lease is (one process
 * owns it, and it is this one, starting), on PostgreSQL those of this machine whose process
 * is gone. Returns the sources freed.
 */
export async function abandonDeadRuns(store: Store): Promise<string[]> {
  const db = store.db;
  const held = await db.select({ id: crawlSources.id, runner: crawlSources.runner }).from(crawlSources).where(isNotNull(crawlSources.runningSince));
  const here = hostname();
  const dead = held.filter((s) => {
    if (store.kind === 'pglite') return true;
    const [host, pid] = (s.runner ?? '').split(':');
    return host === here && Number(pid) !== process.pid && !alive(Number(pid));
  });
  if (!dead.length) return [];
  const ids = dead.map((s) => s.id);
  const note = JSON.stringify(['抓取进程意外中断（进程已退出或服务重启），本次抓取未完成']);
  await db.transaction(async (tx) => {
    await tx
      .update(crawlRuns)
      .set({ status: 'failed', finishedAt: sql`now()`, notes: sql`${crawlRuns.notes} || ${note}::jsonb`, errors: sql`${crawlRuns.errors} || '{"interrupted": 1}'::jsonb` })
      .where(and(inArray(crawlRuns.sourceId, ids), eq(crawlRuns.status, 'running')));
    await tx.update(crawlSources).set({ runningSince: null, runner: null }).where(inArray(crawlSources.id, ids));
  });
  return ids;
}
