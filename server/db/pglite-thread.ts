// PGlite in a worker thread (pglite-worker.mjs), with the part of PGlite's interface that
// drizzle uses: query, and transaction. A query's values cross the thread as structured
// clones, so a 20 MB document is stored without the caller's event loop waiting on it.
import { Worker } from 'node:worker_threads';

interface Reply {
  id: number;
  result?: unknown;
  error?: { message: string; code?: string; detail?: string; constraint?: string; severity?: string };
}

type QueryOptions = { rowMode?: 'array' | 'object'; parsers?: object };

export interface ThreadQuery {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<unknown>;
}

export class PGliteThread implements ThreadQuery {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  private next = 0;
  private dead: Error | null = null;
  readonly waitReady: Promise<void>;

  constructor(dir: string | undefined) {
    this.worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dir } });
    this.worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(Object.assign(new Error(m.error.message), m.error));
      else p.resolve(m.result);
    });
    const lost = (e: Error) => {
      this.dead = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', lost);
    this.worker.on('exit', (code) => lost(new Error(`嵌入式数据库线程已退出（${code}）`)));
    this.waitReady = this.call({ kind: 'ready' }).then(() => undefined);
  }

  private call(message: Record<string, unknown>): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead);
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  query(sql: string, params: unknown[] = [], options: QueryOptions = {}, tx?: number): Promise<unknown> {
    // drizzle's parsers keep dates and intervals as PostgreSQL prints them; the thread has the same
    return this.call({ kind: 'query', sql, params, rowMode: options.rowMode, raw: options.parsers !== undefined, tx });
  }

  async transaction<T>(work: (tx: ThreadQuery) => Promise<T>): Promise<T> {
    const tx = ++this.next;
    await this.call({ kind: 'begin', tx });
    let result: T;
    try {
      result = await work({ query: (sql, params, options) => this.query(sql, params, options, tx) });
    } catch (e) {
      await this.call({ kind: 'rollback', tx });
      throw e;
    }
    await this.call({ kind: 'commit', tx });
    return result;
  }

  async close(): Promise<void> {
    await this.call({ kind: 'close' });
    await this.worker.terminate();
  }
}
