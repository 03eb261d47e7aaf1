// The crawl schedule that `npm start` runs: each configured site on its own cron
// expressions (default daily in January–April, weekly otherwise, Beijing time), a run
// skipped while the previous one goes on, one polite fetcher per host shared by the
// sites on it, and a run another process holds is left to it.
import cron, { type ScheduledTask } from 'node-cron';
import type { SiteConfig } from '../scrapers/config.js';
import { crawlSource, SourceBusy, type CrawlSummary } from '../scrapers/crawl.js';
import { Fetcher } from '../scrapers/fetch.js';
import type { Db } from './db/client.js';
import { StoreMemo } from './store/figures.js';

export interface CrawlSchedule {
  tasks: Array<{ source: string; expression: string; task: ScheduledTask }>;
  stop(): Promise<void>;
}

export function scheduleCrawls(db: Db, configs: SiteConfig[], log: (summary: CrawlSummary | { source: string; error: string }) => void): CrawlSchedule {
  const memo = new StoreMemo(db);
  const fetchers = new Map<string, Fetcher>();
  const fetcherFor = (c: SiteConfig) => {
    const host = new URL(c.baseUrl).host;
    let f = fetchers.get(host);
    if (!f) {
      f = new Fetcher({ delayMs: c.fetch.delayMs, jitterMs: c.fetch.jitterMs, robots: c.fetch.robots, timeoutMs: c.fetch.timeoutMs, retries: c.fetch.retries, relaxedTls: c.fetch.relaxedTls ? [new URL(c.baseUrl).hostname] : [] });
      fetchers.set(host, f);
    }
    return f;
  };
  const tasks = configs.flatMap((c) =>
    c.schedule.map((expression) => ({
      source: c.id,
      expression,
      task: cron.schedule(
        expression,
        async () => {
          try {
            log(await crawlSource(db, memo, c, { fetcher: fetcherFor(c) }));
          } catch (e) {
            log({ source: c.id, error: e instanceof SourceBusy ? e.message : `${(e as Error).message}` });
          }
        },
        { name: `crawl:${c.id}:${expression}`, timezone: 'Asia/Shanghai', noOverlap: true },
      ),
    })),
  );
  return {
    tasks,
    async stop() {
      for (const t of tasks) await t.task.stop();
      for (const f of fetchers.values()) f.close();
    },
  };
}
