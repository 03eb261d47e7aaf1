// With PostgreSQL, crawl runs go through a pg-boss queue so that several worker processes
// (or machines) share them. The queue's `singleton` policy keyed by host lets one crawl per
// host run at a time across all workers: each host's politeness holds however many there are.
import PgBoss from 'pg-boss';
import type { SiteConfig } from '../scrapers/config.js';
import { crawlSource, fetcherFor, SourceBusy, type CrawlSummary } from '../scrapers/crawl.js';
import { Fetcher } from '../scrapers/fetch.js';
import type { Db } from './db/client.js';
import { StoreMemo } from './store/figures.js';

const QUEUE = 'crawl';

export type CrawlLog = (entry: CrawlSummary | { source: string; error: string }) => void;

export interface CrawlQueue {
  /** a run of this source, queued behind any other run on its host */
  enqueue(config: SiteConfig): Promise<void>;
  stop(): Promise<void>;
}

export const hostOf = (c: SiteConfig) => new URL(c.baseUrl).host;

/**
 * Connects to the queue; with `work`, this process also takes runs off it (one at a time)
 * and crawls them.
 */
export async function startCrawlQueue(url: string, db: Db, configs: SiteConfig[], log: CrawlLog, opts: { work: boolean }): Promise<CrawlQueue> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 3 });
  boss.on('error', (e) => log({ source: '(queue)', error: e.message }));
  await boss.start();
  await boss.createQueue(QUEUE, { name: QUEUE, policy: 'singleton', retryLimit: 0, expireInSeconds: 4 * 3600 });
  const byId = new Map(configs.map((c) => [c.id, c]));
  if (opts.work) {
    const memo = new StoreMemo(db);
    await boss.work<{ source: string }>(QUEUE, { batchSize: 1, pollingIntervalSeconds: 2 }, async ([job]) => {
      const config = byId.get(job!.data.source);
      if (!config) return log({ source: job!.data.source, error: '本进程没有该站点的配置' });
      const fetcher = fetcherFor(config);
      try {
        log(await crawlSource(db, memo, config, { fetcher }));
      } catch (e) {
        log({ source: config.id, error: e instanceof SourceBusy ? e.message : (e as Error).message });
      } finally {
        fetcher.close();
      }
    });
  }
  return {
    async enqueue(config) {
      await boss.send(QUEUE, { source: config.id }, { singletonKey: hostOf(config) });
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}
