// The embedded database in a thread of its own (pglite-thread.ts): PGlite runs in the
// thread that calls it, and storing or reading one 20 MB document there held the API's
// event loop for seconds. Plain JavaScript, so the thread needs no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';

// what drizzle asks of PGlite: dates, intervals and their arrays as the text PostgreSQL prints
const identity = (v) => v;
const RAW = Object.fromEntries([types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182].map((t) => [t, identity]));

const pg = new PGlite(workerData.dir ?? undefined);
/** open transactions: id → the PGlite transaction and how to end it */
const open = new Map();

const reply = (id, result) => parentPort.postMessage({ id, result });
const fail = (id, e) =>
  parentPort.postMessage({ id, error: { message: e?.message ?? String(e), code: e?.code, detail: e?.detail, constraint: e?.constraint, severity: e?.severity } });

async function handle(m) {
  switch (m.kind) {
    case 'ready':
      await pg.waitReady;
      return null;
    case 'query': {
      const target = m.tx ? open.get(m.tx)?.tx : pg;
      if (!target) throw new Error('事务已结束');
      const r = await target.query(m.sql, m.params, { rowMode: m.rowMode, parsers: m.raw ? RAW : undefined });
      return { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows };
    }
    case 'begin': {
      let began;
      const ready = new Promise((resolve) => (began = resolve));
      const entry = {};
      // the transaction stays open until the caller's COMMIT or ROLLBACK settles this promise
      entry.ended = pg.transaction((tx) => new Promise((commit, rollback) => (Object.assign(entry, { tx, commit, rollback }), began())));
      entry.ended.catch(() => {});
      open.set(m.tx, entry);
      await Promise.race([ready, entry.ended]);
      return null;
    }
    case 'commit':
    case 'rollback': {
      const t = open.get(m.tx);
      if (!t) throw new Error('事务已结束');
      open.delete(m.tx);
      if (m.kind === 'commit') {
        t.commit();
        await t.ended;
      } else {
        t.rollback(new Error('rollback'));
        await t.ended.catch(() => {});
      }
      return null;
    }
    case 'close':
      await pg.close();
      return null;
  }
}

parentPort.on('message', (m) => handle(m).then((r) => reply(m.id, r), (e) => fail(m.id, e)));
