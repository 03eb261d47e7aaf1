// The audit's hostile files served by a county site and crawled by `npm start`'s process:
// every document is read in the reader pool, so the server answers /api/health within a
// second throughout, the crawl goes on past each file and records why it was refused.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../server/db/client.js';
import { importFailures } from '../server/db/schema.js';
import { bigReportPage, deepHtml, docxBomb, docxParagraphs, docxText, hugePng, manyPagePdf, truncatedPdf } from './support/hostile.js';
import { baseModel } from './support/model.js';
import { renderHtml } from './support/render.js';
import { startSite, type Site } from './web/site.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/nianjian.mjs');
const documents = new URL('./fixtures/documents/', import.meta.url);
const PASSWORD = 'correct horse battery';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const UNITS = ['郏县发展和改革委员会', '郏县教育局', '郏县财政局', '郏县民政局', '郏县司法局', '郏县交通运输局', '郏县水利局', '郏县卫生健康委员会', '郏县审计局'];
const html = (body: string, title: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><div class="content"><h1>${title}</h1>${body}</div></body></html>`;
const title = (unit: string) => `${unit}2024年政府信息公开工作年度报告`;

describe('a crawl of hostile attachments by the running server', () => {
  let site: Site;
  let server: ChildProcess;
  afterAll(async () => {
    server?.kill('SIGTERM');
    await site?.close();
  });

  it('keeps /api/health answering within a second while it reads them, and records each refusal', async () => {
    const files: Array<[string, Uint8Array, string]> = [
      ['bomb.docx', docxBomb(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['paragraphs.docx', docxParagraphs(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['text.docx', docxText(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['pages.pdf', manyPagePdf(2000), 'application/pdf'],
      ['encrypted.pdf', readFileSync(new URL('003-encrypted.pdf', documents)), 'application/pdf'],
      ['truncated.pdf', truncatedPdf(new URL('003.pdf', documents)), 'application/pdf'],
      ['huge.png', hugePng(20_000, 20_000), 'image/png'],
    ];
    const routes: Record<string, Parameters<typeof startSite>[0][string]> = {};
    const items: string[] = [];
    files.forEach(([name, bytes, type], i) => {
      const unit = UNITS[i]!;
      items.push(`<li><a href="/nb/${i}.html" title="${title(unit)}">${title(unit)}</a><span>2025-01-2${i}</span></li>`);
      const link = type.startsWith('image/') ? `<p><img src="/files/${name}"></p>` : `<p>详见附件。</p><p>附件：<a href="/files/${name}">${title(unit)}.${name.split('.')[1]}</a></p>`;
      routes[`/nb/${i}.html`] = (_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html(link, title(unit)));
      routes[`/files/${name}`] = (_q, res) => res.writeHead(200, { 'content-type': type }).end(Buffer.from(bytes));
    });
    // a 20 MB page holding a report, a page nested 100,000 deep, and a plain good report
    const big = bigReportPage((m) => (m.title = title(UNITS[7]!))).toString();
    const good = baseModel();
    good.title = title(UNITS[8]!);
    for (const [i, body] of [
      [7, big],
      [8, renderHtml(good)],
      [9, deepHtml(100_000).toString()],
    ] as const) {
      items.push(`<li><a href="/nb/${i}.html" title="${i === 9 ? title('郏县城市管理局') : title(UNITS[i]!)}">${i === 9 ? title('郏县城市管理局') : title(UNITS[i]!)}</a><span>2025-01-15</span></li>`);
      routes[`/nb/${i}.html`] = (_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    }
    routes['/nb/'] = (_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html(`<ul class="list">${items.join('\n')}</ul>`, '政府信息公开年报'));
    site = await startSite(routes);

    const sources = mkdtempSync(join(tmpdir(), 'nianjian-sources-'));
    writeFileSync(
      join(sources, 'test.hostile.json'),
      JSON.stringify({
        id: 'test.hostile',
        name: '郏县人民政府',
        regionCode: '410425',
        baseUrl: site.url,
        verified: false,
        fetch: { delayMs: 0, jitterMs: 0, robots: 'ignore', retries: 0, timeoutMs: 30_000 },
        entries: [{ id: 'nb', label: '年报', url: '/nb/' }],
      }),
    );
    const data = mkdtempSync(join(tmpdir(), 'nianjian-server-db-'));
    const env = { ...process.env, NIANJIAN_DATA_DIR: data, DATABASE_URL: '', NIANJIAN_SOURCES: sources, HOST: '127.0.0.1', PORT: String(await freePort()) };
    const add = spawnSync(process.execPath, [BIN, 'user', 'add', 'shenhe', '--role', 'reviewer'], { env, input: `${PASSWORD}\n`, encoding: 'utf8' });
    expect(add.status).toBe(0);

    const base = `http://127.0.0.1:${env.PORT}`;
    server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: 'ignore' });
    let up = false;
    for (let i = 0; i < 600 && !up; i++) {
      up = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
      if (!up) await new Promise((r) => setTimeout(r, 100));
    }
    expect(up).toBe(true);
    const login = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'shenhe', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const started = await fetch(`${base}/api/crawl/sources/test.hostile/run`, { method: 'POST', headers: { cookie, origin: base, 'content-type': 'application/json' }, body: '{}' });
    expect(started.status).toBe(202);

    // health asked every 100 ms on its own; the runs, which wait on the store, beside it
    let finished = false;
    const health: number[] = [];
    const poll = (async () => {
      while (!finished) {
        const t = performance.now();
        const ok = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
        health.push(ok ? performance.now() - t : Infinity);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    let run: { status: string; inserted: number; failed: number; errors: Record<string, number> } | undefined;
    for (let i = 0; i < 2400 && !(run && run.status !== 'running'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      run = (await (await fetch(`${base}/api/crawl/sources/test.hostile/runs`, { headers: { cookie } })).json()).runs?.[0];
    }
    finished = true;
    await poll;
    expect(run?.status).not.toBe('running');
    expect(health.filter((ms) => ms >= 1000)).toEqual([]);
    // the 20 MB page and the good page stored; every hostile file refused with its reason
    expect(run!.inserted).toBe(2);
    expect(run!.failed).toBe(8);

    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    const store = await openDb({ dataDir: data });
    try {
      const reasons = (await store.db.select({ source: importFailures.source, reason: importFailures.reason }).from(importFailures)).map((f) => `${f.source} ${f.reason}`);
      for (const [pattern, why] of [
        ['/nb/0.html', /压缩炸弹|解压后超过/],
        ['/nb/1.html', /元素超过/],
        ['/nb/2.html', /文字超过/],
        ['/nb/3.html', /2000 页/],
        ['/nb/4.html', /加密/],
        ['/nb/5.html', /损坏/],
        ['/nb/9.html', /嵌套/],
      ] as const) {
        expect(reasons.find((r) => r.includes(pattern))).toMatch(why);
      }
    } finally {
      await store.close();
    }
  }, 600_000);
});
