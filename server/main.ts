// `npm start`: the API and the scheduler in one process, on the embedded database unless
// DATABASE_URL is set. PGlite has one owner, so this process is it.
import cron from 'node-cron';
import { buildApp } from './app.js';
import { openDb } from './db/client.js';
import { loadConfigs, sourcesDir } from '../scrapers/config.js';
import { startCrawlQueue } from './crawl-queue.js';
import { registerSources, scheduleCrawls } from './schedule.js';
import { abandonDeadRuns } from './store/abandoned-runs.js';
import { checkMissing } from './store/reports.js';

const PORT = Number(process.env.PORT ?? 3000);
const HOST = process.env.HOST ?? '127.0.0.1';

const store = await openDb();
const abandoned = await abandonDeadRuns(store);

// Deadlines pass while nobody imports: look for missing reports every night (Beijing time).
const missing = cron.schedule('30 2 * * *', async () => {
  const raised = await checkMissing(store.db, new Date());
  app.log.info({ raised }, 'PUB.MISSING checked');
}, { name: 'pub-missing', timezone: 'Asia/Shanghai', noOverlap: true });

// Every configured site crawled on its schedule; a broken config stops the start, loudly.
// With PostgreSQL the runs are queued, and this process is one of the workers taking them.
const configs = loadConfigs(sourcesDir());
await registerSources(store.db, configs);
const log = (s: object) => app.log.info(s, 'crawl');
const queue = store.kind === 'postgres' ? await startCrawlQueue(process.env.DATABASE_URL!, store.db, configs, log, { work: true }) : undefined;
const crawls = scheduleCrawls(store.db, configs, log, queue);
const app = await buildApp(store, { logger: true, crawls });
app.log.info({ sources: new Set(crawls.tasks.map((t) => t.source)).size }, 'crawl schedule');
if (abandoned.length) app.log.warn({ sources: abandoned }, 'crawl runs of a dead process marked failed');

const stop = async () => {
  await missing.stop();
  await crawls.stop();
  await queue?.stop();
  await app.close();
  await store.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

await app.listen({ port: PORT, host: HOST });
