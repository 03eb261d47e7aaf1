// A site walked from its start page to every report its lists hold: the start page's 年报
// columns (else its 信息公开 pages, their 部门/乡镇 directories and each unit's own page, a
// few levels at most), every column's sub-columns, every page of every list as its pager
// tells, and on each page the reports found by what they are (the preset's selectors, when
// a site needs them, only add to what is found). Everything is bounded — pages per list,
// lists, navigation pages, bytes of a list page, reports — and every bound met is noted.
import * as cheerio from 'cheerio';
import { walkable } from './depth.js';
import { yearOf } from '../parser/meta.js';
import type { Entry, SiteConfig } from './config.js';
import { classifyTitle, columnKey, columnLinks, folderOf, hubLinks, jsonItems, nextOf, pagerOf, reportLinks, scriptedColumns, scriptEndpoints, UNIT_NAME, type Found, type How, type Refused } from './discover.js';
import type { Conditional, Fetched, Page } from './fetch.js';
import { candidates, furtherPages, readList, subColumns, type Candidate, type ListItem } from './list.js';

export type Get = (url: string, opts?: { referer?: string; conditional?: Conditional; maxBytes?: number }) => Promise<Fetched>;

/** A list page larger than this is no list (a real one is well under a megabyte). */
export const LIST_MAX_BYTES = 4 * 1024 * 1024;
/** lists (columns and sub-columns) walked in one run: a site whose links go round in circles stops here */
export const MAX_LISTS = 200;
/** pages fetched to find the columns (信息公开 pages, directories, units' pages) */
export const MAX_NAVIGATION = 40;
/** report candidates taken in one run */
export const MAX_REPORTS = 3000;
/** JSON endpoints asked per list page */
const MAX_ENDPOINTS = 3;

export interface Column extends Found {
  pages: number;
  /** reports it lists (also those another list holds) */
  reports: number;
  /** records its pager says it holds */
  total: number | null;
}

export interface Walk {
  /** by canonical address */
  found: Map<string, Candidate & { referer: string }>;
  refused: Refused[];
  columns: Column[];
  /** report-like items seen on lists (taken or refused), by address */
  listed: number;
  /** pages fetched to list the reports: navigation, list pages, JSON a list's script asks for */
  pages: number;
  listsComplete: boolean;
  blocked: boolean;
  errors: Record<string, number>;
  notes: string[];
}

type Kind = 'start' | 'hub' | 'unit' | 'column';

interface Job {
  entry: Entry;
  kind: Kind;
  depth: number;
  found: Found;
}

function errorKey(f: Exclude<Fetched, Page>): string {
  return f.kind === 'blocked' ? `blocked:${f.waf}` : f.error;
}

/** The part of a host name a site's own sub-sites share (hnhx.gov.cn for caizhengju.hnhx.gov.cn). */
function siteDomain(host: string): string {
  const name = host.replace(/:\d+$/, '');
  if (/^[\d.]+$/.test(name) || !name.includes('.')) return host;
  const labels = name.split('.');
  return labels.slice(/\.(gov|edu|com|org|net)\.cn$/.test(name) ? -3 : -2).join('.');
}

/** Which addresses are the site's own, one spelling of each (an alias's address as the site's), and the new address a site moved to. */
export function siteScope(config: SiteConfig): { own: (u: URL) => boolean; canon: (url: string) => string; adopt: (host: string) => void } {
  const base = new URL(config.baseUrl);
  const aliases = config.aliases.map((a) => new URL(a).host);
  const www = base.host.startsWith('www.') ? base.host.slice(4) : `www.${base.host}`;
  const names = new Set([www, ...aliases]);
  const hosts = new Set([base.host, ...names]);
  const domains = new Set([base.host, ...aliases].map(siteDomain));
  const own = (u: URL) => hosts.has(u.host) || [...domains].some((d) => u.host === d || u.host.endsWith(`.${d}`));
  const canon = (url: string) => {
    const u = new URL(url);
    u.hash = '';
    if (names.has(u.host)) {
      u.protocol = base.protocol;
      u.host = base.host;
    }
    return u.href;
  };
  return { own, canon, adopt: (host) => hosts.add(host) };
}

export async function walkSite(config: SiteConfig, get: Get, opts: { browser?: boolean } = {}): Promise<Walk> {
  const w: Walk = { found: new Map(), refused: [], columns: [], listed: 0, pages: 0, listsComplete: true, blocked: false, errors: {}, notes: [] };
  const count = (key: string) => (w.errors[key] = (w.errors[key] ?? 0) + 1);
  const { own, canon, adopt } = siteScope(config);
  const listedKeys = new Set<string>();
  const refusedKeys = new Set<string>();
  const jobs: Job[] = config.entries.map((entry) => ({ entry, kind: 'start', depth: 0, found: { url: entry.url, label: entry.label ?? entry.id, how: '站点配置' as How } }));
  const queued = new Set(jobs.map((j) => columnKey(j.found.url)));
  let navigation = 0;
  let lists = 0;
  const bounds = new Set<string>();
  const bound = (note: string) => {
    if (!bounds.has(note)) w.notes.push(note);
    bounds.add(note);
  };
  const enqueue = (job: Job) => {
    const key = columnKey(job.found.url);
    if (queued.has(key)) return;
    if (job.kind === 'column' ? lists >= MAX_LISTS : navigation >= MAX_NAVIGATION) {
      bound(job.kind === 'column' ? `栏目超过 ${MAX_LISTS} 个，其余未抓取` : `为找栏目已看了 ${MAX_NAVIGATION} 个导航页，其余未看`);
      return;
    }
    if (job.kind === 'column') lists++;
    else navigation++;
    queued.add(key);
    jobs.push(job);
  };

  for (let k = 0; k < jobs.length; k++) {
    const job = jobs[k]!;
    const { entry } = job;
    const column: Column = { ...job.found, pages: 0, reports: 0, total: null };
    const queue = [job.found.url];
    const visited = new Set<string>();
    const pageSets = new Set<string>();
    const max = entry.pagination.maxPages;
    for (let i = 0; i < queue.length; i++) {
      if (i >= max) {
        w.notes.push(`列表 ${column.label} 超过 ${max} 页，只读了前 ${max} 页`);
        break;
      }
      const url = queue[i]!;
      if (visited.has(url)) continue;
      visited.add(url);
      const f = await get(url, { referer: i ? job.found.url : undefined, maxBytes: LIST_MAX_BYTES });
      w.pages++;
      if (f.kind !== 'ok') {
        count(errorKey(f));
        if (f.kind === 'blocked') w.blocked = true;
        w.notes.push(`${job.kind === 'column' || job.kind === 'start' ? '列表' : '导航页'} ${url}：${f.kind === 'blocked' ? `被网站防护拦截（${f.waf}）` : f.detail}`);
        if (i === 0 && (job.kind === 'column' || job.kind === 'start')) w.listsComplete = false;
        // a page of a list that fails leaves the others to be read; the first one ends the list
        if (i === 0) break;
        continue;
      }
      column.pages++;
      const text = f.text ?? '';
      const at = f.finalUrl;
      if (!walkable(text)) {
        count('too_deep');
        w.notes.push(`${job.kind === 'column' || job.kind === 'start' ? '列表' : '导航页'} ${url}：网页元素嵌套过深，不是正常网页，未读取`);
        if (i === 0 && (job.kind === 'column' || job.kind === 'start')) w.listsComplete = false;
        if (i === 0) break;
        continue;
      }
      if (i === 0 && job.kind === 'start' && new URL(at).host !== new URL(url).host) {
        w.notes.push(`列表已迁移：${url} → ${at}（请更新站点配置）`);
        adopt(new URL(at).host);
      }
      const inColumn = job.kind === 'column' || /年报|年度报告/.test(job.found.label);
      const found = reportLinks(text, at, { inColumn, own });
      // the preset's or the config's selectors, for a site that needs them: what they find is judged alike
      const byPreset = readList(text, at, entry.list).filter((x) => !found.items.some((y) => y.url === x.url));
      let items: ListItem[] = [...found.items, ...byPreset];
      if (i === 0 && !items.length) {
        for (const ep of scriptEndpoints(text, at).slice(0, MAX_ENDPOINTS)) {
          const j = await get(ep, { referer: at, maxBytes: LIST_MAX_BYTES });
          w.pages++;
          if (j.kind !== 'ok' || !j.text) continue;
          const got = jsonItems(j.text, at).filter((x) => own(new URL(x.url)));
          if (got.length) w.notes.push(`列表 ${column.label} 的条目由脚本从 ${ep} 取得`);
          items.push(...got);
        }
      }
      const taken = candidates(items, entry).filter((c) => own(new URL(c.url)) || (w.refused.push({ title: c.title, url: c.url, reason: '站外链接' }), false));
      for (const r of found.refused) {
        const key = canon(r.url);
        if (refusedKeys.has(key) || queued.has(columnKey(r.url))) continue;
        refusedKeys.add(key);
        w.refused.push(r);
      }
      for (const x of items) {
        if (taken.some((c) => c.url === x.url)) continue;
        const key = canon(x.url);
        if (refusedKeys.has(key)) continue;
        refusedKeys.add(key);
        const v = classifyTitle(x.title, true);
        if (!v.report && !/报告|年报|工作总结|工作要点/.test(x.title)) continue;
        w.refused.push({ title: x.title, url: x.url, reason: v.report ? '站点配置的标题条件不符' : v.reason });
      }
      const seenHere = [...taken.map((c) => c.url), ...found.refused.filter((r) => /\d/.test(r.title)).map((r) => r.url)];
      for (const u of seenHere) listedKeys.add(canon(u));
      // a page that shows nothing new, or only what a page before it showed, ends its list
      const key = seenHere.slice().sort().join('\n');
      if (i > 0 && (!seenHere.length || pageSets.has(key))) {
        if (seenHere.length) w.notes.push(`列表 ${column.label} 第 ${i + 1} 页与前页相同，分页到此为止`);
        continue;
      }
      pageSets.add(key);
      for (const c of taken) {
        const id = canon(c.url);
        if (w.found.has(id) || queued.has(columnKey(c.url))) continue;
        if (w.found.size >= MAX_REPORTS) {
          bound(`年度报告超过 ${MAX_REPORTS} 份，其余未取`);
          break;
        }
        // an alias's address is the site's: fetched where the site is reached
        w.found.set(id, { ...c, url: id, referer: at });
      }
      column.reports += taken.length;
      const $ = cheerio.load(text);
      if (i === 0) {
        // the columns this page leads to: 年报 columns anywhere, sub-columns in a column's folder
        const here = job.kind === 'column' || taken.length ? folderOf(new URL(at)) : null;
        const next: Found[] = [...columnLinks($, at, own, here), ...scriptedColumns(text, at, own)];
        for (const c of subColumns(text, at, entry, [new URL(at).host, new URL(config.baseUrl).host])) next.push({ ...c, how: '站点配置' });
        for (const c of next) enqueue({ entry: sub(entry, { ...c, url: canon(c.url) }, jobs.length), kind: 'column', depth: job.depth + 1, found: { ...c, url: canon(c.url) } });
        // the pages that lead towards the columns, a few levels deep: the 部门/乡镇 directories
        // and on them each unit's own page always, the 信息公开 pages when nothing was found here
        if (job.kind !== 'column' && job.kind !== 'unit' && job.depth < 3) {
          for (const h of hubLinks($, at, own, job.found.how === '部门乡镇目录')) {
            if (h.how === '信息公开导航' && (next.length || taken.length)) continue;
            enqueue({ entry, kind: h.how === '单位信息公开页' ? 'unit' : 'hub', depth: job.depth + 1, found: { ...h, url: canon(h.url) } });
          }
        }
        if (job.kind !== 'hub' && job.kind !== 'unit' && !seenHere.length && !found.refused.length && !next.length) w.notes.push(`列表 ${at} 中没有任何条目${opts.browser ? '' : '（列表若由脚本生成，可在站点配置中设 fetch.browser）'}`);
      }
      // a list's pager, not a navigation page's or a home page's news pager
      const isList = job.kind === 'column' || (job.kind === 'start' && (taken.length > 1 || new URL(at).pathname !== '/'));
      if (!isList || (!seenHere.length && job.kind !== 'column')) continue;
      // the list's further pages, from whatever the page prints of its pager
      const pager = pagerOf(text, at, max);
      const more = [...pager.urls, ...(i === 0 ? furtherPages(text, at, entry) : [])];
      const next = nextOf(text, at);
      if (next) more.push(next);
      if (i === 0 && /\/list1\.html$/.test(new URL(at).pathname)) {
        // the sitesources platform keeps its page count in script.json beside the list
        const j = await get(new URL('script.json', at).href, { referer: at });
        w.pages++;
        const end = j.kind === 'ok' ? Number(/"endPage"\s*:\s*(\d+)/.exec(j.text ?? '')?.[1] ?? 1) : 1;
        for (let n = 2; n <= Math.min(end, max); n++) more.push(new URL(`list${n}.html`, at).href);
      }
      for (const u of more.map(canon)) if (!visited.has(u) && !queue.includes(u)) queue.push(u);
      if (i === 0 && pager.total !== null) column.total = pager.total;
    }
    if (job.kind === 'column' || job.kind === 'start') w.columns.push(column);
  }
  w.listed = listedKeys.size;
  // the same unit's report of one year under two addresses: both are taken, and said so
  const twice = new Map<string, number>();
  for (const c of w.found.values()) if (c.unit && c.year) twice.set(`${c.unit} ${c.year}`, (twice.get(`${c.unit} ${c.year}`) ?? 0) + 1);
  for (const [k, n] of twice) if (n > 1) w.notes.push(`${k} 年度报告在列表中出现 ${n} 次（地址不同，各取一次）`);
  return w;
}

/** A found column as a list of its own: the parent's list and filters, the year or unit its name says. */
function sub(entry: Entry, c: Found, n: number): Entry {
  const year = yearOf(c.label) ?? (/^((?:19|20)\d{2})\s*n?$/.exec(c.label) ? Number(c.label.slice(0, 4)) : null);
  // a column named after its unit (登封市水利局), not after a kind of unit or a year
  const unitName = UNIT_NAME.test(c.label) && !/部门|乡镇|各|信息公开|年报|报告|本级|(?:19|20)\d{2}/.test(c.label) ? c.label : undefined;
  return {
    ...entry,
    id: `${entry.id}/${n}`,
    label: c.label,
    url: c.url,
    year: year ?? entry.year,
    unit: unitName && entry.unit.type === 'auto' ? { type: 'auto', name: unitName } : entry.unit,
    children: entry.children && entry.children.depth > 1 ? { ...entry.children, depth: entry.children.depth - 1 } : undefined,
  };
}
