// Documents are read in the reader pool, never in the process that asked: the audit's
// hostile files each end with their reason while the good files around them are stored,
// and no process of the batch grows past 1.5 GB.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { importFailures, reports, agencies } from '../server/db/schema.js';
import { ReaderPool } from '../server/reading/pool.js';
import { bigReportPage, deepHtml, docxBomb, docxParagraphs, docxText, hugePng, manyPagePdf, truncatedPdf } from './support/hostile.js';
import { SEED_DIR, SEEDS } from './support/seeds.js';
import { backends } from './support/store.js';

const BIN = fileURLToPath(new URL('../bin/nianjian.mjs', import.meta.url));
const documents = new URL('./fixtures/documents/', import.meta.url);

/** Resident memory of a process and every process below it, in MB, per pid (Linux /proc). */
function treeRss(root: number): Map<number, number> {
  const out = new Map<number, number>();
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      out.set(pid, (Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096) / 1048576);
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        for (const c of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/)) if (c) stack.push(Number(c));
      }
    } catch {
      // the process ended between two reads
    }
  }
  return out;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'nianjian-hostile-db-'));

describe.each(backends(tmp))('the audit’s hostile set imported in one batch on $name', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'nianjian-hostile-'));
  afterAll(() => backend.dispose());
  const hostile: Record<string, Uint8Array> = {
    '02-bomb.docx': docxBomb(),
    '04-paragraphs.docx': docxParagraphs(),
    '05-text.docx': docxText(),
    '07-pages.pdf': manyPagePdf(2000),
    '08-encrypted.pdf': readFileSync(new URL('003-encrypted.pdf', documents)),
    '09-truncated.pdf': truncatedPdf(new URL('003.pdf', documents)),
    '11-deep.html': deepHtml(100_000),
    '12-huge.png': hugePng(20_000, 20_000),
  };
  // good reports before, between and after: the five seeds and a 20 MB page
  const good = ['01', '03', '06', '10', '13'].map((n, i) => [`${n}-${SEEDS[i]!.file}`, SEEDS[i]!.file] as const);

  it('ends every hostile file with its reason and stores every good one, no process above 1.5 GB', async () => {
    for (const [name, bytes] of Object.entries(hostile)) writeFileSync(join(dir, name), bytes);
    for (const [name, seed] of good) copyFileSync(new URL(seed, SEED_DIR), join(dir, name));
    writeFileSync(join(dir, '14-big-page.html'), bigReportPage());

    await (await backend.open()).close();
    const peak = new Map<number, number>();
    const child = spawn(process.execPath, [BIN, 'import', dir], { env: { ...process.env, DATABASE_URL: '', ...backend.env() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const watch = setInterval(() => {
      for (const [pid, mb] of treeRss(child.pid!)) peak.set(pid, Math.max(peak.get(pid) ?? 0, mb));
    }, 50);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearInterval(watch);

    // the 20 MB page is seed 003 in other chrome: a new version of its report
    expect(out).toMatch(/inserted 5, updated 1, noop 0, failed 8/);
    expect(code).toBe(1); // failures make the exit code non-zero, the batch went on all the same
    expect(peak.size).toBeGreaterThan(1); // the documents were read in processes of their own
    // the importer (the embedded database's thread included) and every reader
    expect(Math.max(...peak.values())).toBeLessThan(1536);

    const store = await backend.open();
    try {
      const failures = await store.db.select({ source: importFailures.source, reason: importFailures.reason }).from(importFailures);
      const reason = (name: string) => failures.find((f) => f.source.endsWith(name))?.reason;
      expect(reason('02-bomb.docx')).toMatch(/压缩炸弹|解压后超过/);
      expect(reason('04-paragraphs.docx')).toMatch(/元素超过/);
      expect(reason('05-text.docx')).toMatch(/文字超过/);
      expect(reason('07-pages.pdf')).toMatch(/2000 页/);
      expect(reason('08-encrypted.pdf')).toMatch(/加密/);
      expect(reason('09-truncated.pdf')).toMatch(/损坏|无法读取|不完整/);
      expect(reason('11-deep.html')).toMatch(/嵌套/);
      expect(reason('12-huge.png')).toMatch(/尺寸过大/);
      const stored = await store.db.select({ name: agencies.name, year: reports.year }).from(reports).innerJoin(agencies, eq(agencies.id, reports.agencyId));
      expect(stored).toHaveLength(5);
      expect(stored).toEqual(expect.arrayContaining(SEEDS.map((s) => ({ name: s.agency, year: s.year }))));
    } finally {
      await store.close();
    }
  }, 300_000);
});

describe('a reader that dies or runs over', () => {
  const pool = new ReaderPool({ processes: 1, rssMb: 400, heapMb: 256, graceMs: 0 });
  afterAll(() => pool.close());
  const seed = readFileSync(new URL(SEEDS[3]!.file, SEED_DIR));

  it('is killed at its memory cap, the document ends as too large, and the next document is read by a new reader', async () => {
    // 56 MB of paragraphs: within the size a page may have, beyond the memory this reader may use
    const e = await pool.read({ bytes: Buffer.from(`<html><body>${'<p>x</p>'.repeat(7_000_000)}</body></html>`) }).catch((err: Error & { code?: string }) => err);
    expect(e).toMatchObject({ code: 'too_large', message: expect.stringMatching(/内存超过上限/) });
    expect(pool.replaced).toBe(1);
    const next = await pool.read({ bytes: seed });
    expect(next.report.agency).toBe(SEEDS[3]!.agency);
    expect(next.text.lines).toBeGreaterThan(50);
  }, 120_000);

  it('is killed at its deadline, the document ends as timed out, and the pool goes on', async () => {
    const e = await pool.read({ bytes: manyPagePdf(290) }, { timeoutMs: 1 }).catch((err: Error & { code?: string }) => err);
    expect(e).toMatchObject({ code: 'timeout' });
    expect((await pool.read({ bytes: seed })).report.year).toBe(SEEDS[3]!.year);
  }, 120_000);
});
