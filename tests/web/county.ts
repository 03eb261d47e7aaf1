// A small local web of Henan county sites, one per CMS family so far (TRS, Hanweb), with
// their governments', departments' and townships' reports (seed 003's figures rendered as
// pages, or only attached), noise items, GBK pages served without a charset, an
// attachment that needs its Referer, and switchable obstacles for the crawler tests.
import { readFileSync } from 'node:fs';
import { parseConfig, type SiteConfig } from '../../scrapers/config.js';
import { baseModel, model2019 } from '../support/model.js';
import { renderHtml } from '../support/render.js';
import { gbk } from './gbk.js';
import { startSite, type Handler, type Site } from './site.js';

export interface Published {
  agency: string;
  year: number;
  /** figures changed from seed 003's for this report */
  change?: (values: Record<string, number>) => void;
  /** served only as an attachment of a "详见附件" page, or (jpg) as the page's one picture */
  attached?: 'pdf' | 'docx' | 'jpg';
  /** the date its list shows, when not January of the next year (a late report) */
  published?: string;
}

const listDate = (r: Published, day: string) => r.published ?? `${r.year + 1}-01-${day}`;

/** Which county a fake site plays. */
export interface Who {
  id: string;
  name: string;
  regionCode: string;
}

export interface SiteOptions {
  who?: Who;
  perPage?: number;
  obstacles?: Obstacles;
}

function configOf(who: Who, site: Site, preset: string, entry: object, fetch: object = {}): SiteConfig & { raw: object } {
  const raw = { ...who, baseUrl: site.url, preset, fetch: { delayMs: 0, jitterMs: 0, ...fetch }, entries: [{ id: 'nb', ...entry }] };
  return { ...parseConfig(raw, `${who.id}.json`), raw };
}

export interface County {
  site: Site;
  /** `raw`: the config as a file under scrapers/sources/ would hold it */
  config: SiteConfig & { raw: object };
  reports: Published[];
  /** takes a report off the list (it stays on the server) */
  unlist(agency: string, year: number): void;
  republish(agency: string, year: number, change: (values: Record<string, number>) => void): void;
}

const fixture = (f: string) => readFileSync(new URL(`../fixtures/documents/${f}`, import.meta.url));

function page(r: Published): string {
  // the 2021 format applies from the 2021 reports; before, the 2019 trial layout
  const m = r.year <= 2020 ? model2019() : baseModel();
  m.title = `${r.agency}${r.year}年政府信息公开工作年度报告`;
  r.change?.(m.values);
  // a late report's page says when it was published, as its list does
  return r.published ? renderHtml(m).replace(/2025-01-20( 10:31)?/g, (_, time: string | undefined) => `${r.published}${time ?? ''}`) : renderHtml(m);
}

/** The site with the hands a test changes it by: what its lists show, what a report says. */
function county(site: Site, config: SiteConfig & { raw: object }, reports: Published[], listed: Set<number>): County {
  const at = (agency: string, year: number) => reports.findIndex((r) => r.agency === agency && r.year === year);
  return {
    site,
    config,
    reports,
    unlist: (agency, year) => listed.delete(at(agency, year)),
    republish: (agency, year, change) => {
      reports[at(agency, year)]!.change = change;
    },
  };
}

const JIAXIAN: Who = { id: 'henan.pingdingshan.jiaxian', name: '郏县人民政府', regionCode: '410425' };
const BAOFENG: Who = { id: 'henan.pingdingshan.baofeng', name: '宝丰县人民政府', regionCode: '410421' };
const XIANGCHENG: Who = { id: 'henan.xuchang.xiangcheng', name: '襄城县人民政府', regionCode: '411025' };
const YUZHOU: Who = { id: 'henan.xuchang.yuzhou', name: '禹州市人民政府', regionCode: '411081' };
const CHANGGE: Who = { id: 'henan.xuchang.changge', name: '长葛市人民政府', regionCode: '411082' };
const YEXIAN: Who = { id: 'henan.pingdingshan.yexian', name: '叶县人民政府', regionCode: '410422' };

const NOISE = ['郏县政府信息公开指南', '关于印发2024年郏县政务公开工作要点的通知', '郏县政府信息公开制度'];

/**
 * A county's home page, laid out as the real one saved in shared/sites/henan.zhecheng is:
 * a navigation bar, news with dates, and a row of picture links to the 信息公开 columns, the
 * 政府工作报告 column among them. `link` is how the 年报 column is linked (by text, by an
 * image's alt, by nothing but the image's file name, or only from the 政务公开 page).
 */
function homePage(who: Who, column: string, link: 'text' | 'alt' | 'image' | 'hub'): Record<string, Handler> {
  const to = link === 'hub' ? '/zwgk/index.html' : column;
  const entry = {
    text: `<a href="${to}" target="_blank">政府信息公开年报</a>`,
    alt: `<a href="${to}"><img src="/images/pic03.jpg" alt="政府信息公开年度报告"></a>`,
    image: `<a href="${to}"><img src="/skin/images/xxgknb.jpg"></a>`,
    hub: `<a href="${to}"><img src="/skin/images/zwgk.jpg"></a>`,
  }[link];
  const home = `<html><head><title>${who.name}</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/zwgk/index.html">政务公开</a><a href="/bsfw/index.html">政务服务</a><a href="/hdjl/index.html">互动交流</a></div>
<div class="news"><ul><li><a href="/xwzx/2025-01-20/101.html">${who.name}召开2025年度工作会议</a><span>2025-01-20</span></li>
<li><a href="/xwzx/2025-01-18/100.html">关于印发2025年政务公开工作要点的通知</a><span>2025-01-18</span></li></ul></div>
<ul class="xxgk"><li><a href="/zwgk/xxgkzn/index.html"><img src="/skin/images/xxgkzn.jpg"></a></li><li><a href="/zwgk/zfgzbg/index.html"><img src="/skin/images/zfgzbg.jpg" alt="政府工作报告"></a></li><li>${entry}</li></ul></body></html>`;
  const routes: Record<string, Handler> = { '/': (_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(home) };
  if (link === 'hub') {
    routes['/zwgk/index.html'] = (_q, res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<html><body><div class="side"><ul><li><a href="/zwgk/xxgkzn/index.html">政府信息公开指南</a></li><li><a href="/zwgk/zfgzbg/index.html">政府工作报告</a></li><li><a href="${column}">政府信息公开工作年度报告</a></li></ul></div></body></html>`);
  }
  return routes;
}

/** TRS: table list paged by createPageHTML (index_1.html …), t-dated detail pages, P0 attachments, GBK on some pages. */
export async function trsCounty(reports: Published[], { who = JIAXIAN, perPage = 4 }: SiteOptions = {}): Promise<County> {
  const listed = new Set(reports.map((_, i) => i));
  const items = () => [
    ...reports.map((r, i) => ({ i, title: `${r.agency}${r.year}年政府信息公开工作年度报告`, href: `./${r.year + 1}01/t${r.year + 1}0120_${1000 + i}.html`, date: listDate(r, '20') })).filter((x) => listed.has(x.i)),
    ...NOISE.map((t, k) => ({ i: -1, title: t, href: `./202403/t20240301_${900 + k}.html`, date: '2024-03-01' })),
  ];
  const listPage = (n: number): Buffer => {
    const all = items();
    const pages = Math.max(1, Math.ceil(all.length / perPage));
    const rows = all
      .slice(n * perPage, (n + 1) * perPage)
      .map((x) => `<tr><td><a href="${x.href}" title="${x.title}" target="_blank">${x.title.slice(0, 18)}…</a></td><td>${x.date}</td></tr>`)
      .join('\n');
    // older TRS templates serve GB2312 bytes and no charset
    return gbk(`<html><head><title>政府信息公开年报_郏县人民政府</title></head><body><div class="nav">首页 &gt; 政务公开 &gt; 政府信息公开年报</div>
<table class="gl_list">${rows}</table><div id="page_div"></div><script>createPageHTML(${pages}, ${n}, 'index', 'html');</script></body></html>`);
  };
  const routes: Record<string, Handler> = {
    ...homePage(who, '/zwgk/zfxxgknb/index.html', 'text'),
    '/robots.txt': (_q, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /admin/\n'),
  };
  const fallback: Handler = (req, res) => {
    const path = req.url ?? '/';
    const list = /^\/zwgk\/zfxxgknb\/index(?:_(\d+))?\.html$/.exec(path);
    if (list) {
      const n = list[1] ? Number(list[1]) : 0;
      return res.writeHead(200, { 'content-type': 'text/html' }).end(listPage(n));
    }
    const detail = /^\/zwgk\/zfxxgknb\/\d{6}\/t\d{8}_(\d+)\.html$/.exec(path);
    if (detail) {
      const id = Number(detail[1]);
      if (id >= 900 && id < 1000) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<html><body><div class="TRS_Editor"><p>${NOISE[id - 900]}</p><p>各单位：现印发……</p></div></body></html>`);
      const r = reports[id - 1000];
      if (!r) return res.writeHead(404).end();
      if (r.attached === 'jpg') {
        return res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(`<html><head><meta name="ArticleTitle" content="${r.agency}${r.year}年政府信息公开工作年度报告（图片版）"></head><body><div class="TRS_Editor"><p><img src="./W0${r.year + 1}0120${id}.jpg" oldsrc="W0${r.year + 1}0120${id}.jpg"></p></div></body></html>`);
      }
      if (r.attached) {
        const file = `./P0${r.year + 1}0120${id}.${r.attached}`;
        return res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(`<html><head><meta name="ArticleTitle" content="${r.agency}${r.year}年政府信息公开工作年度报告"></head><body><div class="TRS_Editor"><p>详见附件。</p></div><p class="insertfileTag"><a appendix="true" href="${file}" title="${r.agency}${r.year}年政府信息公开工作年度报告.${r.attached}">附件1</a></p></body></html>`);
      }
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(r));
    }
    const attachment = /^\/zwgk\/zfxxgknb\/\d{6}\/(?:P0|W0)\d{8}(\d+)\.(pdf|docx|jpg)$/.exec(path);
    if (attachment) {
      const r = reports[Number(attachment[1]) - 1000];
      // servers send pictures and attachments as bytes of no particular type
      return r ? res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(fixture(attachment[2] === 'jpg' ? '003-photo.jpg' : `003.${attachment[2]}`)) : res.writeHead(404).end();
    }
    res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>404</body></html>');
  };
  const site = await startSite(routes, fallback);
  const config = configOf(who, site, 'trs', { url: '/zwgk/zfxxgknb/index.html' });
  return county(site, config, reports, listed);
}

/** Hanweb: the first records in a CDATA datastore, the rest from dataproxy.jsp; downfile.jsp attachments that need the Referer. */
export async function hanwebCounty(reports: Published[], { who = BAOFENG, perPage = 3 }: SiteOptions = {}): Promise<County> {
  const listed = new Set(reports.map((_, i) => i));
  const record = (r: Published, i: number) =>
    `<record><![CDATA[<li><a href='/art/${r.year + 1}/1/25/art_1234_${5000 + i}.html' title='${r.agency}${r.year}年政府信息公开工作年度报告' target="_blank">${r.agency}${r.year}年政府信息公开工作…</a><span>${listDate(r, '25')}</span></li>]]></record>`;
  const records = () => reports.map((r, i) => (listed.has(i) ? record(r, i) : '')).filter(Boolean);
  const fallback: Handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/col/col1234/index.html') {
      const all = records();
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<html><head><title>政府信息公开年报 宝丰县人民政府</title></head><body>
<div id="212860"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=1234&unitid=212860&permissiontype=0"></a>]]></nextgroup>
<recordset>${all.slice(0, perPage).join('\n')}</recordset></datastore></script></div>
<script>$('#212860').jpage({dataStore:dataStore, proxyUrl:'/module/web/jpage/dataproxy.jsp', perPage:${perPage}, totalRecord:${all.length}, ajaxParam:{}})</script>
<!-- Produced By 大汉网络 大汉版通发布系统 --></body></html>`);
    }
    if (url.pathname === '/module/web/jpage/dataproxy.jsp') {
      const n = Number(url.searchParams.get('page') ?? 1);
      const all = records();
      return res
        .writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
        .end(`<datastore><totalrecord>${all.length}</totalrecord><totalpage>${Math.ceil(all.length / perPage)}</totalpage><recordset>${all.slice((n - 1) * perPage, n * perPage).join('')}</recordset></datastore>`);
    }
    const art = /^\/art\/\d{4}\/1\/25\/art_1234_(\d+)\.html$/.exec(url.pathname);
    if (art) {
      const i = Number(art[1]) - 5000;
      const r = reports[i];
      if (!r) return res.writeHead(404).end();
      const body = r.attached
        ? `<p>详见附件。</p><p>附件：<a href="/module/download/downfile.jsp?classid=0&filename=${i}abcdef.${r.attached}&showname=${encodeURIComponent(`${r.agency}${r.year}年报.${r.attached}`)}">${r.agency}${r.year}年报.${r.attached}</a></p>`
        : page(r).replace(/^[\s\S]*<div class="TRS_Editor">|<\/div><\/div>\s*<div class="footer">[\s\S]*$/g, '');
      return res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<html><head><title>${r.agency}${r.year}年政府信息公开工作年度报告 宝丰县人民政府</title><meta name="ArticleTitle" content="${r.agency}${r.year}年政府信息公开工作年度报告"><meta name="PubDate" content="${listDate(r, '25')} 10:31"></head><body><div id="zoom"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">${body}<meta name="ContentEnd"><!--ZJEG_RSS.content.end--></div></body></html>`);
    }
    if (url.pathname === '/module/download/downfile.jsp') {
      // Hanweb refuses a download that does not come from its article page
      if (!/\/art\//.test(req.headers.referer ?? '')) return res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' }).end('<p>请从文章页面下载</p>');
      const name = url.searchParams.get('filename') ?? '';
      const ext = name.endsWith('.pdf') ? 'pdf' : 'docx';
      return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(fixture(`003.${ext}`));
    }
    res.writeHead(404).end();
  };
  const site = await startSite(homePage(who, '/col/col1234/index.html', 'alt'), fallback);
  const config = configOf(who, site, 'hanweb', { url: '/col/col1234/index.html' });
  return county(site, config, reports, listed);
}

export interface Obstacles {
  /** 429 for every request after this many in a row, until one is refused */
  burst?: number;
  /** the first answer to each detail page is a 500 */
  flaky?: boolean;
  /** the reports (by index) whose detail pages answer only after `SLOW_MS` */
  slow?: number[];
  /** a 521 challenge whose script sets the cookie that lets a request through */
  challenge?: boolean;
  /** the config opts in to fetching through the browser */
  browser?: boolean;
}

/** Longer than any fetcher's timeout in the tests: an answer the fetcher gives up on. */
const SLOW_MS = 30_000;

/** VSB: a list counting down (zfxxgknb.htm, zfxxgknb/3.htm … 1.htm), #vsb_content details; rate limits and 500s on demand. */
export async function vsbCounty(reports: Published[], { who = XIANGCHENG, perPage = 3, obstacles = {} }: SiteOptions = {}): Promise<County> {
  const listed = new Set(reports.map((_, i) => i));
  let streak = 0;
  const items = () => reports.map((r, i) => ({ r, i })).filter((x) => listed.has(x.i));
  const list = (n: number) => {
    const all = items();
    const pages = Math.max(1, Math.ceil(all.length / perPage));
    // page 1 is zfxxgknb.htm; page k (k ≥ 2) is zfxxgknb/(pages - k + 1).htm
    const k = n === 0 ? 1 : pages - n + 1;
    const rows = all
      .slice((k - 1) * perPage, k * perPage)
      .map(({ r, i }) => `<li><a href="${n === 0 ? '../info' : '../../info'}/1012/${7000 + i}.htm" title="${r.agency}${r.year}年政府信息公开工作年度报告">${r.agency}${r.year}年政府信息公开…</a><span>${listDate(r, `2${i % 9}`)}</span></li>`)
      .join('\n');
    // page 1 links into its folder, the pages there to each other
    const dir = n === 0 ? 'zfxxgknb/' : '';
    const next = k < pages ? `<span class="p_next p_fun"><a href="${dir}${pages - k}.htm">下页</a></span><span class="p_last p_fun"><a href="${dir}1.htm">尾页</a></span>` : '';
    return `<html><head><link rel="stylesheet" href="/_sitegray/_sitegray_d.css"></head><body><div class="list"><ul>${rows}</ul></div><span class="p_pages">${next}</span><span class="p_t">${k}/${pages}</span></body></html>`;
  };
  const fallback: Handler = (req, res, hit) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (obstacles.burst !== undefined && ++streak > obstacles.burst) {
      streak = 0;
      return res.writeHead(429, { 'retry-after': '0' }).end();
    }
    if (path === '/xxgk/zfxxgknb.htm') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(list(0));
    const pg = /^\/xxgk\/zfxxgknb\/(\d+)\.htm$/.exec(path);
    if (pg) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(list(Number(pg[1])));
    const info = /^\/info\/1012\/(\d+)\.htm$/.exec(path);
    if (info) {
      const i = Number(info[1]) - 7000;
      const r = reports[i];
      if (!r) return res.writeHead(404).end();
      if (obstacles.flaky && hit === 1) return res.writeHead(500).end();
      const answer = () => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(r).replace('class="TRS_Editor"', 'id="vsb_content"'));
      if (!obstacles.slow?.includes(i)) return answer();
      // the answer comes too late for the fetcher, which has hung up by then
      setTimeout(() => res.destroyed || answer(), SLOW_MS).unref();
      return;
    }
    res.writeHead(404).end();
  };
  const site = await startSite(homePage(who, '/xxgk/zfxxgknb.htm', 'image'), fallback);
  const config = configOf(who, site, 'vsb', { url: '/xxgk/zfxxgknb.htm' }, { retries: 2 });
  return county(site, config, reports, listed);
}

/** A plain site paged by 下一页 links whose last page links to itself again; it can move to a new address. */
export async function nextLinkCounty(reports: Published[], { who = YUZHOU, perPage = 2 }: SiteOptions = {}): Promise<County & { moveTo(url: string): void }> {
  const listed = new Set(reports.map((_, i) => i));
  let movedTo: string | null = null;
  const fallback: Handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (movedTo) return res.writeHead(301, { location: movedTo + url.pathname + url.search }).end();
    // the home page's navigation names the column among others
    if (url.pathname === '/') {
      return res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<html><body><ul class="nav"><li><a href="/zwgk/">政务公开</a></li><li><a href="/gzbg/">政府工作报告</a></li><li><a href="/nb/list.html">政府信息公开年报</a></li></ul></body></html>`);
    }
    if (url.pathname === '/nb/list.html') {
      const n = Number(url.searchParams.get('p') ?? 1);
      const all = reports.map((r, i) => ({ r, i })).filter((x) => listed.has(x.i));
      const pages = Math.max(1, Math.ceil(all.length / perPage));
      const k = Math.min(n, pages);
      const rows = all
        .slice((k - 1) * perPage, k * perPage)
        .map(({ r, i }) => `<li><a href="/nb/${8000 + i}.html">${r.agency}${r.year}年政府信息公开工作年度报告</a><span>${listDate(r, '30')}</span></li>`)
        .join('');
      // the last page's 下一页 asks for a page past the end, which repeats the last page
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<html><body><ul>${rows}</ul><a href="/nb/list.html?p=${n + 1}">下一页</a></body></html>`);
    }
    const d = /^\/nb\/(\d+)\.html$/.exec(url.pathname);
    const r = d ? reports[Number(d[1]) - 8000] : undefined;
    if (r) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(r));
    res.writeHead(404).end();
  };
  const site = await startSite({}, fallback);
  const config = configOf(who, site, 'generic', { url: '/nb/list.html', list: { item: 'ul li' } });
  return { ...county(site, config, reports, listed), moveTo: (u) => (movedTo = u) };
}

/** Henan's sitesources platform: list1.html, list2.html … with the page count in script.json; article<hex>.html details. */
export async function sitesourcesCounty(reports: Published[], { who = CHANGGE, perPage = 3 }: SiteOptions = {}): Promise<County> {
  const listed = new Set(reports.map((_, i) => i));
  const hex = (i: number) => (0x1a2b3c00 + i).toString(16).padStart(32, '0');
  const all = () => reports.map((r, i) => ({ r, i })).filter((x) => listed.has(x.i));
  const fallback: Handler = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const base = '/sitesources/cgs/page_pc/zwgk/zfxxgknb/';
    if (path === `${base}script.json`) return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ endPage: Math.max(1, Math.ceil(all().length / perPage)) }));
    const list = new RegExp(`^${base}list(\\d+)\\.html$`).exec(path);
    if (list) {
      const n = Number(list[1]);
      const rows = all()
        .slice((n - 1) * perPage, n * perPage)
        .map(({ r, i }) => `<li><a href="${base}article${hex(i)}.html" title="${r.agency}${r.year}年政府信息公开工作年度报告">${r.agency}${r.year}年政府信息公开工作年度报告</a><span>${listDate(r, '22')}</span></li>`)
        .join('');
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<html><body><ul class="hap_infoBox">${rows}</ul></body></html>`);
    }
    const art = new RegExp(`^${base}article([0-9a-f]{32})\\.html$`).exec(path);
    const r = art ? reports[parseInt(art[1]!, 16) - 0x1a2b3c00] : undefined;
    if (r) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(r).replace('class="TRS_Editor"', 'class="hap_xq_content"'));
    res.writeHead(404).end();
  };
  const site = await startSite(homePage(who, '/sitesources/cgs/page_pc/zwgk/zfxxgknb/list1.html', 'hub'), fallback);
  return county(site, configOf(who, site, 'sitesources', { url: '/sitesources/cgs/page_pc/zwgk/zfxxgknb/list1.html' }), reports, listed);
}

/** 平顶山's platform: channels/<id>.html, channels/<id>_2.html … with "1/N" in .page-info; contents/<col>/<id>.html details. */
export async function pdsCounty(reports: Published[], { who = YEXIAN, perPage = 3 }: SiteOptions = {}): Promise<County> {
  const listed = new Set(reports.map((_, i) => i));
  const all = () => reports.map((r, i) => ({ r, i })).filter((x) => listed.has(x.i));
  const fallback: Handler = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const list = /^\/channels\/20091(?:_(\d+))?\.html$/.exec(path);
    if (list) {
      const n = list[1] ? Number(list[1]) : 1;
      const pages = Math.max(1, Math.ceil(all().length / perPage));
      const rows = all()
        .slice((n - 1) * perPage, n * perPage)
        .map(({ r, i }) => `<li><a href="/contents/20091/${583000 + i}.html">${r.agency}${r.year}年政府信息公开工作年度报告</a><span>${listDate(r, '24')}</span></li>`)
        .join('');
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<html><body><ul class="content_list">${rows}</ul><div class="page-info">${n}/${pages}</div></body></html>`);
    }
    const c = /^\/contents\/20091\/(\d+)\.html$/.exec(path);
    const r = c ? reports[Number(c[1]) - 583000] : undefined;
    if (r) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(r).replace('class="TRS_Editor"', 'class="article-details"'));
    res.writeHead(404).end();
  };
  const site = await startSite(homePage(who, '/channels/20091.html', 'text'), fallback);
  return county(site, configOf(who, site, 'pds', { url: '/channels/20091.html' }), reports, listed);
}

const DENGFENG: Who = { id: 'henan.zhengzhou.dengfeng', name: '登封市人民政府', regionCode: '410185' };

/**
 * A site whose list is written by its script from list.json (a plain fetch sees an empty
 * list), optionally behind a Jiasule-like 521 challenge: every answer is the challenge
 * until the request carries the cookie the challenge's script computes.
 */
export async function scriptCounty(reports: Published[], { who = DENGFENG, obstacles = {} }: SiteOptions = {}): Promise<County> {
  const listed = new Set(reports.map((_, i) => i));
  const [a, b] = [37 + reports.length, 113];
  const clearance = `${a * b}`;
  const fallback: Handler = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (obstacles.challenge && !(req.headers.cookie ?? '').split(/;\s*/).includes(`__jsl_clearance=${clearance}`)) {
      return res
        .writeHead(521, { 'content-type': 'text/html', 'set-cookie': '__jsluid_h=5e1f; path=/; HttpOnly' })
        .end(`<html><body><script>document.cookie=('__jsl_clearance='+(${a}*${b})+';path=/');location.href=location.pathname+location.search</script></body></html>`);
    }
    if (path === '/xxgk/nb/index.html') {
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<html><head><title>政府信息公开年报_${who.name}</title></head><body><ul class="list"></ul>
<script>fetch('list.json').then(function (r) { return r.json(); }).then(function (items) {
  document.querySelector('ul.list').innerHTML = items.map(function (x) { return '<li><a href="' + x.url + '" title="' + x.title + '">' + x.title + '</a><span>' + x.date + '</span></li>'; }).join('');
});</script></body></html>`);
    }
    if (path === '/xxgk/nb/list.json') {
      const items = reports.map((r, i) => ({ i, r })).filter((x) => listed.has(x.i)).map(({ r, i }) => ({ title: `${r.agency}${r.year}年政府信息公开工作年度报告`, url: `/xxgk/nb/${9000 + i}.html`, date: listDate(r, '26') }));
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(items));
    }
    const d = /^\/xxgk\/nb\/(\d+)\.html$/.exec(path);
    const r = d ? reports[Number(d[1]) - 9000] : undefined;
    if (r) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(r));
    res.writeHead(404).end();
  };
  const site = await startSite(homePage(who, '/xxgk/nb/index.html', 'text'), fallback);
  const config = configOf(who, site, 'generic', { url: '/xxgk/nb/index.html', list: { item: 'ul.list li' }, pagination: { type: 'none' } }, obstacles.browser ? { browser: true } : {});
  return county(site, config, reports, listed);
}

/** A sub-column of a 年报 column: its folder under the column, its name, its reports. */
export interface Column {
  /** e.g. `bmxxgknb/` or `bmxxgknb/czj/`: a column links to the columns one folder below it */
  path: string;
  label: string;
  reports: Published[];
  /** titles that name no unit ("2024年政府信息公开工作年度报告"): the column's name is the unit */
  bare?: boolean;
  /** titles that name no year: the column's name is the year */
  yearless?: boolean;
  /** detail pages without the usual container, their unit and date only in `<meta>` and the info line */
  metaOnly?: boolean;
}

const DENGFENG_TREE: Who = { id: 'henan.zhengzhou.dengfeng.tree', name: '登封市人民政府', regionCode: '410185' };

/**
 * A TRS site whose 年报 column lists the government's own reports and links to sub-columns
 * (部门, 乡镇, a year, a department's own column below 部门), among navigation links that
 * are no sub-columns (政务公开, 政府工作报告, the reports themselves).
 */
export async function treeCounty(root: Published[], columns: Column[], { who = DENGFENG_TREE }: SiteOptions = {}): Promise<County & { columns: Column[] }> {
  const base = '/zwgk/zfxxgknb/';
  const all: Array<{ r: Published; column: Column | null }> = [...root.map((r) => ({ r, column: null })), ...columns.flatMap((c) => c.reports.map((r) => ({ r, column: c })))];
  const title = (r: Published, c: Column | null) => `${c?.bare ? '' : r.agency}${c?.yearless ? '' : `${r.year}年`}政府信息公开工作年度报告`;
  const listPage = (path: string) => {
    const here = columns.find((c) => c.path === path) ?? null;
    const rows = all
      .map((x, id) => ({ ...x, id }))
      .filter((x) => x.column === here)
      .map(({ r, column, id }) => `<tr><td><a href="${base}${r.year + 1}01/t${r.year + 1}0120_${2000 + id}.html" title="${title(r, column)}">${title(r, column)}</a></td>${column?.metaOnly ? '' : `<td>${listDate(r, '21')}</td>`}</tr>`)
      .join('\n');
    const below = columns.filter((c) => c.path.startsWith(path) && c.path.slice(path.length).split('/').filter(Boolean).length === 1);
    const nav = below.map((c) => `<li><a href="${base}${c.path}index.html">${c.label}</a></li>`).join('');
    return `<html><head><title>政府信息公开年报_${who.name}</title></head><body>
<div class="top"><a href="/zwgk/index.html">政务公开</a> <a href="/xwzx/index.html">新闻中心</a> <a href="${base}gzbg/index.html">政府工作报告</a></div>
<ul class="sub-column">${nav}</ul><table class="gl_list">${rows}</table><script>createPageHTML(1, 0, 'index', 'html');</script></body></html>`;
  };
  const detail = (id: number) => {
    const { r, column } = all[id]!;
    const m = r.year <= 2020 ? model2019() : baseModel();
    m.title = title(r, column);
    r.change?.(m.values);
    const html = renderHtml(m);
    if (!column?.metaOnly) return html;
    // another template: no TRS_Editor, no PubDate; the unit only as ContentSource, the date only in the info line
    return html
      .replace('class="TRS_Editor"', 'class="zw-text"')
      .replace(/<meta name="PubDate"[^>]*>/, `<meta name="ContentSource" content="${r.agency}"><meta name="ColumnName" content="${column.label}">`)
      .replace('<h1 class="title">', `<div class="info">发布时间：${r.year + 1}-02-14</div><h1 class="title">`);
  };
  const fallback: Handler = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const list = new RegExp(`^${base}((?:[a-z0-9]+/)*)index\\.html$`).exec(path);
    if (list && (list[1] === '' || columns.some((c) => c.path === list[1]))) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(listPage(list[1]!));
    const d = new RegExp(`^${base}\\d{6}/t\\d{8}_(\\d+)\\.html$`).exec(path);
    if (d && all[Number(d[1]) - 2000]) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(detail(Number(d[1]) - 2000));
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body>404</body></html>');
  };
  const site = await startSite({}, fallback);
  // the preset finds the sub-columns among all the page's links
  const config = configOf(who, site, 'trs', { url: `${base}index.html`, children: { depth: 2 } });
  return { ...county(site, config, all.map((x) => x.r), new Set()), columns };
}

const XINAN: Who = { id: 'henan.luoyang.xinan', name: '新安县人民政府', regionCode: '410323' };

/**
 * A portal whose departments and townships each have an 信息公开 page of their own with its
 * own 年报 (ndbg) column, as 集约化 portals keep them: the departments listed on a 部门信息公开
 * directory page, the townships only in the directory's script (a JS array of their roots to
 * which the template appends `ndbg/index.html`); the government's own 年报 column on the
 * 政务公开 page. The home page links only 政务公开.
 */
export async function directoryCounty(government: Published[], departments: Record<string, Published[]>, townships: Record<string, Published[]>, { who = XINAN }: SiteOptions = {}): Promise<County> {
  const lists: Record<string, Published[]> = { '/zwgk/zfxxgknb/': government };
  Object.values(departments).forEach((rs, i) => (lists[`/zwgk/bm/u${i}/ndbg/`] = rs));
  Object.values(townships).forEach((rs, i) => (lists[`/zwgk/xz/u${i}/ndbg/`] = rs));
  const all = Object.entries(lists).flatMap(([dir, rs]) => rs.map((r) => ({ dir, r })));
  const ok = (body: string): Handler => (_q, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  const routes: Record<string, Handler> = {
    ...homePage(who, '/zwgk/index.html', 'hub'),
    '/zwgk/index.html': ok(`<html><body><ul class="gk-nav"><li><a href="/zwgk/xxgkzn/index.html">政府信息公开指南</a></li><li><a href="/zwgk/zfxxgknb/index.html">政府信息公开年报</a></li><li><a href="/zwgk/bm/index.html">部门信息公开</a></li><li><a href="/zwgk/xz/index.html">乡镇信息公开</a></li></ul>
<ul class="news"><li><a href="/zwgk/tzgg/2025-01-02/1.html">新安县财政局关于2024年度预算执行情况的公告</a></li></ul></body></html>`),
    '/zwgk/bm/index.html': ok(`<html><body><ul class="units">${Object.keys(departments).map((name, i) => `<li><a href="/zwgk/bm/u${i}/index.html">${name}</a></li>`).join('')}</ul></body></html>`),
    '/zwgk/xz/index.html': ok(`<html><body><ul id="units"></ul><script>var units = [${Object.keys(townships).map((name, i) => `{"name": "${name}", "url": "/zwgk/xz/u${i}/"}`).join(', ')}];
for (var i = 0; i < units.length; i++) document.getElementById('units').innerHTML += '<li><a href="' + units[i].url + 'ndbg/index.html">' + units[i].name + '</a></li>';</script></body></html>`),
  };
  Object.keys(departments).forEach((name, i) => {
    routes[`/zwgk/bm/u${i}/index.html`] = ok(`<html><body><h2>${name}</h2><ul><li><a href="xxgkzn/index.html">信息公开指南</a></li><li><a href="ndbg/index.html">政府信息公开年报</a></li><li><a href="zcwj/index.html">政策文件</a></li></ul></body></html>`);
  });
  for (const [dir, rs] of Object.entries(lists)) {
    routes[`${dir}index.html`] = ok(
      `<html><body><div class="list"><ul>${rs.map((r) => `<li><a href="${dir}${all.findIndex((x) => x.r === r) + 100}.html">${r.agency}${r.year}年政府信息公开工作年度报告</a><span>${listDate(r, '15')}</span></li>`).join('')}</ul></div></body></html>`,
    );
  }
  const fallback: Handler = (req, res) => {
    const d = /\/(\d+)\.html$/.exec(req.url ?? '');
    const x = d ? all[Number(d[1]) - 100] : undefined;
    if (x && req.url === `${x.dir}${d![1]}.html`) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(x.r));
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body>404</body></html>');
  };
  const site = await startSite(routes, fallback);
  return county(site, configOf(who, site, 'generic', { url: '/' }), all.map((x) => x.r), new Set());
}
