// One way to open the store: embedded PGlite when DATABASE_URL is unset (a fresh clone
// runs with no server), PostgreSQL through postgres.js when it is set. Both run the same
// migrations from migrations/.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { loadRegions } from '../store/regions.js';
import { PGliteThread } from './pglite-thread.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Rows of db.execute(): postgres.js returns an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export interface Store {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** where the data lives: the PGlite folder, or the database URL without its password */
  location: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL URL; defaults to DATABASE_URL */
  url?: string;
  /** PGlite data folder; defaults to NIANJIAN_DATA_DIR or ./data; 'memory://' for a throwaway store */
  dataDir?: string;
  /** apply pending migrations and load reference data on open (default true) */
  migrate?: boolean;
}

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));
const LOCK = 'nianjian.lock';
/** Advisory-lock key held while migrating PostgreSQL. */
const MIGRATION_LOCK = 7300;

export class StoreLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `嵌入式数据库 ${dir} 正由进程 ${pid} 使用。PGlite 只能由一个进程打开：请停止该进程，` +
        `或设置 DATABASE_URL 使用 PostgreSQL 以便多个进程同时工作。`,
    );
    this.name = 'StoreLockedError';
  }
}

/** Whether a process of this machine is still running. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite does not lock its folder, and two processes writing it lose data silently: take
 * a lock file, refusing while another live process holds it.
 */
function lockDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, LOCK);
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    // this process too: a second handle would remove the lock on closing while the first is open
    if (pid && alive(pid)) throw new StoreLockedError(dir, pid);
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

function redact(url: string): string {
  return url.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@');
}

export async function openDb(options: OpenOptions = {}): Promise<Store> {
  const url = options.url ?? process.env.DATABASE_URL;
  let store: Store;
  if (url) {
    const client = postgres(url, { max: 5, onnotice: () => {} });
    // drizzle sends its queries unnamed, so the server parses and plans the import's large
    // statements every time: have postgres.js prepare them (once per connection and text)
    const unsafe = client.unsafe.bind(client);
    client.unsafe = ((query: string, params?: unknown[], opts?: { prepare?: boolean }) => unsafe(query, params as never, { ...opts, prepare: true })) as typeof client.unsafe;
    const db = drizzlePostgres(client, { schema });
    store = {
      db: db as unknown as Db,
      kind: 'postgres',
      location: redact(url),
      // importers starting together on a fresh database must not both create the schema
      migrate: async () => {
        const one = postgres(url, { max: 1, onnotice: () => {} });
        try {
          await one`select pg_advisory_lock(${MIGRATION_LOCK})`;
          await migratePostgres(drizzlePostgres(one), { migrationsFolder: MIGRATIONS });
          await loadRegions(db as unknown as Db);
        } finally {
          await one.end();
        }
      },
      close: () => client.end(),
    };
  } else {
    const dir = options.dataDir ?? process.env.NIANJIAN_DATA_DIR ?? './data';
    const memory = dir.startsWith('memory://');
    const unlock = memory ? () => {} : lockDir(resolve(dir));
    let pg: PGliteThread;
    try {
      pg = new PGliteThread(memory ? undefined : resolve(dir));
      await pg.waitReady;
    } catch (e) {
      unlock();
      throw e;
    }
    // drizzle takes the thread for the PGlite it stands in for (query and transaction)
    const db = drizzlePglite({ client: pg as never, schema });
    store = {
      db: db as unknown as Db,
      kind: 'pglite',
      location: memory ? 'memory' : resolve(dir),
      migrate: async () => {
        await migratePglite(db, { migrationsFolder: MIGRATIONS });
        await loadRegions(db as unknown as Db);
      },
      close: async () => {
        await pg.close();
        unlock();
      },
    };
  }
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (e) {
      await store.close();
      throw e;
    }
  }
  return store;
}
