// `npm run demo`: the local web of Henan county sites served on loopback, crawled into an
// embedded database of its own (./data-demo unless NIANJIAN_DATA_DIR says otherwise), then
// the product started on it with those sites scheduled — everything visible without the
// internet. Sign in as `demo` with the password printed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { crawlSource } from '../../scrapers/crawl.js';
import { createAccount } from '../../server/auth/accounts.js';
import { openDb } from '../../server/db/client.js';
import { accounts } from '../../server/db/schema.js';
import { StoreMemo } from '../../server/store/figures.js';
import { startHenanWeb, YEARS } from './henan.js';

const PASSWORD = 'demo-年检-演示密码';
process.env.NIANJIAN_DATA_DIR ??= join(process.cwd(), 'data-demo');

// through 2025: the year whose reports a reviewer opening the dashboard today looks at first
const web = await startHenanWeb(Number(process.env.DEMO_SITES ?? 8), [...YEARS, 2025], undefined, { blocked: true, realistic: true });
const sources = mkdtempSync(join(tmpdir(), 'nianjian-demo-sources-'));
for (const c of web.counties) writeFileSync(join(sources, `${c.config.id}.json`), JSON.stringify(c.config.raw, null, 2));
process.env.NIANJIAN_SOURCES = sources;

const store = await openDb();
const memo = new StoreMemo(store.db);
console.log(`本地县级网站 ${web.counties.length} 个（其一有 521 防护），可抓取的年度报告 ${web.reports} 份，开始抓取……`);
for (const c of web.counties) {
  const s = await crawlSource(store.db, memo, c.config);
  console.log(`  ${c.config.name}（${c.config.preset}，${c.site.url}）：${s.status}，inserted ${s.inserted}, updated ${s.updated}, noop ${s.unchanged}, failed ${s.failed}`);
}
const [demo] = await store.db.select().from(accounts).where(eq(accounts.username, 'demo'));
if (!demo) await createAccount(store.db, { username: 'demo', password: PASSWORD, role: 'admin', actor: 'demo' });
await store.close();
console.log(`登录：用户名 demo，密码 ${PASSWORD}（POST /api/session）`);

// the product, on the same database, with the local sites on its crawl schedule; on a free
// port when PORT (or 3000) is taken, said plainly rather than as a stack trace
const free = (port: number) =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer()
      .once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve(-1) : reject(e)))
      .once('listening', () => {
        const { port: got } = probe.address() as { port: number };
        probe.close(() => resolve(got));
      });
    probe.listen(port, process.env.HOST ?? '127.0.0.1');
  });
const wanted = Number(process.env.PORT ?? 3000);
if ((await free(wanted)) < 0) {
  process.env.PORT = String(await free(0));
  console.log(`端口 ${wanted} 已被占用，改用 ${process.env.PORT}`);
}
await import('../../server/main.js');
