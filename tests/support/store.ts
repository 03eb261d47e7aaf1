// Stores for the store tests: embedded PGlite always, and real PostgreSQL when
// TEST_DATABASE_URL is set (each suite in a database of its own, dropped afterwards).
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { PARSER } from '../../parser/index.js';
import { openDb, type Store } from '../../server/db/client.js';
import { parserRuns } from '../../server/db/schema.js';
import { StoreMemo } from '../../server/store/figures.js';
import { importDocument, type ImportInput } from '../../server/store/import.js';
import { baseModel } from './model.js';
import { renderPdfText, type Model } from './render.js';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** a migrated, empty store */
  open(): Promise<Store>;
  /** how a child process reaches the same store */
  env(): Record<string, string>;
  dispose(): Promise<void>;
}

let counter = 0;

function pgBackend(adminUrl: string): Backend {
  const name = `nianjian_test_${process.pid}_${++counter}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let created = false;
  return {
    name: 'postgres',
    async open() {
      if (!created) {
        const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
        await admin.unsafe(`create database "${name}"`);
        await admin.end();
        created = true;
      }
      return openDb({ url: url.toString() });
    },
    env: () => ({ DATABASE_URL: url.toString() }),
    async dispose() {
      if (!created) return;
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

function pgliteBackend(dir: string): Backend {
  return {
    name: 'pglite',
    open: () => openDb({ dataDir: dir }),
    env: () => ({ NIANJIAN_DATA_DIR: dir }),
    dispose: async () => {},
  };
}

/** The backends to run store tests on, each with its own empty store location. */
export function backends(tmp: () => string): Backend[] {
  const out = [pgliteBackend(tmp())];
  if (process.env.TEST_DATABASE_URL) out.push(pgBackend(process.env.TEST_DATABASE_URL));
  return out;
}

/** Everything but the reference data, so that one store serves a whole suite. */
export async function emptyStore(store: Store): Promise<void> {
  await store.db.execute(
    sql.raw(
      'truncate table crawl_items, crawl_runs, crawl_sources, sessions, accounts, report_facts, reparse_changes, corrections, findings, figures, report_versions, reports, agency_aliases, agencies, fetches, import_failures, documents, parser_runs, audit_log restart identity cascade',
    ),
  );
}

/** A report as text, for agency `agency` and `year`, from the seed 003 figures changed by `change`. */
export function reportText(agency: string, year: number, change: (m: Model) => void = () => {}): Buffer {
  const m = baseModel();
  m.title = `${agency}${year}年政府信息公开工作年度报告`;
  change(m);
  return Buffer.from(renderPdfText(m));
}

/** Imports documents in one parser run, each call giving the version it stored. */
export async function importer(store: Store): Promise<(bytes: Buffer, source: string, extra?: Partial<ImportInput>) => Promise<number>> {
  const memo = new StoreMemo(store.db);
  const [run] = await store.db.insert(parserRuns).values({ parser: PARSER, kind: 'import' }).returning({ id: parserRuns.id });
  return async (bytes, source, extra = {}) => (await importDocument(store.db, memo, { bytes, source, runId: run!.id, ...extra })).versionId!;
}
