// `nianjian worker`: a process that only takes crawl runs off the PostgreSQL queue (start
// as many as the sites need; each host is still crawled by one of them at a time).
import { loadConfigs, sourcesDir } from '../scrapers/config.js';
import { startCrawlQueue } from '../server/crawl-queue.js';
import { openDb } from '../server/db/client.js';
import { abandonDeadRuns } from '../server/store/abandoned-runs.js';
import { UsageError } from './args.js';

export async function workerCommand(argv: string[]): Promise<number> {
  if (argv.length) throw new UsageError('用法：nianjian worker（需要 DATABASE_URL 指向 PostgreSQL）');
  if (!process.env.DATABASE_URL) throw new UsageError('抓取工作进程需要 PostgreSQL：请设置 DATABASE_URL（嵌入式数据库由 npm start 一个进程完成抓取）');
  const store = await openDb();
  const abandoned = await abandonDeadRuns(store);
  if (abandoned.length) process.stdout.write(`上次中断的抓取已标记为失败：${abandoned.join('、')}\n`);
  const queue = await startCrawlQueue(process.env.DATABASE_URL, store.db, loadConfigs(sourcesDir()), (s) => process.stdout.write(`${JSON.stringify(s)}\n`), { work: true });
  process.stdout.write('抓取工作进程已启动，等待队列中的任务（Ctrl-C 结束）\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await queue.stop();
  await store.close();
  return 0;
}
