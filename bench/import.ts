// Import throughput: N reports generated from the seed 003 figures (varied, balanced),
// 5 years per agency so that the cross-year checks run, imported into an empty store.
// Targets (issue 4): 10,000 reports in ≤ 60 s on PostgreSQL, ≤ 120 s on PGlite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { PARSER } from '../parser/index.js';
import { openDb, rowsOf, type Store } from '../server/db/client.js';
import { parserRuns } from '../server/db/schema.js';
import type { AgencyRow } from '../server/store/agencies.js';
import { StoreMemo } from '../server/store/figures.js';
import { IMPORT_PARALLELISM, importDocument, inParallel } from '../server/store/import.js';
import { baseModel } from '../tests/support/model.js';
import { renderPdfText } from '../tests/support/render.js';

const YEARS = [2020, 2021, 2022, 2023, 2024];
const OVERVIEW = [
  '坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。',
  '严格落实政府信息公开条例，健全主动公开目录，加强政策解读。',
  '加强政务新媒体管理，及时回应社会关切，提升公开实效。',
  '完善依申请公开办理流程，规范答复文书，保障群众知情权。',
  '强化考核评估，将政务公开纳入年度目标管理，组织业务培训。',
  '做好重点领域信息公开，及时发布财政预决算和重大项目信息。',
  '优化政府网站栏目设置，推进信息公开专栏标准化建设。',
  '落实保密审查制度，严格执行信息发布三审三校。',
];
const PROBLEMS = ['公开内容深度不够，', '政策解读形式单一，', '信息更新不够及时，', '工作人员业务能力有待提高，', '回应关切不够主动，'];
const IMPROVEMENTS = ['加强业务培训，', '丰富解读形式，', '建立定期更新机制，', '完善考核办法，', '强化督促检查。'];

/** A deterministic pseudo-random sequence, so that every run imports the same reports. */
function lcg(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1103515245 + 12345) >>> 0;
    return x % n;
  };
}

export function* generated(n: number): Generator<{ bytes: Buffer; source: string }> {
  const rnd = lcg(42);
  for (let i = 0; i < n; i++) {
    const agency = `郏县第${Math.floor(i / YEARS.length) + 1}局`;
    const year = YEARS[i % YEARS.length]!;
    const m = baseModel();
    m.title = `${agency}${year}年政府信息公开工作年度报告`;
    const [a, b, c] = [rnd(50), rnd(10), rnd(20)];
    for (const col of ['natural', 'total']) {
      m.values[`s3.granted.${col}`] = a;
      m.values[`s3.partial.${col}`] = b;
      m.values[`s3.unable.not_held.${col}`] = c + (col === 'total' ? 1 : 0);
    }
    for (const k of ['s3.denied.secret', 's3.denied.internal', 's3.denied.enforcement', 's3.denied.query', 's3.unable.needs_making', 's3.refused.petition', 's3.refused.repeat']) {
      m.values[`${k}.natural`] = 0;
      m.values[`${k}.total`] = 0;
    }
    m.values['s3.new.natural'] = m.values['s3.total.natural'] = a + b + c;
    m.values['s3.new.total'] = m.values['s3.total.total'] = a + b + c + 1;
    m.values['s2.licensing.decisions'] = rnd(100000);
    // a stock that carries over, and narratives that differ between years as real ones do
    m.values['s2.normative.issued'] = m.values['s2.normative.repealed'] = 0;
    m.values['s2.normative.in_force'] = 31;
    const pick = (pool: string[], k: number) => Array.from({ length: k }, () => pool[rnd(pool.length)]).join('');
    m.narrative.一 = `${agency}${pick(OVERVIEW, 6)}全年主动公开政府信息${rnd(900) + 50}条。`;
    m.narrative.五 = `存在的主要问题：${pick(PROBLEMS, 3)}改进情况：${pick(IMPROVEMENTS, 3)}`;
    yield { bytes: Buffer.from(renderPdfText(m)), source: `bench/${i}.txt` };
  }
}

async function databaseSize(store: Store): Promise<number> {
  const [first] = rowsOf<{ n: number | string }>(await store.db.execute(sql`select pg_database_size(current_database())::bigint as n`));
  return Number(first!.n);
}

export async function benchImport(store: Store, n: number, name: string, target: number): Promise<void> {
  const memo = new StoreMemo(store.db);
  const [run] = await store.db.insert(parserRuns).values({ parser: PARSER, kind: 'import' }).returning({ id: parserRuns.id });
  const docs = [...generated(n)]; // rendered before the clock starts: only the import is timed
  const before = await databaseSize(store);
  const start = process.hrtime.bigint();
  const counts: Record<string, number> = {};
  const agencyCache = new Map<string, AgencyRow>();
  await inParallel(docs, store.kind === 'postgres' ? IMPORT_PARALLELISM : 1, async (doc) => {
    const r = await importDocument(store.db, memo, { ...doc, runId: run!.id }, agencyCache);
    counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perReport = ((await databaseSize(store)) - before) / n;
  const scaled = (target * n) / 10000;
  console.log(
    `import into ${name.padEnd(10)} ${n} reports in ${seconds.toFixed(1)} s (${(n / seconds).toFixed(0)}/s; target ${scaled.toFixed(0)} s for ${n}: ${seconds <= scaled ? 'met' : 'NOT MET'})  ` +
      `${JSON.stringify(counts)}  ${(perReport / 1024).toFixed(1)} KB/report → ${((perReport * 1e6) / 1024 ** 3).toFixed(1)} GB per million`,
  );
}

export async function benchImports(n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nianjian-bench-'));
  const lite = await openDb({ dataDir: dir });
  try {
    await benchImport(lite, n, 'PGlite', 120);
  } finally {
    await lite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const admin = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!admin) {
    console.log('import into PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    return;
  }
  const name = `nianjian_bench_${process.pid}`;
  const client = postgres(admin, { max: 1, onnotice: () => {} });
  await client.unsafe(`create database "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const pg = await openDb({ url: url.toString() });
  try {
    await benchImport(pg, n, 'PostgreSQL', 60);
  } finally {
    await pg.close();
    await client.unsafe(`drop database if exists "${name}" with (force)`);
    await client.end();
  }
}
