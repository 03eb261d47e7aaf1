// The crawl schedule that `npm start` runs: each configured site on its own cron
// expressions (default daily in January–April, weekly otherwise, Beijing time). On the
// embedded database the run happens here, skipped while the previous one goes on, with one
// polite fetcher per host; with PostgreSQL it is queued for whichever worker is free.
import cron, { type ScheduledTask } from 'node-cron';
import type { SiteConfig } from '../scrapers/config.js';
import { crawlSource, fetcherFor, SourceBusy } from '../scrapers/crawl.js';
import type { Fetcher } from '../scrapers/fetch.js';
import { hostOf, type CrawlLog, type CrawlQueue } from './crawl-queue.js';
import type { Db } from './db/client.js';
import { crawlSources } from './db/schema.js';
import { StoreMemo } from './store/figures.js';

export interface CrawlSchedule {
  tasks: Array<{ source: string; expression: string; task: ScheduledTask }>;
  /** a run of this source now, besides its schedule ("crawl now"), ending when it is done or queued; null if no such source is configured */
  runNow(source: string): Promise<void> | null;
  stop(): Promise<void>;
}

export function scheduleCrawls(db: Db, configs: SiteConfig[], log: CrawlLog, queue?: CrawlQueue): CrawlSchedule {
  const memo = new StoreMemo(db);
  const fetchers = new Map<string, Fetcher>();
  const run = async (c: SiteConfig) => {
    if (queue) return queue.enqueue(c);
    const host = hostOf(c);
    if (!fetchers.has(host)) fetchers.set(host, fetcherFor(c));
    try {
      log(await crawlSource(db, memo, c, { fetcher: fetchers.get(host)! }));
    } catch (e) {
      log({ source: c.id, error: e instanceof SourceBusy ? e.message : `${(e as Error).message}` });
    }
  };
  const tasks = configs.flatMap((c) =>
    c.schedule.map((expression) => ({
      source: c.id,
      expression,
      task: cron.schedule(expression, () => run(c), { name: `crawl:${c.id}:${expression}`, timezone: 'Asia/Shanghai', noOverlap: true }),
    })),
  );
  const byId = new Map(configs.map((c) => [c.id, c]));
  return {
    tasks,
    runNow(source) {
      const config = byId.get(source);
      if (!config) return null;
      return run(config).catch((e: Error) => log({ source, error: e.message }));
    },
    async stop() {
      for (const t of tasks) await t.task.stop();
      for (const f of fetchers.values()) f.close();
    },
  };
}

/** Every configured site on the 抓取 page from the start, as "never crawled" until its first run. */
export async function registerSources(db: Db, configs: SiteConfig[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const c of configs) {
      const row = { name: c.name, regionCode: c.regionCode, preset: c.preset, baseUrl: c.baseUrl, verified: c.verified };
      await tx.insert(crawlSources).values({ id: c.id, ...row }).onConflictDoUpdate({ target: crawlSources.id, set: row });
    }
  });
}
