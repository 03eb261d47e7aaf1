// Crawling the local web of county sites into a store: every report imported once, noise
// left alone, a second crawl a noop, a republished report a new version, a report taken off
// its list flagged gone, obstacles classified, one request per host at a time.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigs, parseConfig } from '../scrapers/config.js';
import { buildApp } from '../server/app.js';
import { createAccount } from '../server/auth/accounts.js';
import { startCrawlQueue } from '../server/crawl-queue.js';
import { scheduleCrawls } from '../server/schedule.js';
import { crawlSource } from '../scrapers/crawl.js';
import { readDetail } from '../scrapers/detail.js';
import { candidates, furtherPages, readList } from '../scrapers/list.js';
import { Fetcher } from '../scrapers/fetch.js';
import { probe } from '../scrapers/probe.js';
import { openDb, rowsOf, type Store } from '../server/db/client.js';
import { agencies, crawlItems, crawlRuns, crawlSources, documents, fetches, reportVersions, reports } from '../server/db/schema.js';
import { StoreMemo } from '../server/store/figures.js';
import { divisions } from '../server/store/regions.js';
import { backends, emptyStore } from './support/store.js';
import { hanwebCounty, nextLinkCounty, scriptCounty, treeCounty, trsCounty, vsbCounty, type County } from './web/county.js';
import { startHenanWeb } from './web/henan.js';
import { startSite, type Site } from './web/site.js';

const FAST = { delayMs: 0, jitterMs: 0, backoffMs: 1, timeoutMs: 2000, retries: 1 };
const tmp = () => mkdtempSync(join(tmpdir(), 'nianjian-crawl-'));

describe('site configs', () => {
  it('fills a site from its CMS preset and names the file and field of a mistake', () => {
    const c = parseConfig({ id: 'henan.x', name: '某县人民政府', baseUrl: 'https://example.gov.cn', preset: 'trs', entries: [{ url: '/zwgk/zfxxgknb/' }] }, 'x.json');
    expect(c.entries[0]).toMatchObject({ url: 'https://example.gov.cn/zwgk/zfxxgknb/', pagination: { type: 'trs_create_page_html' }, list: { title: 'a@title | a' } });
    expect(c.verified).toBe(false);
    const bad = (raw: object) => () => parseConfig({ id: 'henan.x', name: 'x', baseUrl: 'https://example.gov.cn', entries: [{ url: '/' }], ...raw }, 'x.json');
    expect(bad({ preset: 'drupal' })).toThrow('x.json：preset：未知的 CMS 预设“drupal”');
    expect(bad({ entries: [{ url: '/', pagination: { type: 'url_template', template: 'list.html' } }] })).toThrow('x.json：entries[0].pagination.template：须包含 {n}');
    expect(bad({ fetch: { delayMs: -1 } })).toThrow('x.json：fetch.delayMs：必须是不小于 0 的数');
    expect(bad({ entries: [{ url: '/', filters: { titleInclude: ['('] } }] })).toThrow('entries[0].filters.titleInclude[0]：不是有效的正则表达式');
    expect(bad({ colour: 'red' })).toThrow(ConfigError);
    expect(bad({ fetch: { browser: 'yes' } })).toThrow('x.json：fetch.browser：只能是 true 或 false');
    expect(bad({ entries: [{ url: '/', children: { depth: 5 } }] })).toThrow('x.json：entries[0].children.depth：须为 1–3 的整数');
    expect(bad({ entries: [{ url: '/', children: { text: ['(部门'] } }] })).toThrow('entries[0].children.text[0]：不是有效的正则表达式');
    expect(bad({ entries: [{ url: '/', children: { selector: '' } }] })).toThrow('entries[0].children.selector：必须是非空字符串');
    expect(bad({ detail: { unit: 7 } })).toThrow('x.json：detail.unit：必须是非空字符串');
    expect(bad({ detail: { containers: ['#zoom'] } })).toThrow('x.json：detail.containers：未知字段');
    // a family's sub-column shape comes with the preset
    const tree = parseConfig({ id: 'henan.x', name: 'x', baseUrl: 'https://example.gov.cn', preset: 'hanweb', entries: [{ url: '/col/col1/index.html', children: true }] }, 'x.json');
    expect(tree.entries[0]!.children).toMatchObject({ selector: 'a', href: '/col/col\\d+/(?:index\\.html)?$', below: false, depth: 1 });
    expect(tree.fetch.browser).toBe(false);
  });

  it('loads the shipped Henan sources, every one valid, placed in the GB/T 2260 tree, and unverified until a live run confirms it', () => {
    const configs = loadConfigs(new URL('../scrapers/sources/', import.meta.url).pathname);
    expect(configs.length).toBeGreaterThanOrEqual(26);
    const regions = new Map(divisions().map((r) => [r.code, r]));
    for (const c of configs) {
      expect(c.verified, c.id).toBe(false);
      expect(c.notes, c.id).toBeTruthy();
      // the government the config names is the region's: 滑县人民政府 for 410526, 安阳市北关区人民政府 for 410503
      const region = regions.get(c.regionCode ?? '');
      expect(region?.code.startsWith('41'), c.id).toBe(true);
      expect(c.name, c.id).toContain(region!.name);
      if (region!.level === 'county' && region!.name.endsWith('区')) expect(c.name, c.id).toContain(regions.get(region!.parentCode!)!.name);
      expect(new URL(c.baseUrl).hostname, c.id).toMatch(/\.gov\.cn$/);
    }
    expect(new Set(configs.map((c) => c.regionCode)).size).toBe(configs.length);
    // a site whose pages are written by script is fetched through the browser
    expect(configs.find((c) => c.id === 'henan.jiaozuo.jiefang')?.fetch.browser).toBe(true);
  });
});

/** The command line, run without blocking this process (the sites it crawls live here). */
function nianjian(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const bin = fileURLToPath(new URL('../bin/nianjian.mjs', import.meta.url));
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

describe('nianjian crawl', () => {
  it('lists what it would fetch with --dry-run, storing nothing, then crawls and stores', async () => {
    const trs = await trsCounty([{ agency: '郏县卫生健康委员会', year: 2024 }, { agency: '郏县卫生健康委员会', year: 2023 }]);
    try {
      const dir = tmp();
      writeFileSync(join(dir, 'jiaxian.json'), JSON.stringify({ id: 'henan.test.jiaxian', name: '郏县人民政府', regionCode: '410425', baseUrl: trs.site.url, preset: 'trs', fetch: { delayMs: 0, jitterMs: 0 }, entries: [{ url: '/zwgk/zfxxgknb/index.html' }] }));
      const env = { NIANJIAN_SOURCES: dir, NIANJIAN_DATA_DIR: tmp() };
      const dry = await nianjian(['crawl', '--dry-run', '--year', '2024'], env);
      expect(dry.code).toBe(0);
      expect(dry.out).toContain('henan.test.jiaxian（郏县人民政府）：正常，列表 2 页，候选 1，未存储（--dry-run）');
      expect(dry.out).toContain('2024 郏县卫生健康委员会2024年政府信息公开工作年度报告');
      // what it did not take, and why
      expect(dry.out).toContain(`未取（工作要点）关于印发2024年郏县政务公开工作要点的通知 ${trs.site.url}/zwgk/zfxxgknb/202403/t20240301_901.html`);
      expect(trs.site.requests.filter((p) => /t\d{8}_\d+\.html/.test(p))).toEqual([]);
      const real = await nianjian(['crawl', '--source', 'henan.test.jiaxian'], env);
      expect(real.out).toContain('inserted 2, updated 0, noop 0, failed 0, gone 0');
      expect(real.code).toBe(0);
      expect((await nianjian(['crawl', '--since', '20x'], env)).err).toContain('--since 应为年份');
    } finally {
      await trs.site.close();
    }
    // three processes, each opening its store: slow on a shared machine
  }, 180_000);
});

describe.each(backends(tmp))('crawling on $name', (backend) => {
  let store: Store;
  let memo: StoreMemo;
  const sites: Array<County | Site> = [];
  beforeAll(async () => {
    store = await backend.open();
    await emptyStore(store);
    memo = new StoreMemo(store.db);
  }, 180_000);
  afterAll(async () => {
    for (const s of sites) await ('site' in s ? s.site : s).close();
    await store.close();
    await backend.dispose();
  });

  it('imports every report of a TRS and a Hanweb county exactly once, and a second crawl is a noop', async () => {
    const trs = await trsCounty([
      { agency: '郏县人民政府', year: 2023 },
      { agency: '郏县财政局', year: 2024 },
      { agency: '郏县教育体育局', year: 2024 },
      { agency: '郏县堂街镇人民政府', year: 2024 },
      { agency: '郏县财政局', year: 2023 },
    ]);
    const han = await hanwebCounty([
      { agency: '宝丰县人民政府', year: 2024 },
      { agency: '宝丰县卫生健康委员会', year: 2024 },
      { agency: '郏县人民政府', year: 2024, attached: 'docx' },
      { agency: '宝丰县石桥镇人民政府', year: 2023 },
    ]);
    sites.push(trs, han);
    const fetcher = new Fetcher(FAST);
    const [a, b] = await Promise.all([crawlSource(store.db, memo, trs.config, { fetcher }), crawlSource(store.db, memo, han.config, { fetcher })]);
    fetcher.close();
    expect(a).toMatchObject({ status: 'ok', candidates: 5, inserted: 5, failed: 0 });
    // 8 items on pages of 4: index.html, index_1.html; the noise items are not candidates
    expect(a.pages).toBe(2);
    expect(b).toMatchObject({ status: 'ok', candidates: 4, inserted: 4, failed: 0 });
    expect(b.pages).toBe(2);
    expect(trs.site.maxConcurrent).toBe(1);
    expect(han.site.maxConcurrent).toBe(1);
    // the noise was never fetched: its titles are no report's
    expect(trs.site.requests.filter((p) => /_90\d\.html$/.test(p))).toEqual([]);
    const names = (await store.db.select({ name: agencies.name }).from(agencies)).map((x) => x.name).sort();
    expect(names).toEqual(['郏县人民政府', '郏县堂街镇人民政府', '郏县教育体育局', '郏县财政局', '宝丰县人民政府', '宝丰县卫生健康委员会', '宝丰县石桥镇人民政府'].sort());
    expect(await store.db.select().from(reports)).toHaveLength(9);
    // the Hanweb attachment came through its Referer-checked download
    expect(han.site.requests.some((p) => p.startsWith('/module/download/downfile.jsp'))).toBe(true);

    const again = await crawlSource(store.db, memo, trs.config, { fetcher: new Fetcher(FAST) });
    expect(again).toMatchObject({ status: 'ok', inserted: 0, updated: 0, unchanged: 5, failed: 0, gone: 0 });
    expect(await store.db.select().from(reportVersions)).toHaveLength(9);
  });

  it('makes a republished report a new version and flags a report taken off its list as gone', async () => {
    const trs = sites[0] as County;
    trs.republish('郏县财政局', 2024, (v) => (v['s4.review.total'] = 8));
    trs.unlist('郏县财政局', 2023);
    const run = await crawlSource(store.db, memo, trs.config, { fetcher: new Fetcher(FAST) });
    expect(run).toMatchObject({ status: 'ok', updated: 1, unchanged: 3, gone: 1 });
    const gone = await store.db.select().from(crawlItems).where(eq(crawlItems.goneRun, run.runId!));
    expect(gone.map((g) => g.title)).toEqual(['郏县财政局2023年政府信息公开工作年度报告']);
    // flagged, not deleted: its report and item stay
    expect(await store.db.select().from(reports)).toHaveLength(9);
    expect(await store.db.select().from(reportVersions)).toHaveLength(10);
  });

  it('says loudly when a site blocks, disallows, or stops listing reports', async () => {
    const waf = await startSite({}, (_q, res) => res.writeHead(412, { 'content-type': 'text/html' }).end(`<script r='m'>$_ts=window['$_ts'];</script>`));
    // a column that is gone, answered 200 with the site's "page not found" page
    const missing = await startSite({}, (_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><head><title>页面不存在</title></head><body><h1>抱歉，您访问的页面不存在</h1><ul><li><a href="/">返回首页</a></li></ul></body></html>'));
    sites.push(missing);
    const robots = await startSite({ '/robots.txt': (_q, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /\n') });
    sites.push(waf, robots);
    const config = (id: string, site: Site) => parseConfig({ id, name: id, regionCode: '4104', baseUrl: site.url, preset: 'trs', fetch: { delayMs: 0, jitterMs: 0 }, entries: [{ url: '/zwgk/zfxxgknb/index.html' }] }, `${id}.json`);
    const blocked = await crawlSource(store.db, memo, config('henan.waf', waf), { fetcher: new Fetcher(FAST) });
    expect(blocked).toMatchObject({ status: 'blocked', errors: { 'blocked:ruishu': 1 } });
    const refused = await crawlSource(store.db, memo, config('henan.robots', robots), { fetcher: new Fetcher(FAST) });
    expect(refused).toMatchObject({ status: 'failed', errors: { robots: 1 } });
    expect(refused.notes[0]).toContain('robots.txt 不允许抓取');
    const soft = await crawlSource(store.db, memo, config('henan.soft404', missing), { fetcher: new Fetcher(FAST) });
    expect(soft).toMatchObject({ status: 'failed', pages: 1, errors: { soft_404: 1 } });
    expect(soft.notes[0]).toContain('页面说它不存在（HTTP 200）');

    // the Hanweb county empties its column: the source drifted, the run is no success
    const han = sites[1] as County;
    for (const r of [...han.reports]) han.unlist(r.agency, r.year);
    const drifted = await crawlSource(store.db, memo, han.config, { fetcher: new Fetcher(FAST) });
    expect(drifted).toMatchObject({ status: 'drifted', candidates: 0, gone: 4 });
    const [source] = await store.db.select().from(crawlSources).where(eq(crawlSources.id, han.config.id));
    expect(source).toMatchObject({ runningSince: null });
    const runs = await store.db.select().from(crawlRuns).where(eq(crawlRuns.sourceId, han.config.id));
    expect(runs.map((r) => r.status)).toEqual(['ok', 'drifted']);
  });

  it('never runs two crawls of one source at once', async () => {
    const trs = sites[0] as County;
    const both = await Promise.allSettled([crawlSource(store.db, memo, trs.config, { fetcher: new Fetcher(FAST) }), crawlSource(store.db, memo, trs.config, { fetcher: new Fetcher(FAST) })]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(String((both.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason)).toContain('正在由');
  });

  it('takes over a source whose crawl on another machine stopped renewing its lease, ending that run with the reason', async () => {
    const trs = sites[0] as County;
    const held = (minutesAgo: number) =>
      store.db
        .update(crawlSources)
        .set({ runningSince: sql`now() - interval '3 hours'`, runner: 'worker-2.example:4242', leaseRenewedAt: sql`now() - make_interval(mins => ${minutesAgo})` })
        .where(eq(crawlSources.id, trs.config.id));
    // renewed a minute ago: that crawl is alive, whatever its age
    await held(1);
    await expect(crawlSource(store.db, memo, trs.config, { fetcher: new Fetcher(FAST) })).rejects.toThrow('正在由 worker-2.example:4242');
    const [orphan] = await store.db.insert(crawlRuns).values({ sourceId: trs.config.id }).returning({ id: crawlRuns.id });
    await held(11);
    const run = await crawlSource(store.db, memo, trs.config, { fetcher: new Fetcher(FAST) });
    expect(run.status).toBe('ok');
    const [ended] = await store.db.select().from(crawlRuns).where(eq(crawlRuns.id, orphan!.id));
    expect(ended).toMatchObject({ status: 'failed', errors: { interrupted: 1 }, notes: ['抓取进程失去联系（超过 10 分钟未续租），本次抓取未完成'] });
    const [source] = await store.db.select().from(crawlSources).where(eq(crawlSources.id, trs.config.id));
    expect(source).toMatchObject({ runningSince: null, runner: null, leaseRenewedAt: null });
  });

  it('runs each site on its schedule (daily in January–April, weekly otherwise)', async () => {
    const trs = sites[0] as County;
    const seen: Array<{ status?: string; source?: string }> = [];
    const schedule = scheduleCrawls(store.db, [trs.config], (s) => seen.push(s as { status?: string }));
    try {
      expect(schedule.tasks.map((t) => t.expression)).toEqual(['0 3 * 1-4 *', '0 3 * 5-12 1']);
      await schedule.tasks[0]!.task.execute();
      expect(seen).toMatchObject([{ sourceId: 'henan.pingdingshan.jiaxian', status: 'ok', inserted: 0 }]);
    } finally {
      await schedule.stop();
    }
  });

  it('crawls a VSB county through 429s after bursts and 500s on first answers, retrying within bounds', async () => {
    const vsb = await vsbCounty(
      [
        { agency: '襄城县人民政府', year: 2024 },
        { agency: '襄城县民政局', year: 2024 },
        { agency: '襄城县王洛镇人民政府', year: 2024 },
        { agency: '襄城县民政局', year: 2023 },
        { agency: '襄城县人民政府', year: 2023 },
      ],
      { obstacles: { burst: 4, flaky: true } },
    );
    sites.push(vsb);
    const run = await crawlSource(store.db, memo, vsb.config, { fetcher: new Fetcher({ ...FAST, retries: 2 }) });
    expect(run).toMatchObject({ status: 'ok', candidates: 5, inserted: 5, failed: 0 });
    // zfxxgknb.htm, then zfxxgknb/1.htm counting down from the 下页 link
    expect(vsb.site.requests.filter((p) => /zfxxgknb(\/\d+)?\.htm$/.test(p)).length).toBeGreaterThanOrEqual(2);
    expect(vsb.site.maxConcurrent).toBe(1);
    // every detail was answered 500 once and fetched again: two requests each, never more
    for (let i = 0; i < 5; i++) expect(vsb.site.requests.filter((p) => p === `/info/1012/${7000 + i}.htm`).length).toBeLessThanOrEqual(3);
  });

  it('stops at a pager that repeats its last page, and follows a site to its new address', async () => {
    const reports = [
      { agency: '禹州市人民政府', year: 2024 },
      { agency: '禹州市教育局', year: 2024 },
      { agency: '禹州市神垕镇人民政府', year: 2024 },
    ];
    const old = await nextLinkCounty(reports);
    const moved = await nextLinkCounty(reports);
    sites.push(old, moved);
    old.moveTo(moved.site.url);
    const run = await crawlSource(store.db, memo, old.config, { fetcher: new Fetcher(FAST) });
    expect(run).toMatchObject({ status: 'ok', candidates: 3, inserted: 3, failed: 0 });
    expect(run.notes).toContain('列表 nb 第 3 页与前页相同，分页到此为止');
    expect(run.notes.some((n) => n.startsWith('列表已迁移'))).toBe(true);
    expect(moved.site.requests.filter((p) => p.startsWith('/nb/list.html'))).toEqual(['/nb/list.html', '/nb/list.html?p=2', '/nb/list.html?p=3']);
  });

  it('finds the 年报 column from the home page by its name, as the shipped configs whose column is unknown do', async () => {
    const site = await nextLinkCounty([{ agency: '长葛市人民政府', year: 2024 }, { agency: '长葛市教育局', year: 2024 }], { who: { id: 'henan.xuchang.changge.home', name: '长葛市人民政府', regionCode: '411082' } });
    sites.push(site);
    const shipped = JSON.parse(readFileSync(new URL('../scrapers/sources/henan.xuchang.yuzhou.json', import.meta.url), 'utf8'));
    const config = parseConfig({ ...shipped, id: 'henan.xuchang.changge.home', name: '长葛市人民政府', regionCode: '411082', baseUrl: site.site.url, fetch: { delayMs: 0, jitterMs: 0 } }, 'changge.json');
    const run = await crawlSource(store.db, memo, config, { fetcher: new Fetcher(FAST) });
    expect(run).toMatchObject({ status: 'ok', candidates: 2, inserted: 2, failed: 0 });
    expect(run.notes).toContain(`栏目：政府信息公开年报（链接文字）${site.site.url}/nb/list.html，2 页，年度报告 2 份`);
    expect(site.site.requests).not.toContain('/gzbg/');
  });

  it.skipIf(backend.name !== 'postgres')('shares queued runs between workers, one run per host at a time', async () => {
    const shared = await trsCounty([{ agency: '郏县审计局', year: 2024 }, { agency: '郏县审计局', year: 2023 }], { who: { id: 'henan.queue.a', name: '郏县人民政府', regionCode: '410425' } });
    const other = await vsbCounty([{ agency: '襄城县审计局', year: 2024 }], { who: { id: 'henan.queue.c', name: '襄城县人民政府', regionCode: '411025' } });
    sites.push(shared, other);
    // a second source on the same host (a department's column on the county portal)
    const sameHost = { ...shared.config, id: 'henan.queue.b' };
    const configs = [shared.config, sameHost, other.config];
    const done: Array<{ sourceId?: string; status?: string; source?: string; error?: string }> = [];
    let finish: () => void;
    const all = new Promise<void>((r) => (finish = r));
    const log = (e: object) => {
      done.push(e);
      if (done.length === 3) finish();
    };
    const url = backend.env().DATABASE_URL!;
    const workers = [await startCrawlQueue(url, store.db, configs, log, { work: true }), await startCrawlQueue(url, store.db, configs, log, { work: true })];
    try {
      for (const c of configs) await workers[0]!.enqueue(c);
      await all;
      expect(done.map((d) => d.sourceId ?? d.source).sort()).toEqual(['henan.queue.a', 'henan.queue.b', 'henan.queue.c']);
      expect(done.every((d) => d.status === 'ok')).toBe(true);
      expect(shared.site.maxConcurrent).toBe(1);
    } finally {
      for (const w of workers) await w.stop();
    }
  }, 60_000);

  it('serves the crawl state: sources with health and last run, a source’s runs, inside the account’s region', async () => {
    await createAccount(store.db, { username: 'crawlview', password: '一个足够长的测试密码', role: 'viewer', regionCode: null, actor: 'test' });
    await createAccount(store.db, { username: 'luoyang', password: '一个足够长的测试密码', role: 'reviewer', regionCode: '4103', actor: 'test' });
    const app = await buildApp(store);
    try {
      const cookie = async (username: string) => {
        const r = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password: '一个足够长的测试密码' } });
        return `nj_session=${r.cookies.find((c) => c.name === 'nj_session')!.value}`;
      };
      const viewer = await cookie('crawlview');
      expect((await app.inject({ method: 'GET', url: '/api/crawl/sources' })).statusCode).toBe(401);
      const sources = (await app.inject({ method: 'GET', url: '/api/crawl/sources', headers: { cookie: viewer } })).json();
      const by = Object.fromEntries(sources.map((x: { id: string }) => [x.id, x]));
      expect(by['henan.pingdingshan.jiaxian']).toMatchObject({ name: '郏县人民政府', health: 'ok', verified: false, running: false, items: 4, gone: 1, lastRun: { status: 'ok' } });
      expect(by['henan.pingdingshan.baofeng']).toMatchObject({ health: 'drifted', lastRun: { status: 'drifted', candidates: 0, gone: 4 } });
      expect(by['henan.waf']).toMatchObject({ health: 'blocked', lastRun: { errors: { 'blocked:ruishu': 1 } } });
      expect(by['henan.robots']).toMatchObject({ health: 'failing' });
      const runs = (await app.inject({ method: 'GET', url: '/api/crawl/sources/henan.pingdingshan.baofeng/runs', headers: { cookie: viewer } })).json();
      expect(runs.runs.map((r: { status: string }) => r.status)).toEqual(['drifted', 'ok']);
      expect(runs.runs[0].notes).toContain('列表以前有年度报告，这次一个也没有：栏目可能改版或迁移');
      const luoyang = await cookie('luoyang');
      expect((await app.inject({ method: 'GET', url: '/api/crawl/sources', headers: { cookie: luoyang } })).json()).toEqual([]);
      expect((await app.inject({ method: 'GET', url: '/api/crawl/sources/henan.pingdingshan.baofeng/runs', headers: { cookie: luoyang } })).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: '/api/crawl/sources/no.such/runs', headers: { cookie: viewer } })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('crawls a site opted in to the browser: a list written by script behind a 521 challenge; without the browser the site is blocked, or its list empty', async () => {
    const published = [
      { agency: '登封市人民政府', year: 2024 },
      { agency: '登封市财政局', year: 2024 },
      { agency: '登封市大冶镇人民政府', year: 2023 },
    ];
    const guarded = await scriptCounty(published, { obstacles: { challenge: true } });
    const scripted = await scriptCounty(published, { who: { id: 'henan.zhengzhou.dengfeng.script', name: '登封市人民政府', regionCode: '410185' } });
    sites.push(guarded, scripted);
    const plain = await crawlSource(store.db, memo, guarded.config, { fetcher: new Fetcher(FAST) });
    expect(plain).toMatchObject({ status: 'blocked', candidates: 0, inserted: 0, errors: { 'blocked:jiasule': 1 } });
    // without the challenge, the JSON the list's script asks for is read without a browser
    const plainJson = await crawlSource(store.db, memo, scripted.config, { fetcher: new Fetcher(FAST), dryRun: true });
    // the list page and its JSON
    expect(plainJson).toMatchObject({ status: 'ok', pages: 2, candidates: 3 });
    expect(plainJson.notes).toContain(`列表 nb 的条目由脚本从 ${scripted.site.url}/xxgk/nb/list.json 取得`);

    const opted = parseConfig({ ...guarded.config.raw, fetch: { delayMs: 0, jitterMs: 0, browser: true } }, 'dengfeng.json');
    expect(opted.fetch.browser).toBe(true);
    // the browser's profile in a folder of this test's own: gone again when the run ends
    const own = tmp();
    const outer = process.env.TMPDIR;
    process.env.TMPDIR = own;
    const run = await crawlSource(store.db, memo, opted, { fetcher: new Fetcher(FAST) }).finally(() => (outer === undefined ? delete process.env.TMPDIR : (process.env.TMPDIR = outer)));
    // (the reader processes the import starts keep their own cache there)
    expect(readdirSync(own).filter((f) => f.startsWith('nianjian-chromium'))).toEqual([]);
    expect(run).toMatchObject({ status: 'ok', candidates: 3, inserted: 3, failed: 0 });
    expect(run.notes).toContain('本站经浏览器（Chromium）抓取');
    expect(guarded.site.maxConcurrent).toBe(1);
    // the plain fetch met the challenge once; the browser met it, ran it, and came back with its cookie
    expect(guarded.site.requests.filter((p) => p === '/xxgk/nb/index.html')).toHaveLength(3);
    expect(guarded.site.requests.filter((p) => p === '/xxgk/nb/list.json')).toHaveLength(1);
    const names = await store.db
      .select({ name: agencies.name, year: reports.year })
      .from(reports)
      .innerJoin(agencies, eq(agencies.id, reports.agencyId))
      .where(sql`${agencies.name} like '登封市%'`);
    expect(names.map((n) => `${n.name} ${n.year}`).sort()).toEqual(['登封市人民政府 2024', '登封市大冶镇人民政府 2023', '登封市财政局 2024']);
    // what is kept of a rendered page says it was rendered
    const [fetched] = await store.db.select().from(fetches).where(eq(fetches.url, `${guarded.site.url}/xxgk/nb/9001.html`));
    expect(fetched!.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'x-nianjian-rendered': 'chromium' });
  }, 60_000);

  it('finds sub-columns by unit type, year and unit and crawls them as lists, the unit and date from the column or the page’s <meta> when titles lack them', async () => {
    const tree = await treeCounty(
      [{ agency: '登封市人民政府', year: 2023 }],
      [
        { path: 'bmxxgknb/', label: '部门信息公开年报', reports: [{ agency: '登封市教育局', year: 2024 }] },
        { path: 'bmxxgknb/slj/', label: '登封市水利局', bare: true, reports: [{ agency: '登封市水利局', year: 2023 }, { agency: '登封市水利局', year: 2022 }] },
        { path: 'xzxxgknb/', label: '乡镇（街道）信息公开年报', bare: true, metaOnly: true, reports: [{ agency: '登封市告成镇人民政府', year: 2024 }] },
        { path: '2022n/', label: '2022年度', yearless: true, reports: [{ agency: '登封市审计局', year: 2022 }] },
      ],
    );
    sites.push(tree);
    const run = await crawlSource(store.db, memo, tree.config, { fetcher: new Fetcher(FAST) });
    expect(run).toMatchObject({ status: 'ok', pages: 5, candidates: 6, inserted: 6, failed: 0 });
    // each found by its name in the column's folder; the department's own column below 部门
    expect(run.columns.map((c) => `${c.label}（${c.how}）`)).toEqual(['nb（站点配置）', '部门信息公开年报（链接文字）', '乡镇（街道）信息公开年报（链接文字）', '2022年度（子栏目）', '登封市水利局（子栏目）']);
    // the township's pages have no TRS_Editor: their body is found by its text all the same
    expect(run.notes.some((n) => n.includes('找不到正文'))).toBe(false);
    // the navigation's other links and the reports' own links are no sub-columns
    const lists = tree.site.requests.filter((p) => p.endsWith('index.html'));
    expect(lists.sort()).toEqual(['/zwgk/zfxxgknb/2022n/index.html', '/zwgk/zfxxgknb/bmxxgknb/index.html', '/zwgk/zfxxgknb/bmxxgknb/slj/index.html', '/zwgk/zfxxgknb/index.html', '/zwgk/zfxxgknb/xzxxgknb/index.html']);
    const rows = await store.db
      .select({ name: agencies.name, year: reports.year, publishedAt: reportVersions.publishedAt })
      .from(reports)
      .innerJoin(agencies, eq(agencies.id, reports.agencyId))
      .innerJoin(reportVersions, eq(reportVersions.id, reports.currentVersionId))
      .where(sql`${agencies.name} like '登封市%' and ${agencies.name} not in ('登封市人民政府', '登封市大冶镇人民政府', '登封市财政局')`);
    const by = Object.fromEntries(rows.map((r) => [`${r.name} ${r.year}`, r.publishedAt?.toISOString()]));
    expect(Object.keys(by).sort()).toEqual(['登封市告成镇人民政府 2024', '登封市审计局 2022', '登封市教育局 2024', '登封市水利局 2022', '登封市水利局 2023']);
    // the township's list gives no date: the page's info line does (Beijing time)
    expect(by['登封市告成镇人民政府 2024']).toBe('2025-02-13T16:00:00.000Z');
    const items = await store.db.select().from(crawlItems).where(eq(crawlItems.sourceId, tree.config.id));
    // a title without its year takes the year column's; one without its unit, the unit's column
    expect(items.find((i) => i.title === '登封市审计局政府信息公开工作年度报告')).toMatchObject({ unit: '登封市审计局', year: 2022 });
    expect(items.filter((i) => i.unit === '登封市水利局').map((i) => `${i.title} ${i.year}`).sort()).toEqual(['2022年政府信息公开工作年度报告 2022', '2023年政府信息公开工作年度报告 2023']);
  });

  it('records pages slower than the timeout as timeouts and crawls the rest', async () => {
    const published = ['鄢陵县人民政府 2024', '鄢陵县民政局 2024', '鄢陵县民政局 2023', '鄢陵县马栏镇人民政府 2024'].map((x) => ({ agency: x.split(' ')[0]!, year: Number(x.split(' ')[1]) }));
    const vsb = await vsbCounty(published, { who: { id: 'henan.xuchang.yanling', name: '鄢陵县人民政府', regionCode: '411024' }, obstacles: { slow: [1, 3] } });
    sites.push(vsb);
    const run = await crawlSource(store.db, memo, vsb.config, { fetcher: new Fetcher({ ...FAST, timeoutMs: 150, retries: 1 }) });
    expect(run).toMatchObject({ status: 'ok', candidates: 4, inserted: 2, failed: 2, errors: { timeout: 2 } });
    expect(run.notes.filter((n) => n.endsWith('ETIMEDOUT'))).toHaveLength(2);
    // each slow page was asked twice (one retry) and left
    expect(vsb.site.requests.filter((p) => p === '/info/1012/7001.htm')).toHaveLength(2);
    expect(vsb.site.maxConcurrent).toBe(1);
    const [item] = await store.db.select().from(crawlItems).where(eq(crawlItems.url, `${vsb.site.url}/info/1012/7003.htm`));
    expect(item).toMatchObject({ outcome: 'timeout', sha256: null });
  });

  it('keeps the picture an image-only report was read from, and the attachment a page linked to, as documents the report leads to', async () => {
    const trs = await trsCounty(
      [
        { agency: '郏县审计局', year: 2024, attached: 'jpg' },
        { agency: '郏县审计局', year: 2023, attached: 'pdf' },
      ],
      { who: { id: 'henan.pingdingshan.jiaxian.pictures', name: '郏县人民政府', regionCode: '410425' } },
    );
    sites.push(trs);
    const run = await crawlSource(store.db, memo, trs.config, { fetcher: new Fetcher(FAST) });
    expect(run).toMatchObject({ status: 'ok', candidates: 2, failed: 0 });
    const picture = `${trs.site.url}/zwgk/zfxxgknb/202501/W0202501201000.jpg`;
    const pdf = `${trs.site.url}/zwgk/zfxxgknb/202401/P0202401201001.pdf`;
    for (const [url, file, type] of [[picture, '003-photo.jpg', 'image/jpeg'], [pdf, '003.pdf', 'application/pdf']] as const) {
      const sha = createHash('sha256').update(readFileSync(new URL(`./fixtures/documents/${file}`, import.meta.url))).digest('hex');
      const [doc] = await store.db.select({ mediaType: documents.mediaType, size: documents.size }).from(documents).where(eq(documents.sha256, sha));
      expect(doc).toMatchObject({ mediaType: type });
      const kept = await store.db.select().from(fetches).where(eq(fetches.url, url));
      expect(kept.map((k) => k.sha256)).toContain(sha);
    }
    const versions = await store.db
      .select({ parsed: reportVersions.parsed })
      .from(reportVersions)
      .innerJoin(fetches, eq(fetches.sha256, reportVersions.sha256))
      .where(sql`${fetches.url} like ${`${trs.site.url}/%`}`);
    const sources = versions.map((v) => (v.parsed as { source: { url?: string; via?: string; pictures?: string[] } }).source);
    expect(sources).toContainEqual(expect.objectContaining({ pictures: [picture] }));
    expect(sources).toContainEqual(expect.objectContaining({ url: pdf, via: `${trs.site.url}/zwgk/zfxxgknb/202401/t20240120_1001.html` }));
  }, 120_000);
});

describe('list pages of each CMS family', () => {
  const entry = (preset: string, extra: object = {}) =>
    parseConfig({ id: 'henan.x', name: 'x', baseUrl: 'https://example.gov.cn', preset, entries: [{ url: '/zwgk/nb/index.html', ...extra }] }, 'x.json').entries[0]!;
  const at = 'https://example.gov.cn/zwgk/nb/index.html';

  it('numbers TRS pages in both createPageHTML signatures', () => {
    expect(furtherPages(`<script>createPageHTML(3, 0, 'index', 'html');</script>`, at, entry('trs'))).toEqual([
      'https://example.gov.cn/zwgk/nb/index_1.html',
      'https://example.gov.cn/zwgk/nb/index_2.html',
    ]);
    expect(furtherPages(`<script>createPageHTML('page_div',3, 1,'xxgk_list','shtml',41);</script>`, at, entry('trs'))).toEqual([
      'https://example.gov.cn/zwgk/nb/xxgk_list_2.shtml',
      'https://example.gov.cn/zwgk/nb/xxgk_list_3.shtml',
    ]);
  });

  it('counts VSB pages down to 1.htm, and fills a template up to the printed page count', () => {
    const vsb = `<span class="p_pages"><span class="p_next p_fun"><a href="nb/3.htm">下页</a></span><span class="p_last p_fun"><a href="nb/1.htm">尾页</a></span></span>`;
    expect(furtherPages(vsb, 'https://example.gov.cn/xxgk/nb.htm', entry('vsb'))).toEqual(['3', '2', '1'].map((n) => `https://example.gov.cn/xxgk/nb/${n}.htm`));
    const pds = `<div class="page-info">1/3</div>`;
    expect(furtherPages(pds, 'https://example.gov.cn/channels/20091.html', entry('pds'))).toEqual([
      'https://example.gov.cn/channels/20091_2.html',
      'https://example.gov.cn/channels/20091_3.html',
    ]);
  });

  it('reads the Hanweb datastore and asks its proxy for the records it does not hold', () => {
    const page = `<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&columnid=9&unitid=7"></a>]]></nextgroup><recordset>
<record><![CDATA[<li><a href='/art/2025/1/20/art_9_1.html' title='宝丰县财政局2024年政府信息公开工作年度报告'>宝丰县财政局2024年政府…</a><span>2025-01-20</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2025/1/21/art_9_2.html' title='宝丰县政府信息公开指南'>宝丰县政府信息公开指南</a><span>2025-01-21</span></li>]]></record>
</recordset></datastore></script><script>$('#7').jpage({perPage:2, totalRecord:5})</script>`;
    const e = entry('hanweb');
    const items = readList(page, 'https://example.gov.cn/col/col9/index.html', e.list);
    expect(items).toEqual([
      { title: '宝丰县财政局2024年政府信息公开工作年度报告', url: 'https://example.gov.cn/art/2025/1/20/art_9_1.html', date: '2025-01-20' },
      { title: '宝丰县政府信息公开指南', url: 'https://example.gov.cn/art/2025/1/21/art_9_2.html', date: '2025-01-21' },
    ]);
    expect(candidates(items, e)).toEqual([{ ...items[0], year: 2024, unit: '宝丰县财政局' }]);
    expect(furtherPages(page, 'https://example.gov.cn/col/col9/index.html', e)).toEqual([
      'https://example.gov.cn/module/web/jpage/dataproxy.jsp?page=2&columnid=9&unitid=7',
      'https://example.gov.cn/module/web/jpage/dataproxy.jsp?page=3&columnid=9&unitid=7',
    ]);
  });
});

describe('detail pages', () => {
  const spec = (preset: string, detail: object = {}) => parseConfig({ id: 'henan.x', name: 'x', baseUrl: 'https://example.gov.cn', preset, detail, entries: [{ url: '/nb/' }] }, 'x.json').detail;

  it('takes title, date and unit from the configured places, else from the <meta> tags TRS, Hanweb and VSB pages carry', () => {
    const hanweb = `<html><head><title>2024年政府信息公开工作年度报告 宝丰县人民政府</title><meta name="ArticleTitle" content="2024年政府信息公开工作年度报告"><meta name="PubDate" content="2025-01-25 10:31"><meta name="ContentSource" content="宝丰县民政局"></head><body><div id="zoom"><p>……</p></div></body></html>`;
    expect(readDetail(hanweb, spec('hanweb'))).toEqual({ title: '2024年政府信息公开工作年度报告', date: '2025-01-25', unit: '宝丰县民政局', container: true });
    // another template: no container, no ArticleTitle; the column is the unit's own, the date in the info line
    const vsb = `<html><head><title>襄城县水利局2024年政府信息公开工作年度报告-襄城县人民政府</title><meta name="ColumnName" content="襄城县水利局"><meta name="Keywords" content="年报,信息公开"></head>
<body><div class="crumb">首页 &gt; 信息公开 &gt; 年报</div><div class="info">发布时间：2025年1月9日 浏览次数：12</div><div class="zw"><p>……</p></div></body></html>`;
    expect(readDetail(vsb, spec('vsb'))).toEqual({ title: '襄城县水利局2024年政府信息公开工作年度报告', date: '2025-01-09', unit: '襄城县水利局', container: false });
    const bare = `<html><head><meta name="ColumnName" content="部门信息公开年报"><meta name="Keywords" content="叶县审计局"></head><body><h1>2023年政府信息公开工作年度报告</h1><div class="article-details">……</div></body></html>`;
    expect(readDetail(bare, spec('pds'))).toEqual({ title: '2023年政府信息公开工作年度报告', date: null, unit: '叶县审计局', container: true });
    // the 平顶山 platform prints its unit and date in one info line, which its preset reads
    const pds = `<html><body><div class="article-title">2024年政府信息公开工作年度报告</div><div class="article-info"><span>来源：叶县财政局</span> <span>发布日期：2025-01-24</span></div><div class="article-details">……</div></body></html>`;
    expect(readDetail(pds, spec('pds'))).toMatchObject({ title: '2024年政府信息公开工作年度报告', date: '2025-01-24', unit: '叶县财政局' });
    // a site's own places come first
    expect(readDetail(pds, spec('pds', { unit: '.nothing | meta:Author | .article-info span' }))).toMatchObject({ unit: '叶县财政局' });
  });

  it('keeps only short plain text from what a page says', () => {
    const long = `<html><head><meta name="ContentSource" content="${'某'.repeat(300)}"><meta name="ArticleTitle" content="<script>alert(1)</script>"></head><body></body></html>`;
    const info = readDetail(long, spec('trs'));
    expect(info.unit).toBeNull();
    expect(info.title).toBe('<script>alert(1)</script>');
    expect(info.container).toBe(false);
  });
});

describe('nianjian probe', () => {
  it('walks a list page as a crawl would: the CMS family, charset, robots, reports found, and a config that crawls unedited', async () => {
    const trs = await trsCounty([{ agency: '郏县人民政府', year: 2024 }, { agency: '郏县财政局', year: 2024 }, { agency: '郏县财政局', year: 2023 }], { perPage: 2 });
    const han = await hanwebCounty([{ agency: '宝丰县人民政府', year: 2024 }]);
    const vsb = await vsbCounty([{ agency: '襄城县人民政府', year: 2024 }]);
    const waf = await startSite({}, (_q, res) => res.writeHead(521, { 'set-cookie': '__jsluid_h=1' }).end('<script>document.cookie=("__jsl_clearance=1")</script>'));
    try {
      const p = await probe(`${trs.site.url}/zwgk/zfxxgknb/index.html`, new Fetcher(FAST));
      expect(p).toMatchObject({ reachable: true, family: 'trs', charset: 'gb18030', robots: 'allowed', reports: 3, pages: 3, refused: { 工作要点: 1 } });
      // the name and region from the page's title and the GB/T 2260 tree
      expect(p.draft).toEqual({ id: 'henan.127-0-0-1', name: '郏县人民政府', regionCode: '410425', baseUrl: trs.site.url, entries: [{ url: '/zwgk/zfxxgknb/index.html' }] });
      expect(() => parseConfig(p.draft, 'draft.json')).not.toThrow();
      expect(await probe(`${han.site.url}/col/col1234/index.html`, new Fetcher(FAST))).toMatchObject({ family: 'hanweb', reports: 1 });
      expect(await probe(`${vsb.site.url}/`, new Fetcher(FAST))).toMatchObject({ family: 'vsb', reports: 1, columns: [{ how: '图片文件名' }] });
      expect(await probe(`${waf.url}/nb/`, new Fetcher(FAST))).toMatchObject({ reachable: false, blocked: 'jiasule', draft: null });
    } finally {
      for (const s of [trs.site, han.site, vsb.site, waf]) await s.close();
    }
  });
});

describe('the local web of Henan counties (demo and benchmark)', () => {
  it('serves each family its reports in both layouts, and all of them crawl in; the demo’s county behind a 521 shows blocked', async () => {
    // five to a list page: every family's pager is walked to its third page
    const web = await startHenanWeb(6, [2020, 2024], 5, { blocked: true });
    const dir = tmp();
    const store = await openDb({ dataDir: dir });
    try {
      const memo = new StoreMemo(store.db);
      const runs = await Promise.all(web.counties.map((c) => crawlSource(store.db, memo, c.config, { fetcher: new Fetcher(FAST) })));
      expect(web.counties.map((c) => c.config.preset)).toEqual(['trs', 'hanweb', 'vsb', 'sitesources', 'pds', 'generic', 'generic']);
      expect(web.reports).toBe(6 * 13);
      expect(runs.map((r) => [r.status, r.inserted, r.failed])).toEqual([...Array(6).fill(['ok', 13, 0]), ['blocked', 0, 0]]);
      expect(runs[6]!.errors).toEqual({ 'blocked:jiasule': 1 });
      // TRS lists three noise items too (16 items: 4 pages); the plain site's 下一页 past the
      // end repeats its last page, seen once more and left; sitesources counts its script.json
      expect(runs.map((r) => r.pages)).toEqual([4, 3, 3, 4, 3, 4, 1]);
      const formats = await store.db.execute(sql`select f.format, count(*)::int as n from report_facts f group by f.format order by f.format`);
      expect(rowsOf<{ format: string; n: number }>(formats)).toEqual([{ format: '2019', n: 42 }, { format: '2021', n: 36 }]);
      // a department of each county publishes in May: late, for both years
      const late = rowsOf<{ n: number }>(await store.db.execute(sql`select count(*)::int as n from findings where rule = 'PUB.LATE' and active`));
      expect(late).toEqual([{ n: 12 }]);
    } finally {
      await store.close();
      await web.close();
    }
  }, 180_000);
});
