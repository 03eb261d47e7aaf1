// `npm run bench`: parser throughput on one core, seeds as text and as ~50 KB HTML pages
// (targets: ≥ 1,000 text reports/s, ≥ 300 HTML pages/s), PDF, DOCX and OCR (bench/documents.ts), the crawl of the local web of county sites (bench/crawl.ts), then the import of 10,000
// reports into PGlite and PostgreSQL (BENCH_IMPORT_REPORTS to import fewer), then the
// server over a nation-scale PostgreSQL database (bench/nation.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { analyse } from '../checks/index.js';
import { benchCrawl } from './crawl.js';
import { benchDocuments } from './documents.js';
import { benchImports } from './import.js';
import { benchBundle } from './dashboard.js';
import { benchNation } from './nation.js';
import { baseModel } from '../tests/support/model.js';
import { renderHtml } from '../tests/support/render.js';

const SEEDS = new URL('../tests/fixtures/seeds/', import.meta.url);
const MIN_SECONDS = 3;

function measure(name: string, docs: Array<{ bytes: Uint8Array; mediaType?: string }>, target: number): void {
  for (const d of docs) analyse(d); // warm up the JIT
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < MIN_SECONDS) {
    for (const d of docs) analyse(d);
    n += docs.length;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const rate = n / elapsed;
  const kb = docs.reduce((a, d) => a + d.bytes.length, 0) / docs.length / 1024;
  console.log(
    `${name.padEnd(28)} ${rate.toFixed(0).padStart(6)} /s   (${n} documents of ${kb.toFixed(1)} KB in ${elapsed.toFixed(2)} s; target ≥ ${target}/s ${rate >= target ? 'met' : 'NOT MET'})`,
  );
}

const texts = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).map((f) => ({ bytes: readFileSync(new URL(f, SEEDS)) }));

// A detail page as county portals serve it: the report plus navigation, lists and footer, ~50 KB.
const report = renderHtml(baseModel());
const item = '<li><a href="/art/2025/1/20/art_123_456.html" title="关于印发政务公开工作要点的通知">关于印发政务公开工作要点的通知</a><span>2025-01-20</span></li>\n';
const chrome = `<ul class="related">${item.repeat(Math.ceil((50 * 1024 - Buffer.byteLength(report)) / Buffer.byteLength(item)))}</ul>`;
const page = Buffer.from(report.replace('<div class="footer">', `${chrome}<div class="footer">`));
const pages = [{ bytes: page, mediaType: 'text/html' }];

console.log(`nianjian parser benchmark — node ${process.version}, one core`);
measure('text reports (5 seeds)', texts, 1000);
measure('HTML pages (~50 KB)', pages, 300);
await benchDocuments();
console.log(`rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
await benchImports(Number(process.env.BENCH_IMPORT_REPORTS ?? 10000));
await benchCrawl();
await benchBundle();
// the nation-scale database writes several GB: only where asked for; otherwise a province's
// worth (180 regions × 55 agencies × 6 years) on the test PostgreSQL, for the server and dashboard
if (process.env.BENCH_DATABASE_URL) await benchNation(process.env.BENCH_DATABASE_URL, Number(process.env.BENCH_REGIONS ?? 3000));
else if (process.env.TEST_DATABASE_URL) await benchNation(process.env.TEST_DATABASE_URL, Number(process.env.BENCH_REGIONS ?? 180));
else console.log('server and dashboard benchmarks over a generated database: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL where a database may be created)');
