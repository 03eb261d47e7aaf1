// The crawl benchmark: the local web of Henan county sites (≥ 20 sites, ≥ 1,000 reports),
// with no politeness delay, crawled, parsed and imported into a fresh embedded store
// (target: ≤ 2 minutes); then discovery: every site of the local web crawled from its home
// page with no preset, and the real saved zhecheng portal (../shared/sites) through its own
// proxy — pages fetched per report found (target ≤ 1.5 on the local web) and the time to
// discover one county from its home page at delay 0 (target ≤ 5 s).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../scrapers/config.js';
import { crawlSource } from '../scrapers/crawl.js';
import { Fetcher } from '../scrapers/fetch.js';
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
    // discovery: each site given by its address alone, lists only (no detail page fetched)
    const fetcher = new Fetcher({ delayMs: 0, jitterMs: 0 });
    let found = 0;
    let fetched = 0;
    let slowest = 0;
    for (const c of web.counties) {
      const t = process.hrtime.bigint();
      const run = await crawlSource(store.db, memo, parseConfig({ id: c.config.id, name: c.config.name, baseUrl: c.site.url }, 'bench.json'), { fetcher, dryRun: true });
      slowest = Math.max(slowest, Number(process.hrtime.bigint() - t) / 1e9);
      found += run.found.length;
      fetched += run.pages;
    }
    fetcher.close();
    const perReport = fetched / Math.max(1, found);
    console.log(
      `discovery from home pages, no preset ${perReport.toFixed(2).padStart(4)} pages/report (${fetched} pages for ${found} of ${web.reports} reports; slowest county ${slowest.toFixed(2)} s at delay 0; targets ≤ 1.5 pages/report, ≤ 5 s ${perReport <= 1.5 && slowest <= 5 && found === web.reports ? 'met' : 'NOT MET'})`,
    );
  } finally {
    await store.close();
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  }
  await benchZhecheng();
}

/** The real saved portal, served by its own server as a proxy for its real hostname. */
async function benchZhecheng(): Promise<void> {
  const root = fileURLToPath(new URL('../../shared/sites/henan.zhecheng/', import.meta.url));
  if (!existsSync(root)) return console.log('discovery of zhecheng                skipped (../shared/sites/henan.zhecheng not beside the clone)');
  const port = 20_000 + (process.pid % 20_000);
  const child = spawn(process.execPath, [join(root, 'serve.mjs'), String(port)]);
  try {
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('replica on') && resolve()));
    const fetcher = new Fetcher({ delayMs: 0, jitterMs: 0, retries: 0, proxy: `http://127.0.0.1:${port}` });
    const config = parseConfig({ id: 'henan.zhecheng', name: '柘城县人民政府', baseUrl: 'http://www.zhecheng.gov.cn' }, 'bench.json');
    const t = process.hrtime.bigint();
    const run = await crawlSource(null as never, null as never, config, { fetcher, dryRun: true });
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    fetcher.close();
    console.log(
      `discovery of zhecheng (real, 2018)   ${seconds.toFixed(2).padStart(5)} s    (${run.pages} pages for ${run.found.length} reports = ${(run.pages / Math.max(1, run.found.length)).toFixed(2)} pages/report; ${run.listed} of 99 records listed, ${run.refused.filter((r) => /\d/.test(r.title)).length} refused; target ≤ 5 s ${seconds <= 5 && run.listed === 99 ? 'met' : 'NOT MET'})`,
    );
  } finally {
    child.kill();
  }
}
