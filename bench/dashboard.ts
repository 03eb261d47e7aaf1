// The dashboard's targets (issue 7): the first page's JavaScript ≤ 400 KB gzipped, and the
// first page interactive ≤ 1.5 s on loopback over a province-scale database, measured in
// Chromium from navigation until the page's table is drawn (its links and sort buttons
// then work), with a warm and a cold server cache.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST } from '../server/dashboard.js';
import { buildDashboard, newPage, openBrowser } from '../tests/support/browser.js';

/** Builds the app and prints what the first page downloads, gzipped. */
export async function benchBundle(): Promise<void> {
  await buildDashboard();
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const assets = readdirSync(join(DIST, 'assets')).filter((f) => html.includes(f));
  let js = 0;
  let css = 0;
  for (const f of assets) {
    const gz = gzipSync(readFileSync(join(DIST, 'assets', f)), { level: 6 }).length;
    if (f.endsWith('.js')) js += gz;
    else css += gz;
  }
  console.log(`dashboard first page: JavaScript ${(js / 1024).toFixed(0)} KB gzipped (target ≤ 400 KB: ${js <= 400 * 1024 ? 'met' : 'NOT MET'}), CSS ${(css / 1024).toFixed(0)} KB`);
}

/** Times the first pages a reviewer opens, against a running server with the dashboard built. */
export async function benchFirstPage(base: string, cookie: string, region: string, year: number): Promise<void> {
  const chromium = await openBrowser();
  try {
    const [name, value] = cookie.split('=') as [string, string];
    for (const [label, path, ready] of [
      ['总览', `/?year=${year}&region=${region}`, '[data-testid=areas] tbody tr td a'],
      ['排行榜', `/league?year=${year}&region=${region}&sort=disclosure_rate`, '[data-testid=league] tbody tr td a'],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        // a new context each time: nothing cached in the browser, as on a reviewer's first visit of the day
        const { page } = await newPage(chromium.browser);
        await page.context().addCookies([{ name, value, url: base }]);
        const t = Date.now();
        await page.goto(`${base}${path}`);
        await page.locator(ready).first().waitFor();
        times.push(Date.now() - t);
        await page.context().close();
      }
      const first = times[0]!;
      const warm = Math.max(...times.slice(1));
      console.log(`dashboard ${label} interactive: first ${first} ms, then ≤ ${warm} ms (target ≤ 1,500 ms: ${Math.max(first, warm) <= 1500 ? 'met' : 'NOT MET'})`);
    }
  } finally {
    await chromium.close();
  }
}
