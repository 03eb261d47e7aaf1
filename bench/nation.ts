// A nation-scale database through the real schema, then the server under load.
// 3,000 regions × 55 agencies × 6 years ≈ 1,000,000 reports, each with its document,
// version, figures, facts and findings, generated in SQL from 50 parsed variants of the
// seed figures. Targets (issue 6): under 10 GB; league table for a province and coverage
// for a city p95 ≤ 150 ms at 20 concurrent clients (autocannon on loopback); XLSX export
// of 10,000 rows ≤ 3 s. Needs PostgreSQL: BENCH_DATABASE_URL (a server where a database
// can be created); BENCH_REGIONS to try fewer regions; BENCH_KEEP to keep the database,
// BENCH_REUSE=<name> to measure a kept one again.
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { checkReport } from '../checks/index.js';
import { parseDocument, PARSER } from '../parser/index.js';
import { buildApp } from '../server/app.js';
import { createAccount } from '../server/auth/accounts.js';
import { openDb, rowsOf, type Store } from '../server/db/client.js';
import { factsOf, FACT_COLUMNS } from '../server/store/facts.js';
import { encodeFigures, StoreMemo, readingOf } from '../server/store/figures.js';
import { baseModel } from '../tests/support/model.js';
import { renderPdfText } from '../tests/support/render.js';
import { benchFirstPage } from './dashboard.js';
import { generated } from './import.js';

const AGENCIES = 55;
const FIRST_YEAR = 2019;
const LAST_YEAR = 2024;
const VARIANTS = 50;

async function exec(store: Store, text: string, label: string): Promise<void> {
  const t = Date.now();
  await store.db.execute(sql.raw(text));
  console.log(`  ${label} ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

async function generate(store: Store, regions: number): Promise<void> {
  const memo = new StoreMemo(store.db);
  await exec(store, 'create table bench_variants (n int primary key, keys smallint[], vals float8[], semantics text, printed jsonb, positions int[], context jsonb, parsed jsonb, facts jsonb)', 'variants table');
  let n = 0;
  for (const doc of generated(VARIANTS)) {
    const report = parseDocument({ bytes: doc.bytes });
    const single = checkReport(report, 'a0');
    const f = await encodeFigures(report, memo);
    const facts = factsOf(report, { id: 0, name: '', kind: 'department', regionCode: null, status: 'confirmed', mergedInto: null, createdAt: new Date() }, 2024, null, single.findings);
    await store.db.execute(sql`insert into bench_variants values (${n++}, ${`{${f.keys.join(',')}}`}::smallint[], ${`{${f.vals.map((v) => v ?? 'NULL').join(',')}}`}::float8[],
      ${f.semantics}, ${JSON.stringify(f.printed)}::jsonb, ${`{${f.positions.join(',')}}`}::int[], ${JSON.stringify(f.context)}::jsonb,
      ${JSON.stringify(readingOf(report, single.notChecked))}::jsonb, ${JSON.stringify(facts)}::jsonb)`);
  }
  const template = renderPdfText(baseModel()).replace(/'/g, "''");
  await exec(
    store,
    `create table bench_regions as
       select code, name from (
         select code, name, 0 as o from regions where level = 'county'
         union all select code, name, 1 from regions where level = 'city' and name <> '市辖区'
       ) r order by o, code limit ${regions}`,
    'regions',
  );
  await exec(
    store,
    `insert into agencies (region_code, name, kind, status)
       select r.code, r.name || case when i = 1 then '人民政府' else '第' || i || '局' end || '（' || r.code || '）',
              case when i = 1 then 'government' else 'department' end, 'confirmed'
       from bench_regions r cross join generate_series(1, ${AGENCIES}) i`,
    'agencies',
  );
  await exec(store, `insert into reports (agency_id, year) select a.id, y from agencies a cross join generate_series(${FIRST_YEAR}, ${LAST_YEAR}) y`, 'reports');
  await exec(
    store,
    `insert into documents (sha256, bytes, media_type, size)
       select md5(r.id::text), convert_to(replace(replace('${template}', '郏县人民政府', a.name), '2024年', r.year || '年'), 'UTF8'), 'text/plain', ${Buffer.byteLength(template)}
       from reports r join agencies a on a.id = r.agency_id`,
    'documents',
  );
  await exec(store, 'alter table report_versions disable trigger report_versions_current', 'trigger off');
  await exec(
    store,
    `insert into report_versions (report_id, sha256, parsed, parser, status, format, published_at)
       select r.id, md5(r.id::text), t.parsed, '${PARSER}', 'report', '2021', make_date(r.year + 1, 1, 1) + (r.id % 60)
       from reports r join bench_variants t on t.n = r.id % ${VARIANTS}`,
    'versions',
  );
  await exec(store, 'update reports set current_version_id = v.id from report_versions v where v.report_id = reports.id', 'current versions');
  await exec(store, 'alter table report_versions enable trigger report_versions_current', 'trigger on');
  await exec(store, `insert into fetches (url, sha256, status) select 'https://example.gov.cn/nb/' || r.id || '.html', md5(r.id::text), 200 from reports r`, 'fetches');
  await exec(
    store,
    `insert into figures (version_id, keys, vals, semantics, printed, positions, context)
       select v.id, t.keys, t.vals, t.semantics, t.printed, t.positions, t.context
       from report_versions v join bench_variants t on t.n = v.report_id % ${VARIANTS}`,
    'figures',
  );
  const factColumns = FACT_COLUMNS.filter((c) => !['agency_id', 'year', 'region_code', 'kind', 'deadline', 'published_at', 'errors', 'warnings'].includes(c));
  const typed = (c: string) => (['status', 'format'].includes(c) ? `t.facts->>'${c}'` : c.endsWith('_ok') ? `(t.facts->>'${c}')::boolean` : `(t.facts->>'${c}')::float8`);
  await exec(
    store,
    `insert into report_facts (report_id, version_id, agency_id, year, region_code, kind, deadline, published_at, ${factColumns.join(', ')})
       select r.id, r.current_version_id, a.id, r.year, a.region_code, a.kind,
              (r.year + 1) || case when a.kind = 'government' then '-03-31' else '-01-31' end, v.published_at,
              ${factColumns.map(typed).join(', ')}
       from reports r join agencies a on a.id = r.agency_id join report_versions v on v.id = r.current_version_id
       join bench_variants t on t.n = r.id % ${VARIANTS}`,
    'facts',
  );
  // about two findings a report: a third with an arithmetic error, the rest warnings
  await exec(
    store,
    `insert into findings (fingerprint, agency_id, year, report_id, version_id, rule, severity, cells, expected, actual, message, state)
       select md5(r.id || '-' || k), r.agency_id, r.year, r.id, r.current_version_id,
              case when k = 1 and r.id % 3 = 0 then 'S3.BALANCE' when k = 1 then 'S.BLANK' else 'XY.COPY' end,
              case when k = 1 and r.id % 3 = 0 then 'error' else 'warning' end,
              array['s3.new.total', 's3.total.total'], '36'::jsonb, '35'::jsonb,
              '第三部分“总计”列：本年新收与上年结转之和为 36，但（七）总计与结转下年度之和为 35',
              case when r.id % 7 = 0 then 'confirmed' else 'open' end
       from reports r cross join generate_series(1, 2) k`,
    'findings',
  );
  await exec(
    store,
    `update report_facts f set errors = c.errors, warnings = c.warnings
       from (select agency_id, year, count(*) filter (where severity = 'error')::int as errors, count(*) filter (where severity = 'warning')::int as warnings
             from findings where active and state <> 'dismissed' group by agency_id, year) c
       where c.agency_id = f.agency_id and c.year = f.year`,
    'finding counts',
  );
  await exec(store, 'drop table bench_variants', 'cleanup');
  await exec(store, 'drop table bench_regions', 'cleanup');
  await exec(store, 'vacuum analyze', 'vacuum analyze');
}

async function load(url: string, cookie: string, title: string): Promise<void> {
  // the first request computes the answer (uncached); the load then measures what users see
  const t = Date.now();
  await (await fetch(url, { headers: { cookie } })).arrayBuffer();
  console.log(`${title.padEnd(36)} first (uncached) request ${Date.now() - t} ms`);
  const r = await autocannon({ url, connections: 20, duration: 10, headers: { cookie } });
  const ok = r.latency.p97_5 <= 150;
  console.log(
    `${title.padEnd(36)} ${r.requests.average.toFixed(0)} req/s, latency p50 ${r.latency.p50} ms, p97.5 ${r.latency.p97_5} ms, p99 ${r.latency.p99} ms ` +
      `(non-2xx ${r.non2xx}; target p95 ≤ 150 ms: ${ok ? 'met (p97.5 is under it)' : 'NOT MET'})`,
  );
}

export async function benchNation(adminUrl: string, regions: number): Promise<void> {
  // BENCH_REUSE: the name of a database kept by an earlier run (BENCH_KEEP), to measure again
  const reuse = process.env.BENCH_REUSE;
  const name = reuse ?? `nianjian_bench_nation_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  if (!reuse) await admin.unsafe(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = await openDb({ url: url.toString() });
  try {
    console.log(`nation-scale database: ${regions} regions × ${AGENCIES} agencies × ${LAST_YEAR - FIRST_YEAR + 1} years`);
    const t = Date.now();
    if (!reuse) await generate(store, regions);
    const [{ size }] = (await admin.unsafe(`select pg_database_size('${name}')::bigint as size`)) as unknown as [{ size: string }];
    const counted = rowsOf<{ n: number }>(await store.db.execute(sql`select count(*)::int as n from reports`));
    const gb = Number(size) / 1024 ** 3;
    console.log(`generated ${counted[0]!.n} reports in ${((Date.now() - t) / 1000).toFixed(0)} s; database ${gb.toFixed(2)} GB (target < 10 GB: ${gb < 10 ? 'met' : 'NOT MET'})`);

    if (!reuse) await createAccount(store.db, { username: 'bench', password: 'bench-password', role: 'admin', actor: 'bench' });
    const app = await buildApp(store);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const login = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench-password' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    await load(`${base}/api/league?year=2024&region=41&sort=disclosure_rate`, cookie, 'league table, province 41, 2024');
    await load(`${base}/api/coverage?from=2019&to=2024&region=4103`, cookie, 'coverage, city 4103, 2019–2024');
    const x0 = Date.now();
    const xlsx = await fetch(`${base}/api/export/league.xlsx?year=2024&size=10000&sort=requests_received`, { headers: { cookie } });
    const bytes = (await xlsx.arrayBuffer()).byteLength;
    const seconds = (Date.now() - x0) / 1000;
    console.log(`XLSX export of 10,000 rows: ${seconds.toFixed(2)} s, ${(bytes / 1024).toFixed(0)} KB (target ≤ 3 s: ${seconds <= 3 ? 'met' : 'NOT MET'})`);
    // the dashboard over the province with the most agencies
    const [top] = rowsOf<{ province: string; n: number }>(
      await store.db.execute(sql`select left(region_code, 2) as province, count(*)::int as n from agencies group by 1 order by 2 desc limit 1`),
    );
    console.log(`dashboard over province ${top!.province}: ${top!.n} agencies`);
    await benchFirstPage(base, cookie, top!.province, LAST_YEAR);
    await app.close();
  } finally {
    await store.close();
    // BENCH_KEEP: leave the database for EXPLAIN and further runs
    if (process.env.BENCH_KEEP || reuse) console.log(`kept database ${name}`);
    else await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}
