// `nianjian import`, `reparse`, `db migrate`: the store from the command line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { MAX_BYTES, PARSER } from '../parser/index.js';
import { openDb, type Store } from '../server/db/client.js';
import { importFailures, parserRuns } from '../server/db/schema.js';
import type { AgencyRow } from '../server/store/agencies.js';
import { StoreMemo } from '../server/store/figures.js';
import { briefly, IMPORT_PARALLELISM, importDocument, inParallel, type Outcome } from '../server/store/import.js';
import { reparse } from '../server/store/reparse.js';
import { checkMissing } from '../server/store/reports.js';
import { mediaTypeOf } from './media.js';
import { parseArgs } from './args.js';

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openDb();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Files under the given paths, folders walked recursively, hidden entries skipped. */
export function* filesUnder(paths: string[]): Generator<string> {
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      yield p; // reported as unreadable by the caller
      continue;
    }
    if (st.isDirectory()) {
      const names = readdirSync(p).filter((n) => !n.startsWith('.')).sort();
      yield* filesUnder(names.map((n) => join(p, n)));
    } else yield p;
  }
}

export async function importCommand(argv: string[]): Promise<number> {
  const { flags, rest } = parseArgs(argv, ['agency', 'year', 'published']);
  if (!rest.length) {
    process.stderr.write('用法：nianjian import PATH... [--agency 名称] [--year 年度] [--published 发布日期]\n');
    return 2;
  }
  const year = flags.year ? Number(flags.year) : undefined;
  if (flags.year && !Number.isInteger(year)) {
    process.stderr.write(`--year 应为年份：${flags.year}\n`);
    return 2;
  }
  return withStore(async (store) => {
    const { db } = store;
    const memo = new StoreMemo(db);
    const [run] = await db.insert(parserRuns).values({ parser: PARSER, kind: 'import' }).returning({ id: parserRuns.id });
    const counts: Record<Outcome, number> = { inserted: 0, updated: 0, noop: 0, failed: 0 };
    const agencyCache = new Map<string, AgencyRow>();
    const importFile = async (file: string) => {
      let outcome: Outcome;
      try {
        if (statSync(file).size > MAX_BYTES) throw new Error(`文件过大（上限 ${MAX_BYTES / 1048576} MB）`);
        const r = await importDocument(
          db,
          memo,
          { bytes: readFileSync(file), source: file, mediaType: mediaTypeOf(file), publishedAt: flags.published, agency: flags.agency, year, runId: run!.id },
          agencyCache,
        );
        outcome = r.outcome;
        if (r.reason) process.stderr.write(`失败 ${file}：${r.reason}\n`);
      } catch (e) {
        outcome = 'failed';
        const code = (e as NodeJS.ErrnoException).code;
        const reason = code === 'ENOENT' ? '文件不存在' : code === 'EACCES' ? '无权读取' : briefly(e);
        await db.insert(importFailures).values({ source: file, reason });
        process.stderr.write(`失败 ${file}：${reason}\n`);
      }
      counts[outcome]++;
    };
    // PostgreSQL serves several connections: keep a few documents in flight; PGlite has one
    await inParallel(filesUnder(rest), store.kind === 'postgres' ? IMPORT_PARALLELISM : 1, importFile);
    await checkMissing(db, new Date());
    await db.update(parserRuns).set({ finishedAt: sql`now()`, counts }).where(eq(parserRuns.id, run!.id));
    process.stdout.write(`inserted ${counts.inserted}, updated ${counts.updated}, noop ${counts.noop}, failed ${counts.failed}\n`);
    return counts.failed ? 1 : 0;
  });
}

const MAX_LISTED_CHANGES = 200;

export async function reparseCommand(argv: string[]): Promise<number> {
  const { flags, rest } = parseArgs(argv, [], ['all', 'force']);
  if (rest.length) {
    process.stderr.write('用法：nianjian reparse [--all] [--force]\n');
    return 2;
  }
  return withStore(async ({ db }) => {
    const s = await reparse(db, new StoreMemo(db), { all: Boolean(flags.all), force: Boolean(flags.force) });
    for (const c of s.changes.slice(0, MAX_LISTED_CHANGES)) {
      process.stdout.write(`版本 ${c.versionId}  ${c.item}：${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}\n`);
    }
    if (s.changes.length > MAX_LISTED_CHANGES) process.stdout.write(`……另有 ${s.changes.length - MAX_LISTED_CHANGES} 处变化，见 reparse_changes（run ${s.runId}）\n`);
    process.stdout.write(`re-read ${s.read}, changed ${s.changed}, failed ${s.failed}\n`);
    return s.failed ? 1 : 0;
  });
}

export async function dbCommand(argv: string[]): Promise<number> {
  if (argv[0] !== 'migrate' || argv.length > 1) {
    process.stderr.write('用法：nianjian db migrate\n');
    return 2;
  }
  return withStore(async (store) => {
    process.stdout.write(`数据库已迁移到最新结构（${store.kind === 'pglite' ? '嵌入式 PGlite' : 'PostgreSQL'}：${store.location}）\n`);
    return 0;
  });
}
