// Reports, columns and pagers found on any page by what they are, not by a family's markup:
// a report is a link whose text or title names an annual report of a year; a 年报 column is
// a link named so (in its text, its title, its image's alt or file name) or shaped so (its
// address); a pager is whatever the page prints to reach its other pages (createPageHTML,
// numbered and 下一页/尾页 links, EmpireCMS "Total record", page counts in scripts, Hanweb's
// datastore proxy) and the JSON endpoints a script template asks for its items. Each thing
// found says how it was found; each report-like link refused says why.
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { normaliseDate, type ListItem } from './list.js';

export type Verdict = { report: true } | { report: false; reason: string };

/** Titles that are something else than a report, whatever else they say, with the reason kept. */
const REFUSE: Array<[RegExp, string]> = [
  [/编制.{0,4}公布|报告编制/, '报告编制公布工作总结'],
  [/工作总结|总结报告/, '工作总结'],
  [/工作要点/, '工作要点'],
  [/^关于.*的?函$|的函$/, '关于…的函'],
  [/通知|通报|公告$/, '通知'],
  [/指南|目录|制度|规定|办法|清单|意见|方案|解读|一图读懂|图解|考核|测评|评估|决算|预算|统计公报|统计年报/, '不是年度报告'],
];
/** What an annual report on information disclosure calls itself. */
const NAMES = /(?:信息|政务)(?:与|和|及)?(?:政务)?公开(?:工作)?(?:年度)?(?:报告|年报)|信息(?:公开)?(?:工作)?年度报告|公开.{0,8}年度报告|信息公开年报/;
/** In a 年报 column, a bare "2023年度报告" is one too. */
const BARE = /年度报告|年报/;
const YEAR = /(?:19|20)\d{2}|[〇零一二][〇零○一二三四五六七八九]{3}|[上本]年度/;
/** A title that names its unit first (登封市审计局政府信息公开工作年度报告): a report of a year column, without a year of its own. */
const UNIT_FIRST = /^[\u4e00-\u9fa5（）()]{2,30}?(?:局|委员会|委|办公室|办|院|人民政府|镇|乡|街道|中心|管委会|公司)(?:政府|政务)?信息/;
/** Words that make a link report-like enough that its refusal is worth recording. */
const REPORTISH = /报告|年报|工作总结|工作要点/;

const squeeze = (s: string) => s.replace(/[\s\u3000]+/g, '');

/** Whether a link's title names an annual report, or why not. */
export function classifyTitle(title: string, inColumn = false): Verdict {
  const t = squeeze(title);
  if (/政府工作(?:报告|年报)/.test(t) && !/信息公开|政务公开/.test(t)) return { report: false, reason: '政府工作报告' };
  for (const [re, reason] of REFUSE) if (re.test(t)) return { report: false, reason };
  if (!NAMES.test(t) && !(inColumn && BARE.test(t))) return { report: false, reason: '标题不是年度报告' };
  if (!YEAR.test(t) && !(inColumn && UNIT_FIRST.test(t))) return { report: false, reason: '没有年度（栏目或导航链接）' };
  return { report: true };
}

export interface Refused {
  title: string;
  url: string;
  reason: string;
}

/** A link's name: its text, the fuller title beside a truncated text, else its image's alt. */
function nameOf($: cheerio.CheerioAPI, a: Element): string {
  const text = $(a).text().replace(/\s+/g, ' ').trim();
  const title = ($(a).attr('title') ?? '').replace(/\s+/g, ' ').trim();
  if (title && (!text || title.length > text.replace(/(?:…|\.\.\.)+$/, '').length) && squeeze(title).startsWith(squeeze(text).replace(/(?:…|\.\.\.)+$/, '').slice(0, 4))) return title;
  if (text) return text;
  if (title) return title;
  return ($(a).find('img').attr('alt') ?? '').replace(/\s+/g, ' ').trim();
}

/** The date printed next to a link: in its own item (li, dd, tr…) when the item holds only it, else just after it. */
function dateBeside($: cheerio.CheerioAPI, a: Element): string | null {
  let node: AnyNode = a;
  for (let up = 0; up < 3 && node.parent; up++) {
    const parent = node.parent as Element;
    if (parent.type !== 'tag' || /^(body|html|ul|ol|table|tbody|dl)$/.test(parent.name)) break;
    if ($(parent).find('a').length > 1) {
      // several links in one box: only what follows this link, up to the next one
      let text = '';
      for (let n = node.nextSibling; n && text.length < 80; n = n.nextSibling) {
        if (n.type === 'tag' && ((n as Element).name === 'a' || $(n).find('a').length)) break;
        text += $(n).text();
      }
      return normaliseDate(text);
    }
    const d = normaliseDate($(parent).text().slice(0, 400));
    if (d) return d;
    node = parent;
  }
  return normaliseDate($(a).text());
}

/** Hanweb keeps a list's first records as CDATA in a <script type="text/xml">, out of the DOM's reach. */
export function datastoreHtml(text: string): string {
  return [...text.matchAll(/<record>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/record>/g)].map((m) => m[1]!).join('\n');
}

export interface PageLink {
  url: URL;
  name: string;
  el: Element;
}

/** Every followable link of a page, with its name; at most `cap` (a page of thousands of links is cut, not choked on). */
export function linksOf($: cheerio.CheerioAPI, pageUrl: string, cap = 3000): PageLink[] {
  const out: PageLink[] = [];
  $('a[href]').each((i, el) => {
    if (i >= cap) return false;
    const href = ($(el).attr('href') ?? '').trim();
    if (!href || /^(javascript|mailto|tel):/i.test(href) || href.startsWith('#')) return;
    try {
      const url = new URL(href, pageUrl);
      if (!/^https?:$/.test(url.protocol)) return;
      url.hash = '';
      out.push({ url, name: nameOf($, el), el });
    } catch {
      /* an address that does not parse is no link */
    }
  });
  return out;
}

export interface Reports {
  items: ListItem[];
  refused: Refused[];
}

/** The reports a page lists, wherever they sit, and the report-like links it lists that are none. */
export function reportLinks(html: string, pageUrl: string, opts: { inColumn?: boolean; own?: (u: URL) => boolean } = {}): Reports {
  const store = datastoreHtml(html);
  const $ = cheerio.load(store ? `${html}<ul>${store}</ul>` : html);
  const items: ListItem[] = [];
  const refused: Refused[] = [];
  const seen = new Set<string>();
  const here = new URL(pageUrl);
  here.hash = '';
  for (const { url, name, el } of linksOf($, pageUrl)) {
    if (seen.has(url.href) || !name) continue;
    // a date printed inside the link text is no part of the title
    const title = name.replace(/\s*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s*$/, '');
    const v = classifyTitle(title, opts.inColumn);
    if (!v.report) {
      if (REPORTISH.test(title) && !seen.has(url.href)) refused.push({ title, url: url.href, reason: v.reason });
      seen.add(url.href);
      continue;
    }
    seen.add(url.href);
    if (url.href === here.href) continue;
    if (opts.own && !opts.own(url)) {
      refused.push({ title, url: url.href, reason: '站外链接' });
      continue;
    }
    items.push({ title, url: url.href, date: dateBeside($, el) });
  }
  return { items, refused };
}

/** Items of a JSON list (an avalon/vue/jQuery template's endpoint): objects with a title-like and an address-like field. */
export function jsonItems(text: string, endpoint: string): ListItem[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, '').replace(/^[\w$.]+\(([\s\S]*)\);?\s*$/, '$1'));
  } catch {
    return [];
  }
  const out: ListItem[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 6 || out.length > 5000) return;
    if (Array.isArray(v)) return v.forEach((x) => walk(x, depth + 1));
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const str = (re: RegExp) => Object.entries(o).find(([k, x]) => re.test(k) && typeof x === 'string' && x.trim())?.[1] as string | undefined;
    const title = str(/^(title|doctitle|name|subject|biaoti|docTitle|DOCTITLE|showTitle)$/i);
    const link = str(/^(url|link|href|docpuburl|docurl|DOCPUBURL|pubUrl|path|linkurl)$/i);
    if (title && link) {
      try {
        out.push({ title: title.replace(/<[^>]*>/g, '').trim(), url: new URL(link, endpoint).href, date: normaliseDate(str(/date|time|pub/i) ?? null) });
      } catch {
        /* not an address */
      }
      return;
    }
    for (const x of Object.values(o)) walk(x, depth + 1);
  };
  walk(data, 0);
  return out;
}

/** The JSON addresses a page's scripts ask for (fetch, $.getJSON, $.ajax/axios `url:`), on the page's own host. */
export function scriptEndpoints(html: string, pageUrl: string): string[] {
  const out = new Set<string>();
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!).join('\n');
  const re = /(?:fetch|getJSON|axios\.get|\$\.get|\$\.post|axios\.post)\s*\(\s*['"]([^'"]+)['"]|\burl\s*:\s*['"]([^'"]+)['"]/g;
  for (const m of scripts.matchAll(re)) {
    const raw = m[1] ?? m[2]!;
    if (!/json|list|data|api|search|query/i.test(raw) || /\.(?:js|css|html?|shtml)(?:\?|$)/i.test(raw)) continue;
    try {
      const u = new URL(raw, pageUrl);
      if (u.host === new URL(pageUrl).host) out.add(u.href);
    } catch {
      /* not an address */
    }
  }
  return [...out].slice(0, 3);
}

/** What a 年报 column is called, and what its address looks like. */
const COLUMN_NAME = /年报|年度报告|信息公开报告/;
const COLUMN_SHAPE = /(?:^|[/_.-])(?:zfxxgknb|xxgknb|zfxgknb|xxgknbgs|zwgknb|gknb|xxgkndbg|zfxxgkndbg|gkndbg|ndbg(?:_\d+)?|nianbao|ndxxgkbg)(?:[/_.-]|$)/i;
/** An article's address, not a column's: dated folders, TRS t-ids, long numeric ids. */
const ARTICLE = /\/(?:19|20)\d{2}-?\d{2}(?:-?\d{2})?\/[^/]+$|\/t\d{8}_\d+|\/\d{5,}\.s?html?$|\/art_\d+_\d+|\/article[0-9a-f]{8,}/i;
/** Sub-columns of a 年报 column: by unit type, by year, or a unit's own name. */
const SUB_NAME = /部门|乡镇|乡|镇|街道|办事处|本级|政府|局|委|办|中心|(?:19|20)\d{2}/;
/** Pages that lead towards the columns: 政务公开 / 政府信息公开 / 信息公开目录, 部门/乡镇 directories. */
const HUB_NAME = /^(?:政务公开|政府信息公开|信息公开|政务信息公开|信息公开目录|政府信息公开目录|政府信息公开平台|法定主动公开内容|部门信息公开|乡镇信息公开|乡镇（街道）信息公开|乡镇\(街道\)信息公开|部门|乡镇|乡镇（街道）|乡镇街道|街道|部门公开|乡镇公开)$/;
const HUB_SHAPE = /(?:^|\/)(?:zwgk|xxgk|zfxxgk|gkml|xxgkml|bmxxgk|xzxxgk|bm|xz)(?:\/|\/index\.s?html?|\.s?html?)?$/i;
/** The directories of the units' own 信息公开 pages: 部门信息公开, 乡镇（街道）信息公开目录 … */
const DIRECTORY = /^(?:县直|市直|区直)?(?:部门|乡镇|乡镇（街道）|乡镇\(街道\)|街道|镇街|乡镇街道)(?:政府)?(?:信息公开|政务公开)(?:目录|平台)?$/;
/** A unit's own name, as its 信息公开 page or its own column is named. */
export const UNIT_NAME = /^[\u4e00-\u9fa5（）()]{2,30}(?:人民政府|政府|局|委员会|委|办公室|办|中心|院|镇|乡|街道办事处|街道|管委会|管理委员会|所|站|队)$/;

export type How = '链接文字' | '链接标题' | '图片说明' | '图片文件名' | '网址形态' | '子栏目' | '脚本列出的单位' | '单位信息公开页' | '信息公开导航' | '部门乡镇目录' | '站点配置';

export interface Found {
  url: string;
  label: string;
  how: How;
}

/** Where a column's sub-columns live: its folder (zwgk/zfxxgknb/index.html and zwgk/zfxxgknb.htm both → zwgk/zfxxgknb/). */
export function folderOf(url: URL): string {
  const path = url.pathname;
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (!last || /^(?:index|default|list\d*)(?:_\d+)?\.\w+$/i.test(last)) return path.slice(0, path.lastIndexOf('/') + 1);
  return path.replace(/\.\w+$/, '') + '/';
}

/** One address per column, whether written as the folder or its index page. */
export function columnKey(url: string): string {
  const u = new URL(url);
  u.hash = '';
  u.pathname = u.pathname.replace(/\/(?:index|default)\.s?html?$/i, '/');
  return u.href;
}

/** The 年报 columns a page links to, how each was found; within a column, its sub-columns too. */
export function columnLinks($: cheerio.CheerioAPI, pageUrl: string, own: (u: URL) => boolean, column: string | null, cap = 40): Found[] {
  const out: Found[] = [];
  const seen = new Set<string>([columnKey(pageUrl)]);
  const pagerish = (u: URL) => /(?:index|list|default)?_\d+\.s?html?$|\/\d+\.htm$|[?&](?:page|p|pageNum|cur_page|pageIndex)=\d+/i.test(u.pathname + u.search);
  for (const { url, name, el } of linksOf($, pageUrl)) {
    if (out.length >= cap) break;
    const key = columnKey(url.href);
    if (seen.has(key) || !own(url)) continue;
    const label = squeeze(name);
    const img = $(el).find('img');
    const alt = squeeze(img.attr('alt') ?? '');
    const file = (img.attr('src') ?? '').split('/').pop() ?? '';
    const verdict = classifyTitle(label);
    // a report, a 政府工作报告, a 工作要点 … is no column, whatever its address
    if (verdict.report || (!verdict.report && verdict.reason !== '标题不是年度报告' && verdict.reason !== '没有年度（栏目或导航链接）')) continue;
    if (label.length > 30 || pagerish(url)) continue;
    let how: How | null = null;
    const text = squeeze($(el).text());
    if (text && COLUMN_NAME.test(text)) how = '链接文字';
    else if (!text && COLUMN_NAME.test(squeeze($(el).attr('title') ?? ''))) how = '链接标题';
    else if (alt && COLUMN_NAME.test(alt)) how = '图片说明';
    else if (img.length && COLUMN_SHAPE.test(`/${file.replace(/\.\w+$/, '')}/`)) how = '图片文件名';
    else if (COLUMN_SHAPE.test(url.pathname) && (!label || COLUMN_NAME.test(label) || !/[\u4e00-\u9fa5]/.test(label))) how = '网址形态';
    else if (column && column !== '/' && url.pathname.startsWith(column) && folderOf(url) !== column && label && label.length <= 20 && SUB_NAME.test(label) && !ARTICLE.test(url.pathname) && !/首页|上一页|下一页|尾页|末页/.test(label)) how = '子栏目';
    if (!how) continue;
    seen.add(key);
    out.push({ url: url.href, label: label || alt || file, how });
  }
  return out;
}

/** The pages that lead towards the columns (政务公开, 信息公开目录, 部门/乡镇 directories), and, on a directory, each unit's own page. */
export function hubLinks($: cheerio.CheerioAPI, pageUrl: string, own: (u: URL) => boolean, units: boolean, cap = 12): Found[] {
  const out: Found[] = [];
  const seen = new Set<string>([columnKey(pageUrl)]);
  for (const { url, name } of linksOf($, pageUrl)) {
    if (out.length >= cap) break;
    const key = columnKey(url.href);
    const label = squeeze(name);
    if (seen.has(key) || !own(url) || !label) continue;
    const how: How | null = DIRECTORY.test(label) ? '部门乡镇目录' : HUB_NAME.test(label) || (HUB_SHAPE.test(url.pathname) && /公开/.test(label)) ? '信息公开导航' : units && UNIT_NAME.test(label) ? '单位信息公开页' : null;
    if (!how) continue;
    seen.add(key);
    out.push({ url: url.href, label, how });
  }
  return out;
}

/**
 * Departments' roots a page's script lists (a JS object or JSON menu of {name, url}), each
 * with the column path the template appends to it (a quoted `…nb/` or `ndbg/` in the script).
 */
export function scriptedColumns(html: string, pageUrl: string, own: (u: URL) => boolean): Found[] {
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!).join('\n');
  const pairs = [...scripts.matchAll(/\{[^{}]*?['"]?(?:name|title|text|label)['"]?\s*:\s*['"]([^'"]{2,30})['"][^{}]*?['"]?(?:url|href|link|path)['"]?\s*:\s*['"]([^'"]+)['"][^{}]*\}/g)].map((m) => ({ name: m[1]!, root: m[2]! }));
  if (!pairs.length) return [];
  const suffix = /['"]((?:[\w-]+\/)*(?:zfxxgknb|xxgknb|ndbg|nianbao|gknb)(?:\/(?:index\.s?html?)?)?)['"]/.exec(scripts)?.[1];
  const out: Found[] = [];
  for (const { name, root } of pairs) {
    if (!UNIT_NAME.test(name) && !COLUMN_NAME.test(name)) continue;
    try {
      const base = new URL(root.endsWith('/') || !suffix ? root : `${root}/`, pageUrl);
      const u = COLUMN_SHAPE.test(base.pathname) || !suffix ? base : new URL(suffix, base);
      if (own(u)) out.push({ url: u.href, label: name, how: '脚本列出的单位' });
    } catch {
      /* not an address */
    }
    if (out.length >= 200) break;
  }
  return out;
}

export interface Pager {
  urls: string[];
  how: string[];
  /** records the pager says the list holds (EmpireCMS Total record, Hanweb totalRecord) */
  total: number | null;
}

/** The further pages of a list, from whatever the page prints of its pager. */
export function pagerOf(html: string, pageUrl: string, max: number): Pager {
  const out: Pager = { urls: [], how: [], total: null };
  const add = (rel: string) => {
    try {
      const u = new URL(rel, pageUrl);
      u.hash = '';
      if (u.href !== pageUrl && !out.urls.includes(u.href) && out.urls.length < max) out.urls.push(u.href);
    } catch {
      /* not an address */
    }
  };
  const here = new URL(pageUrl);
  const file = here.pathname.slice(here.pathname.lastIndexOf('/') + 1) || 'index.html';
  const stem = file.replace(/(?:_\d+)?\.\w+$/, '');
  const ext = /\.(\w+)$/.exec(file)?.[1] ?? 'html';
  const q = `['"]`;
  // TRS: ('div', count, current, 'prefix', 'ext', total), the second page prefix_2; or (count, current, 'index', 'html'), the second page index_1
  const b = new RegExp(`createPageHTML\\(\\s*${q}[^'"]*${q}\\s*,\\s*(\\d+)\\s*,\\s*\\d+\\s*,\\s*${q}([^'"]+)${q}\\s*,\\s*${q}([^'"]+)${q}(?:\\s*,\\s*(\\d+))?`).exec(html);
  const a = new RegExp(`createPageHTML\\(\\s*(\\d+)\\s*,\\s*\\d+\\s*,\\s*${q}([^'"]+)${q}\\s*,\\s*${q}([^'"]+)${q}`).exec(html);
  if (b) {
    out.how.push('createPageHTML（第 2 页为 _2）');
    for (let i = 2; i <= Number(b[1]); i++) add(`${b[2]}_${i}.${b[3]}`);
    if (b[4]) out.total = Number(b[4]);
  } else if (a) {
    out.how.push('createPageHTML（第 2 页为 _1）');
    for (let i = 1; i < Number(a[1]); i++) add(`${a[2]}_${i}.${a[3]}`);
  }
  const $ = cheerio.load(html);
  const total = /Total\s*record[^>]*>\s*(?:&nbsp;|\s)*(?:<b>)?\s*(\d+)/i.exec(html) ?? /共\s*(\d+)\s*条/.exec($.root().text());
  if (total) {
    out.total = Number(total[1]);
    out.how.push(/Total/i.test(total[0]) ? '帝国CMS Total record' : '共 N 条');
  }
  // numbered pages linked from this one, in its own numbering (index_2.html, list_3.shtml, 3.htm under the column's folder, ?page=4)
  const numbered = new Map<number, string>();
  let template: ((n: number) => string) | null = null;
  const pagerText = /^(?:\d+|下一页|下页|后页|尾页|末页|最后一页|上一页|上页|前页|首页|第一页|>|>>|»|<|<<|«|\.\.\.)$/;
  for (const { url, name } of linksOf($, pageUrl)) {
    if (!pagerText.test(squeeze(name)) || url.host !== here.host) continue;
    const same = new RegExp(`^(.*/${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})_(\\d+)\\.(\\w+)$`).exec(url.pathname);
    const vsb = new RegExp(`^${here.pathname.replace(/\.\w+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(\\d+)\\.(\\w+)$`).exec(url.pathname) ?? /^(.*)\/(\d+)\.(htm)$/.exec(url.pathname);
    const query = /([?&](?:page|p|pageNum|pageNo|cur_page|pageIndex|curPage)=)(\d+)/i.exec(url.search);
    if (same) {
      numbered.set(Number(same[2]), url.href);
      const [, path, , e] = same;
      template ??= (n) => `${path}_${n}.${e}`;
    } else if (vsb && /^\d+$/.test(squeeze(name)) === false && /下|尾|末|后/.test(name)) {
      const n = Number(vsb[vsb.length - 2]);
      numbered.set(n, url.href);
      const dir = url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
      template ??= (k) => `${dir}${k}.${vsb[vsb.length - 1]}`;
    } else if (vsb && folderOf(url).startsWith(folderOf(here)) && /^\d+$/.test(squeeze(name))) {
      numbered.set(Number(vsb[vsb.length - 2]), url.href);
    } else if (query) {
      numbered.set(Number(query[2]), url.href);
      const u = new URL(url.href);
      template ??= (n) => u.pathname + u.search.replace(query[0], `${query[1]}${n}`);
    }
  }
  if (numbered.size) {
    out.how.push('页码链接');
    const ns = [...numbered.keys()];
    const lo = Math.min(...ns);
    const hi = Math.max(...ns);
    // a window of page numbers (1 … 5 6 7 … 尾页) filled in between its ends
    for (let n = lo; n <= hi && out.urls.length < max; n++) add(numbered.get(n) ?? (template ? template(n) : ''));
  }
  // a page count the page prints (1/3, 共3页, 第1页/共3页) or its script keeps (countPage, pageCount, totalPage)
  if (!a && !b && !numbered.size) {
    const printed = /(?:第\s*)?\d+\s*(?:页)?\s*\/\s*(?:共\s*)?(\d+)\s*页?|共\s*(\d+)\s*页/.exec($('[class*=page], [id*=page], [class*=Page], [id*=Page]').text()) ?? /共\s*(\d+)\s*页/.exec($.root().text());
    const scripted = /\b(?:countPage|pageCount|totalPage|totalPages|pageTotal|page_count|PAGE_COUNT)\s*[:=]\s*['"]?(\d+)/.exec(html);
    const count = Number(printed?.[1] ?? printed?.[2] ?? scripted?.[1] ?? 0);
    if (count > 1) {
      out.how.push(printed ? '页面印出的页数' : '脚本中的页数');
      // whether the second page is _1 or _2 the count does not say: both are asked, repeats are dropped
      for (let n = stem === 'index' ? 1 : 2; n <= count; n++) add(`${stem}_${n}.${ext}`);
    }
  }
  // Hanweb: the datastore holds the first records, its proxy the rest
  const proxy = /<nextgroup>\s*<!\[CDATA\[\s*<a href=["']([^"']+)["']/.exec(html)?.[1];
  const records = Number(/totalRecord\s*:\s*(\d+)/.exec(html)?.[1] ?? 0);
  const per = Number(/perPage\s*:\s*(\d+)/.exec(html)?.[1] ?? 0);
  if (proxy && records && per) {
    out.how.push('大汉 datastore');
    out.total = records;
    const shown = [...html.matchAll(/<record>/g)].length;
    for (let i = Math.floor(shown / per) + 1; i <= Math.ceil(records / per); i++) add(proxy.replace(/([?&])page=\d+/, `$1page=${i}`));
  }
  return out;
}

/** The 下一页 link of a page (a pager that gives nothing but that). */
export function nextOf(html: string, pageUrl: string): string | null {
  const $ = cheerio.load(html);
  const a = linksOf($, pageUrl).find((l) => /^(下一页|下页|后页|>|»|>>)$/.test(squeeze(l.name)));
  return a ? a.url.href : null;
}

const HEADINGS = /总体情况|主动公开政府信息情况|收到和处理政府信息公开申请情况|行政复议|存在的主要问题|其他需要报告的事项|概述|主动公开情况|依申请公开/g;

/**
 * The block of a detail page that holds the report, by text density: of the page's boxes,
 * the one whose own paragraphs (its children that are no boxes themselves) hold the most
 * text that is not link text, the report's section headings and tables counting for more;
 * null when no box holds a body's worth of text.
 */
export function contentBlock($: cheerio.CheerioAPI): cheerio.Cheerio<Element> | null {
  let best: { el: Element; score: number } | null = null;
  $('body div, body td, body article, body section, body main').each((_, el) => {
    const box = $(el);
    let own = 0;
    let linked = 0;
    for (const child of box.contents().toArray()) {
      if (child.type === 'tag' && /^(div|section|article|ul|ol|nav|header|footer|aside|form|dl|script|style)$/.test((child as Element).name)) continue;
      own += squeeze($(child).text()).length;
      linked += child.type === 'tag' ? squeeze($(child).find('a').addBack('a').text()).length : 0;
    }
    if (own - linked < 150) return;
    const text = box.text();
    const headings = new Set(text.match(HEADINGS) ?? []).size;
    const score = own - 2 * linked + headings * 300 + box.find('table').length * 100;
    if (!best || score > best.score) best = { el, score };
  });
  return best ? $((best as { el: Element }).el) : null;
}
