// The crawl benchmark: the local web of Henan county sites (≥ 20 sites, ≥ 1,000 reports),
// with no politeness delay, crawled, parsed and imported into a fresh embedded store
// (target: ≤ 2 minutes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crawlSource } from '../scrapers/crawl.js';
import { openDb } from '../server/db/client.js';
import { StoreMemo } from '../server/store/figures.js';
import { startHenanWeb } from '../tests/web/henan.js';

export async function benchCrawl(sites = 25): Promise<void> {
  const web = await startHenanWeb(sites);
  const dir = mkdtempSync(join(tmpdir(), 'nianjian-bench-crawl-'));
  const store = await openDb({ dataDir: dir });
  try {
    const memo = new StoreMemo(store.db);
    const start = process.hrtime.bigint();
    const runs = await Promise.all(web.counties.map((c) => crawlSource(store.db, memo, c.config)));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const stored = runs.reduce((a, r) => a + r.inserted, 0);
    const failed = runs.reduce((a, r) => a + r.failed, 0);
    const pages = runs.reduce((a, r) => a + r.pages, 0);
    console.log(
      `crawl of the local web            ${seconds.toFixed(1).padStart(6)} s    (${web.counties.length} sites, ${pages} list pages, ${web.reports} reports: ${stored} imported, ${failed} failed; PGlite; target ≤ 120 s ${seconds <= 120 && stored === web.reports ? 'met' : 'NOT MET'})`,
    );
  } finally {
    await store.close();
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
