// Crawl runs whose process died (killed, out of memory, machine restarted) would stay
// "running" and hold their site's lease, so that 立即抓取 answered "busy" for hours. A
// crawl renews its lease every minute; a process that starts ends the runs of dead
// processes as failed, with the reason, and frees their sites, and a lease left unrenewed
// is free to the next crawl on any machine.
import { hostname } from 'node:os';
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { alive, type Db, type Store } from '../db/client.js';
import { crawlRuns, crawlSources } from '../db/schema.js';

/** How often a crawl renews its lease. */
export const LEASE_RENEW_MS = 60_000;
/** A lease not renewed for this long belongs to a process that is gone, on whatever machine. */
export const LEASE_STALE_MINUTES = 10;

/** The lease is held by a process that renewed it lately. */
export const leaseLive = sql<boolean>`(${crawlSources.runningSince} is not null and coalesce(${crawlSources.leaseRenewedAt}, ${crawlSources.runningSince}) >= now() - make_interval(mins => ${LEASE_STALE_MINUTES}))`;

const DIED = '抓取进程意外中断（进程已退出或服务重启），本次抓取未完成';
export const LOST = `抓取进程失去联系（超过 ${LEASE_STALE_MINUTES} 分钟未续租），本次抓取未完成`;

/** Ends the sources' running runs as failed with the reason, in the caller's transaction. */
export async function endRunningRuns(db: Db, ids: string[], reason: string): Promise<void> {
  const note = JSON.stringify([reason]);
  await db
    .update(crawlRuns)
    .set({ status: 'failed', finishedAt: sql`now()`, notes: sql`${crawlRuns.notes} || ${note}::jsonb`, errors: sql`${crawlRuns.errors} || '{"interrupted": 1}'::jsonb` })
    .where(and(inArray(crawlRuns.sourceId, ids), eq(crawlRuns.status, 'running')));
}

/**
 * A lease is dead when its process is: on the embedded store every lease is (one process
 * owns it, and it is this one, starting), on PostgreSQL those of this machine whose process
 * is gone. Returns the sources freed.
 */
export async function abandonDeadRuns(store: Store): Promise<string[]> {
  const db = store.db;
  const held = await db
    .select({ id: crawlSources.id, runner: crawlSources.runner, live: leaseLive })
    .from(crawlSources)
    .where(isNotNull(crawlSources.runningSince));
  const here = hostname();
  const dead = held.filter((s) => {
    if (store.kind === 'pglite' || !s.live) return true;
    const [host, pid] = (s.runner ?? '').split(':');
    return host === here && Number(pid) !== process.pid && !alive(Number(pid));
  });
  if (!dead.length) return [];
  await db.transaction(async (tx) => {
    for (const reason of [DIED, LOST]) {
      const ids = dead.filter((s) => (reason === LOST) === !s.live).map((s) => s.id);
      if (ids.length) await endRunningRuns(tx as unknown as Db, ids, reason);
    }
    await tx.update(crawlSources).set({ runningSince: null, runner: null, leaseRenewedAt: null }).where(inArray(crawlSources.id, dead.map((s) => s.id)));
  });
  return dead.map((s) => s.id);
}
