// Answers of the heavy read routes (league tables, coverage) kept, serialised, until the
// data they read changes. The store's generation number (a sequence the triggers of migration 0005
// advance on every write to those tables), the day and the last crawl run say when; they are
// read before computing, so an answer computed while data changed is recomputed on the next request.
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/client.js';

const MAX_ENTRIES = 500;

export class ResultCache {
  private readonly entries = new Map<string, { generation: string; value: unknown }>();
  constructor(private readonly db: Db) {}

  /** The JSON text of `compute()`'s answer, computed only when the data changed. */
  async json(key: string, compute: () => Promise<unknown>): Promise<string> {
    return this.get(key, async () => JSON.stringify(await compute()));
  }

  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    // statuses are computed when read: 未到期 becomes 未发布 on a date, and a crawl's lists date
    // reports (a crawl run's start or end), so a day or a crawl also ends an answer
    const [{ last_value: generation }] = rowsOf<{ last_value: string }>(
      await this.db.execute(sql`
        select last_value::text || ':' || (now() at time zone 'Asia/Shanghai')::date::text || ':' ||
               (select coalesce(max(id), 0)::text || '.' || coalesce(max(finished_at)::text, '') from crawl_runs) as last_value
        from store_generation`),
    ) as [{ last_value: string }];
    const hit = this.entries.get(key);
    if (hit && hit.generation === generation) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value as T;
    }
    const value = await compute();
    this.entries.set(key, { generation, value });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
