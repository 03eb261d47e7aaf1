// Finding reports with no per-site rule: a real saved county portal (shared/sites/henan.zhecheng,
// EmpireCMS, 2018) crawled from its home page alone through its own proxy under its real
// hostname; every family of the local web crawled from its home page with no preset; the
// pieces (titles, columns, pagers, bodies, proxies) on real markup; bad input bounded.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as cheerio from 'cheerio';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../scrapers/config.js';
import { crawlSource, fetcherFor } from '../scrapers/crawl.js';
import { readDetail } from '../scrapers/detail.js';
import { classifyTitle, columnLinks, contentBlock, pagerOf, reportLinks } from '../scrapers/discover.js';
import { Fetcher, proxyFor } from '../scrapers/fetch.js';
import { probe } from '../scrapers/probe.js';
import { openDb, type Store } from '../server/db/client.js';
import { crawlItems } from '../server/db/schema.js';
import { StoreMemo } from '../server/store/figures.js';
import { directoryCounty, hanwebCounty, nextLinkCounty, pdsCounty, scriptCounty, sitesourcesCounty, trsCounty, vsbCounty, type County } from './web/county.js';
import { startSite, type Site } from './web/site.js';

const FAST = { delayMs: 0, jitterMs: 0, backoffMs: 1, timeoutMs: 5000, retries: 0 };
/** The saved site, beside the clone as CI has it (../shared) */
const ZHECHENG = fileURLToPath(new URL('../../shared/sites/henan.zhecheng/', import.meta.url));
const HOST = 'http://www.zhecheng.gov.cn';
const www = (p: string) => readFileSync(join(ZHECHENG, 'www', p), 'utf8');

/** Every list item the replica's README names: page, title, resolved address. */
function expected(): Array<{ page: string; title: string; url: string; present: boolean }> {
  return readFileSync(join(ZHECHENG, 'README.md'), 'utf8')
    .split('\n')
    .map((l) => /^\| (index(?:_\d)?\.html) \| \d+ \| (.+?) \| \d{4} \| [\d-]+ \| `[^`]+` \| (http\S+) \| (yes|no \(404\)) \|$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ page: m[1]!, title: m[2]!, url: m[3]!, present: m[4] === 'yes' }));
}

/** The replica's own server, as its README says to run it; its log line per request is kept. */
async function serveZhecheng(): Promise<{ proxy: string; log(): string[]; stop(): void }> {
  const free = http.createServer();
  await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
  const port = (free.address() as AddressInfo).port;
  await new Promise<void>((r) => free.close(() => r()));
  const child: ChildProcess = spawn(process.execPath, [join(ZHECHENG, 'serve.mjs'), String(port)]);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('zhecheng replica on')) resolve();
    });
  });
  return { proxy: `http://127.0.0.1:${port}`, log: () => out.split('\n'), stop: () => child.kill() };
}

describe.skipIf(!existsSync(ZHECHENG))('a real county portal never configured (henan.zhecheng, EmpireCMS, saved 2018)', () => {
  let server: Awaited<ReturnType<typeof serveZhecheng>>;
  let store: Store;
  beforeAll(async () => {
    server = await serveZhecheng();
    store = await openDb({ dataDir: mkdtempSync(join(tmpdir(), 'nianjian-discover-')) });
  }, 60_000);
  afterAll(async () => {
    server?.stop();
    await store?.close();
  });

  it('from its home page alone, through the proxy under its real name: all 99 records of the 7 list pages and the sub-columns, the 15 pages present stored, no 政府工作报告, nothing twice', async () => {
    const items = expected();
    expect(items).toHaveLength(99);
    const config = parseConfig({ id: 'henan.shangqiu.zhecheng', name: '柘城县人民政府', regionCode: '411424', baseUrl: HOST }, 'zhecheng.json');
    const outer = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = server.proxy;
    const run = await crawlSource(store.db, new StoreMemo(store.db), config, { fetcher: new Fetcher(FAST) }).finally(() => (outer === undefined ? delete process.env.HTTP_PROXY : (process.env.HTTP_PROXY = outer)));
    // the column, linked from the home page only by a picture, and its three sub-columns
    expect(run.columns.map((c) => `${c.label}（${c.how}）${c.url.replace(HOST, '')} ${c.reports}/${c.total ?? '-'}`)).toEqual([
      '首页（站点配置）/ 0/-',
      'xxgknb.jpg（图片文件名）/xxgk/xxgknb/index.html 96/99',
      '政府年报（链接文字）/xxgk/xxgknb/zfnb/index.html 5/-',
      '乡镇年报（链接文字）/xxgk/xxgknb/xznb/index.html 14/21',
      '部门年报（链接文字）/xxgk/xxgknb/bmnb/index.html 15/73',
    ]);
    // every record listed: 96 taken, 3 refused with their reasons
    expect(run.listed).toBe(99);
    const taken = new Set(run.found.map((c) => c.url));
    const refused = run.refused.filter((r) => /\d/.test(r.title));
    expect(new Set([...taken, ...refused.map((r) => r.url)])).toEqual(new Set(items.map((i) => i.url)));
    expect(refused.map((r) => `${r.reason}：${r.title}`).sort()).toEqual([
      '工作总结：柘城县人社局2017年度政府信息与政务公开工作总结',
      '工作总结：柘城县公共资源交易中心 2017年信息公开工作总结报告',
      '报告编制公布工作总结：柘城县起台镇2017年度报告编制公布工作总结',
    ]);
    expect(run.found).toHaveLength(96);
    // the same unit listed twice is two items, each once; the dates beside the links, the years from the titles
    expect(run.found.filter((c) => c.unit === '柘城县审计局').map((c) => `${c.year} ${c.date}`).sort()).toEqual(['2017 2018-02-22', '2017 2018-03-15']);
    expect(run.notes.filter((n) => n.includes('出现 2 次'))).toEqual(['柘城县审计局 2017 年度报告在列表中出现 2 次（地址不同，各取一次）', '柘城县农业机械服务中心 2017 年度报告在列表中出现 2 次（地址不同，各取一次）']);
    expect(run.found.find((c) => c.url.endsWith('/zfnb/2018-07-12/7575.html'))).toMatchObject({ title: '柘城县2013年政府信息公开工作年度报告', year: 2013, date: '2014-02-27', unit: '柘城县' });
    expect(run.found.every((c) => c.date && c.year)).toBe(true);
    // the 政府工作报告 column next to the 年报 one was never asked for
    const asked = server.log().flatMap((l) => /"GET ([^"\s]+)/.exec(l)?.[1] ?? []);
    expect(asked.filter((p) => p.includes('zfgznb'))).toEqual([]);
    const details = asked.filter((p) => /\/\d{4}-\d{2}-\d{2}\/\d+\.html$/.test(p));
    expect(details).toHaveLength(96);
    expect(new Set(details).size).toBe(96);
    // the 15 pages present fetched and stored as they came; the 81 never archived recorded as 404
    const rows = await store.db.select().from(crawlItems).where(eq(crawlItems.sourceId, config.id));
    expect(rows).toHaveLength(96);
    const present = items.filter((i) => i.present).map((i) => i.url);
    expect(rows.filter((r) => r.sha256).map((r) => r.url).sort()).toEqual(present.sort());
    expect(rows.filter((r) => !r.sha256).every((r) => r.outcome === 'http_4xx')).toBe(true);
    expect(run.errors.http_4xx).toBe(81 + 5);
    // each of the 15 imported as a report of its unit and year
    expect(run).toMatchObject({ inserted: 15, updated: 0, failed: 81 });
  }, 120_000);

  it('reached at a mirror’s own address with the real name as an alias: the absolute links are the site’s, fetched from the mirror, no proxy needed', async () => {
    const mirror = server.proxy;
    const config = parseConfig({ id: 'henan.shangqiu.zhecheng.mirror', name: '柘城县人民政府', regionCode: '411424', baseUrl: mirror, aliases: [HOST] }, 'zhecheng.json');
    const before = server.log().length;
    const run = await crawlSource(null as never, null as never, config, { fetcher: new Fetcher(FAST), dryRun: true });
    expect(run.listed).toBe(99);
    expect(run.found).toHaveLength(96);
    expect(run.found.every((c) => c.url.startsWith(`${mirror}/xxgk/xxgknb/`))).toBe(true);
    // every request came to the mirror by its own address, none in a proxy's absolute form
    expect(server.log().slice(before).filter((l) => /"GET http/.test(l))).toEqual([]);
  }, 60_000);

  it('probe on the home page prints the columns with how each was found and a config that crawls the same unedited', async () => {
    const fetcher = new Fetcher({ ...FAST, proxy: server.proxy });
    const p = await probe(`${HOST}/`, fetcher);
    expect(p).toMatchObject({ reachable: true, family: 'empirecms', reports: 96 });
    expect(p.columns.map((c) => c.how)).toEqual(['图片文件名', '链接文字', '链接文字', '链接文字']);
    expect(p.draft).toEqual({ id: 'henan.zhecheng', name: '柘城县人民政府', regionCode: '411424', baseUrl: HOST, entries: [{ url: '/' }] });
    const again = await crawlSource(store.db, new StoreMemo(store.db), parseConfig(p.draft, 'draft.json'), { fetcher, dryRun: true });
    expect(again.found).toHaveLength(96);
  }, 60_000);
});

describe('reports, columns and pagers on real markup', () => {
  it('tells a report by its title and refuses the rest with a reason', () => {
    const verdict = (t: string) => {
      const v = classifyTitle(t);
      return v.report ? 'report' : v.reason;
    };
    // titles as the zhecheng list prints them, spaces and all
    expect(verdict('柘城县扶贫办2017年政府信息年度报告')).toBe('report');
    expect(verdict('柘城县国税局2016年度信息与政务公开工作报告')).toBe('report');
    expect(verdict('柘城县人民医院2017年政务信息公开报告')).toBe('report');
    expect(verdict('柘城县财政局2017年信息公开工作 年度报告')).toBe('report');
    expect(verdict('柘城县城镇管理综合执法局2017年政府信息公开工作报告')).toBe('report');
    expect(verdict('2018年政府工作报告')).toBe('政府工作报告');
    expect(verdict('政府工作年报')).toBe('政府工作报告');
    expect(verdict('关于印发2024年郏县政务公开工作要点的通知')).toBe('工作要点');
    expect(verdict('柘城县起台镇2017年度报告编制公布工作总结')).toBe('报告编制公布工作总结');
    expect(verdict('关于报送2023年政府信息公开工作年度报告的函')).toBe('关于…的函');
    expect(verdict('信息公开年报')).toBe('没有年度（栏目或导航链接）');
    // a year column's bare titles are reports inside a 年报 column only
    expect(classifyTitle('2023年度报告', true)).toEqual({ report: true });
    expect(verdict('2023年度报告')).toBe('标题不是年度报告');
  });

  it('finds the list items and their dates wherever they sit: ul/li, dl/dd, table rows, a bare div, a title-only link', () => {
    const page = `<div class="rules_tabs_01"><dl><dd><a href="./202403/t20240308_87885.htm" title="某县2023年度政府信息公开工作年度报告"></a><span>2024-03-08</span></dd></dl></div>
<table><tr><td><a href="a.html">某县财政局2023年政府信息公开工作年度报告</a></td><td>2024-01-20</td></tr></table>
<div class="x"><a href="b.html">某县教育局2023年政府信息公开工作年度报告</a> 2024-01-21 <a href="c.html">某县2024年政府工作报告</a> 2024-02-01</div>
<p><a href="nlist.htm">政府信息公开年报</a></p>`;
    const got = reportLinks(page, 'https://example.gov.cn/zfxxgk/zfxxgknb/nlist.htm');
    expect(got.items).toEqual([
      { title: '某县2023年度政府信息公开工作年度报告', url: 'https://example.gov.cn/zfxxgk/zfxxgknb/202403/t20240308_87885.htm', date: '2024-03-08' },
      { title: '某县财政局2023年政府信息公开工作年度报告', url: 'https://example.gov.cn/zfxxgk/zfxxgknb/a.html', date: '2024-01-20' },
      { title: '某县教育局2023年政府信息公开工作年度报告', url: 'https://example.gov.cn/zfxxgk/zfxxgknb/b.html', date: '2024-01-21' },
    ]);
    expect(got.refused.map((r) => r.reason)).toEqual(['政府工作报告', '没有年度（栏目或导航链接）']);
  });

  it('finds the column on the real home page only by its picture, not the 政府工作报告 beside it; the pager from EmpireCMS markup', () => {
    const own = (u: URL) => u.host === 'www.zhecheng.gov.cn';
    expect(columnLinks(cheerio.load(www('index.html')), `${HOST}/`, own, null)).toEqual([{ url: `${HOST}/xxgk/xxgknb/index.html`, label: 'xxgknb.jpg', how: '图片文件名' }]);
    const first = pagerOf(www('xxgk/xxgknb/index.html'), `${HOST}/xxgk/xxgknb/index.html`, 100);
    expect(first).toEqual({ urls: [2, 3, 4, 5, 6, 7].map((n) => `${HOST}/xxgk/xxgknb/index_${n}.html`), how: ['帝国CMS Total record', '页码链接'], total: 99 });
    // page 7 links back to page 1 absolutely; the pages it shows are the window 5, 6
    expect(pagerOf(www('xxgk/xxgknb/index_7.html'), `${HOST}/xxgk/xxgknb/index_7.html`, 100).urls).toEqual([5, 6].map((n) => `${HOST}/xxgk/xxgknb/index_${n}.html`));
    // the other pagers the families print, recognised without their preset
    expect(pagerOf(`<script>createPageHTML('page_div',3, 1,'xxgk_list','shtml',41);</script>`, 'https://example.gov.cn/nb/xxgk_list.shtml', 100)).toMatchObject({ urls: ['https://example.gov.cn/nb/xxgk_list_2.shtml', 'https://example.gov.cn/nb/xxgk_list_3.shtml'], total: 41 });
    expect(pagerOf(`<script>var currentPage = 0;//所在页从0开始\nvar countPage = 2</script>`, 'https://example.gov.cn/nb/index.html', 100).urls).toEqual(['https://example.gov.cn/nb/index_1.html', 'https://example.gov.cn/nb/index_2.html']);
    expect(pagerOf(`<div class="page-info">1/3</div>`, 'https://example.gov.cn/channels/20091.html', 100).urls).toEqual(['https://example.gov.cn/channels/20091_2.html', 'https://example.gov.cn/channels/20091_3.html']);
  });

  it('finds the report body of a real page by its text, whatever its container is called', () => {
    const $ = cheerio.load(www('xxgk/xxgknb/bmnb/2018-07-12/7477.html'));
    const body = contentBlock($)!;
    expect(body.attr('id')).toBe('zoomcon');
    expect(body.text()).toContain('本报告是根据《中华人民共和国政府信息公开条例》');
    expect(contentBlock(cheerio.load('<html><body><div><a href="/">首页</a><a href="/a">新闻</a></div></body></html>'))).toBeNull();
  });

  it('goes through the environment’s proxy unless NO_PROXY names the host, and through a site’s own proxy always', () => {
    const env = { HTTP_PROXY: 'http://127.0.0.1:3128', HTTPS_PROXY: '127.0.0.1:3129', NO_PROXY: 'localhost,.internal.example,example.gov.cn:8080' };
    expect(proxyFor(new URL('http://www.zhecheng.gov.cn/'), undefined, env)?.href).toBe('http://127.0.0.1:3128/');
    expect(proxyFor(new URL('https://www.zhecheng.gov.cn/'), undefined, env)?.href).toBe('http://127.0.0.1:3129/');
    expect(proxyFor(new URL('http://a.internal.example/'), undefined, env)).toBeNull();
    expect(proxyFor(new URL('http://example.gov.cn:8080/'), undefined, env)).toBeNull();
    expect(proxyFor(new URL('http://example.gov.cn/'), undefined, env)?.port).toBe('3128');
    expect(proxyFor(new URL('http://localhost/'), 'http://127.0.0.1:9/', env)?.port).toBe('9');
    expect(proxyFor(new URL('http://www.zhecheng.gov.cn/'), 'direct', env)).toBeNull();
    expect(() => parseConfig({ id: 'x', name: 'x', baseUrl: 'http://example.gov.cn', fetch: { proxy: 'socks5://x' } }, 'x.json')).toThrow('x.json：fetch.proxy：须为代理地址');
    // a site's own setting reaches its fetcher
    expect(fetcherFor(parseConfig({ id: 'x', name: 'x', baseUrl: 'http://example.gov.cn', fetch: { proxy: 'http://127.0.0.1:3128' } }, 'x.json')).policy.proxy).toBe('http://127.0.0.1:3128');
  });
});

describe('held-out real templates (saved by others, no rule of ours written from them)', () => {
  /** The page as the saved test file holds it: its template literal, cooked as JavaScript would. */
  const ordos = () => {
    const file = readFileSync(new URL('./fixtures/sites/nmg.ordos.egb/69.js', import.meta.url), 'utf8');
    return file.slice(file.indexOf('const html = `') + 'const html = `'.length, file.indexOf('`;\n\t\tconst root')).replace(/\\([\\"'`$])/g, '$1');
  };

  it('万载县 (Jiangxi, 2023): the body of a detail page of another template found by its text, its title, date and unit from the page', () => {
    const html = readFileSync(new URL('./fixtures/sites/jiangxi.wanzai/tjgb-2022.html', import.meta.url), 'utf8');
    const body = contentBlock(cheerio.load(html))!;
    expect(body.attr('class')).toBe('article-content article-content-body');
    const text = body.text().replace(/\s+/g, '');
    expect(text.startsWith('万载县统计局国家统计局万载调查队（2023年5月）2022年，万载全县上下')).toBe(true);
    expect(text.length).toBeGreaterThan(7000);
    expect(readDetail(html, { container: [], attachments: true })).toEqual({ title: '万载县2022年国民经济和社会发展统计公报', date: '2023-08-16', unit: '万载县统计局', container: true });
  });

  it('宜春 (Jiangxi, 2023): its home page’s 年报 column, and nothing else, found; its 政府工作报告 refused', () => {
    const html = readFileSync(new URL('./fixtures/sites/jiangxi.yichun/home.html', import.meta.url), 'utf8');
    const own = (u: URL) => u.hostname.endsWith('yichun.gov.cn');
    expect(columnLinks(cheerio.load(html), 'http://www.yichun.gov.cn/', own, null)).toEqual([{ url: 'http://www.yichun.gov.cn/ycsrmzf/zfxxgknb/redirect_firstChannel.shtml', label: '政府信息公开年度报告', how: '链接文字' }]);
    const links = reportLinks(html, 'http://www.yichun.gov.cn/', { own });
    expect(links.items).toEqual([]);
    expect(links.refused.map((r) => r.reason)).toEqual(['没有年度（栏目或导航链接）', '政府工作报告']);
  });

  it('鄂尔多斯 恩格贝 (TRS, 2020): the 4 reports of its 10 items, the news refused, the script pager read', async () => {
    const page = ordos();
    const site = await startSite({ '/xxgk/xxgknb/index.html': (_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page) });
    try {
      const config = parseConfig({ id: 'nmg.ordos.egb', name: '鄂尔多斯市恩格贝生态示范区管理委员会', baseUrl: site.url, entries: [{ url: '/xxgk/xxgknb/index.html' }] }, 'egb.json');
      const run = await crawlSource(null as never, null as never, config, { fetcher: new Fetcher(FAST), dryRun: true });
      expect(run.found.map((c) => `${c.year} ${c.date} ${c.title}`)).toEqual([
        '2019 2020-09-03 鄂尔多斯市2019年政府信息公开工作年度报告',
        '2019 2020-03-11 鄂尔多斯市人民政府办公室2019年政府信息公开工作年度报告',
        '2018 2019-05-30 鄂尔多斯市2018年政府信息公开年度报告',
        '2018 2019-05-30 内蒙古自治区2018年政府信息公开工作年度报告',
      ]);
      // the second page, as its script counts it, was asked for (it was not saved)
      expect(site.requests).toContain('/xxgk/xxgknb/index_1.html');
    } finally {
      await site.close();
    }
  });
});

describe('every family of the local web, from its home page with no preset', () => {
  const sites: County[] = [];
  afterAll(async () => {
    for (const s of sites) await s.site.close();
  });
  const reports = (place: string) => [
    { agency: `${place}人民政府`, year: 2024 },
    { agency: `${place}财政局`, year: 2024 },
    { agency: `${place}民政局`, year: 2023 },
    { agency: `${place}城关镇人民政府`, year: 2023 },
    { agency: `${place}人民政府`, year: 2023 },
  ];

  it.each([
    ['TRS (link text, createPageHTML)', trsCounty, '郏县'],
    ['Hanweb (image alt, datastore proxy)', hanwebCounty, '宝丰县'],
    ['VSB (image file name, count-down pages)', vsbCounty, '襄城县'],
    ['sitesources (via the 政务公开 page, script.json)', sitesourcesCounty, '长葛市'],
    ['平顶山 channels (link text, 1/N)', pdsCounty, '叶县'],
    ['plain (下一页)', nextLinkCounty, '禹州市'],
    ['script-built list (its JSON endpoint)', scriptCounty, '登封市'],
  ] as const)('%s', async (_name, family, place) => {
    const county = await family(reports(place), { perPage: 2 });
    sites.push(county);
    const config = parseConfig({ id: county.config.id, name: county.config.name, baseUrl: county.site.url }, 'x.json');
    const run = await crawlSource(null as never, null as never, config, { fetcher: new Fetcher(FAST), dryRun: true });
    expect(run.status).toBe('ok');
    expect(run.found.map((c) => `${c.unit} ${c.year}`).sort()).toEqual(reports(place).map((r) => `${r.agency} ${r.year}`).sort());
    expect(county.site.requests.filter((p) => p.includes('zfgzbg'))).toEqual([]);
    expect(county.site.maxConcurrent).toBe(1);
  });
});

describe('departments and townships with 信息公开 pages of their own', () => {
  it('finds each unit’s 年报 column from the 部门 directory’s links and the 乡镇 directory’s script, from the home page', async () => {
    const county = await directoryCounty(
      [{ agency: '新安县人民政府', year: 2024 }],
      { 新安县财政局: [{ agency: '新安县财政局', year: 2024 }, { agency: '新安县财政局', year: 2023 }], 新安县教育局: [{ agency: '新安县教育局', year: 2024 }] },
      { 新安县城关镇人民政府: [{ agency: '新安县城关镇人民政府', year: 2024 }], 新安县铁门镇人民政府: [{ agency: '新安县铁门镇人民政府', year: 2024 }] },
    );
    try {
      const config = parseConfig({ id: county.config.id, name: county.config.name, baseUrl: county.site.url }, 'x.json');
      const run = await crawlSource(null as never, null as never, config, { fetcher: new Fetcher(FAST), dryRun: true });
      expect(run.found.map((c) => `${c.unit} ${c.year}`).sort()).toEqual(county.reports.map((r) => `${r.agency} ${r.year}`).sort());
      expect(run.columns.filter((c) => c.reports).map((c) => `${c.how} ${c.url.replace(county.site.url, '')}`)).toEqual([
        '链接文字 /zwgk/zfxxgknb/index.html',
        '脚本列出的单位 /zwgk/xz/u0/ndbg/index.html',
        '脚本列出的单位 /zwgk/xz/u1/ndbg/index.html',
        '链接文字 /zwgk/bm/u0/ndbg/index.html',
        '链接文字 /zwgk/bm/u1/ndbg/index.html',
      ]);
      // the units' other columns and the 政务公开 page's news were left alone
      expect(county.site.requests.filter((p) => /xxgkzn|zcwj|tzgg/.test(p))).toEqual([]);
    } finally {
      await county.site.close();
    }
  });
});

describe('bad input: each bounded, recorded, and the next site goes on', () => {
  const sites: Site[] = [];
  afterAll(async () => {
    for (const s of sites) await s.close();
  });
  const site = async (handler: (path: string) => string | Buffer) => {
    const s = await startSite({}, (req, res) => {
      const body = handler(req.url ?? '/');
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(body || '<html><body>404</body></html>');
    });
    sites.push(s);
    return s;
  };
  const item = (n: number) => `<li><a href="/nb/${n}.html">某县第${n}局2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li>`;
  const crawl = (s: Site, id: string) => crawlSource(null as never, null as never, parseConfig({ id, name: id, baseUrl: s.url, entries: [{ url: '/nb/index.html' }] }, `${id}.json`), { fetcher: new Fetcher(FAST), dryRun: true });

  it('a list without items, a looping pager, a 10 MB list page, a column of 5,000 items, a home page with 2,000 links', async () => {
    const empty = await site((p) => (p === '/nb/index.html' ? '<html><body><ul></ul></body></html>' : ''));
    // every page says there is a next one, and shows the same items
    const loop = await site((p) => (p.startsWith('/nb/index') ? `<ul>${item(1)}${item(2)}</ul><a href="/nb/index_${Number(/_(\d+)/.exec(p)?.[1] ?? 1) + 1}.html">下一页</a>` : ''));
    const huge = await site((p) => (p === '/nb/index.html' ? `<ul>${item(1).repeat(1)}${'<li>某县新闻</li>'.repeat(500_000)}</ul>` : ''));
    const many = await site((p) => {
      const m = /^\/nb\/index(?:_(\d+))?\.html$/.exec(p);
      if (!m) return '';
      const n = Number(m[1] ?? 1);
      const rows = Array.from({ length: 50 }, (_, k) => item((n - 1) * 50 + k + 1)).join('');
      return `<ul>${rows}</ul><div>${n === 1 ? '' : `<a href="index_${n - 1}.html">上一页</a>`}<a href="index_${n + 1}.html">下一页</a><a href="index_100.html">尾页</a></div>`;
    });
    const links = await site((p) =>
      p === '/' ? `<ul>${Array.from({ length: 2000 }, (_, k) => `<li><a href="/news/${k}.html">新闻${k}</a></li>`).join('')}<li><a href="/zfxxgk/zfxxgknb/">政府信息公开年报</a></li></ul>` : p === '/zfxxgk/zfxxgknb/' ? `<ul>${item(7)}</ul>` : '',
    );
    expect(Buffer.byteLength((await new Fetcher(FAST).get(`${huge.url}/nb/index.html`).then((f) => (f.kind === 'ok' ? f.bytes : new Uint8Array()))).buffer as ArrayBuffer)).toBeGreaterThan(10_000_000);

    const a = await crawl(empty, 'bad.empty');
    expect(a).toMatchObject({ status: 'empty', pages: 1, candidates: 0 });
    expect(a.notes).toContain(`列表 ${empty.url}/nb/index.html 中没有任何条目（列表若由脚本生成，可在站点配置中设 fetch.browser）`);
    const b = await crawl(loop, 'bad.loop');
    expect(b).toMatchObject({ status: 'ok', candidates: 2, pages: 2 });
    expect(b.notes).toContain('列表 e0 第 2 页与前页相同，分页到此为止');
    const c = await crawl(huge, 'bad.huge');
    expect(c).toMatchObject({ status: 'failed', pages: 1, candidates: 0, errors: { too_large: 1 } });
    const d = await crawl(many, 'bad.many');
    expect(d.status).toBe('ok');
    expect(d.pages).toBe(30);
    expect(d.candidates).toBe(1500);
    expect(d.notes).toContain('列表 e0 超过 30 页，只读了前 30 页');
    const links2 = parseConfig({ id: 'bad.links', name: 'x', baseUrl: links.url }, 'x.json');
    const e = await crawlSource(null as never, null as never, links2, { fetcher: new Fetcher(FAST), dryRun: true });
    expect(e).toMatchObject({ status: 'ok', candidates: 1, pages: 2 });
    expect(links.requests.filter((p) => p.startsWith('/news/'))).toEqual([]);
  }, 60_000);
});
