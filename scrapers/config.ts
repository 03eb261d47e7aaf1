// Site configs are data: one JSON file per site under scrapers/sources/, most of it filled
// by the preset of the site's CMS family (presets.ts). Loading validates every field and
// names the file and the field of the first thing wrong, so a broken config fails loudly
// instead of crawling nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRESETS, type Preset } from './presets.js';

export type UnitType = 'government' | 'department' | 'township' | 'other';

export interface ListSpec {
  /** html: items in the page; cdata_datastore: Hanweb records in a <script type="text/xml"> */
  mode: 'html' | 'cdata_datastore';
  /** CSS selector of one list item */
  item: string;
  /** "sel@attr | sel" fallbacks for the title; the full title is often only in @title */
  title: string;
  link: string;
  date?: string;
}

export interface PaginationSpec {
  /**
   * none; trs_create_page_html: createPageHTML(n, cur, 'index', 'html') → index_1.html or _2 (indexBase);
   * url_template: {n} filled from 2; next_link: follow the 下一页 link; vsb: reverse-numbered
   * pages from the 尾页/下页 links; script_json: listN.html with the page count in script.json;
   * hanweb_jpage: the datastore's total, further pages from dataproxy.jsp
   */
  type: 'none' | 'trs_create_page_html' | 'url_template' | 'next_link' | 'vsb' | 'script_json' | 'hanweb_jpage';
  template?: string;
  /** TRS: 0 when the second page is index_1, 1 when it is index_2 */
  indexBase?: 0 | 1;
  maxPages: number;
}

/**
 * Sub-columns of a 年报 column (部门 / 乡镇 / 2023年度 …) crawled as lists of their own, with
 * the parent's list, pager and filters. A link is a sub-column when it matches `selector`,
 * its text one of `text`, its address `href` (the family's column address shape), and, with
 * `below`, it lies under the parent column's folder.
 */
export interface ChildrenSpec {
  selector: string;
  text: string[];
  href?: string;
  below: boolean;
  /** levels of sub-columns under the entry (year → 乡镇 → unit is 3) */
  depth: number;
}

export interface Entry {
  id: string;
  label?: string;
  url: string;
  /**
   * the unit whose reports this list holds; `auto` takes it from each title, and then a
   * name given is only for titles that name no unit (a sub-column named after its unit)
   */
  unit: { type: UnitType | 'auto'; name?: string };
  year?: number;
  list: ListSpec;
  pagination: PaginationSpec;
  filters: { titleInclude: string[]; titleExclude: string[] };
  children?: ChildrenSpec;
}

/**
 * Detail pages: where the report's text is, and where its title, date and unit are printed
 * ("sel@attr | sel | meta:Name" chains, read before the `<meta>` tags the 集约化 templates
 * carry: ArticleTitle, PubDate, ContentSource, ColumnName, Keywords).
 */
export interface DetailSpec {
  container: string[];
  attachments: boolean;
  title?: string;
  date?: string;
  unit?: string;
}

export interface SiteConfig {
  id: string;
  name: string;
  regionCode?: string;
  baseUrl: string;
  /** older domains and addresses of the same site; links into them are the site's own */
  aliases: string[];
  preset: Preset;
  /** false until a live crawl has confirmed the config */
  verified: boolean;
  /** where the config's facts come from and what is still to check */
  notes?: string;
  /**
   * `browser`: every page through headless Chromium (lists written by script, JS cookie challenges);
   * `proxy`: the site's HTTP proxy (`http://host:port`, or `direct`), else HTTP_PROXY/HTTPS_PROXY/NO_PROXY
   */
  fetch: { delayMs: number; jitterMs: number; robots: 'obey' | 'ignore'; relaxedTls: boolean; timeoutMs: number; retries: number; browser: boolean; proxy?: string };
  /** cron expression (Asia/Shanghai); default: daily in January–April, weekly otherwise */
  schedule: string[];
  entries: Entry[];
  detail: DetailSpec;
  file: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${file}：${field}：${problem}`);
    this.name = 'ConfigError';
  }
}

/** Where the site configs live: scrapers/sources/, or NIANJIAN_SOURCES (read when asked). */
export const sourcesDir = () => process.env.NIANJIAN_SOURCES ?? new URL('./sources/', import.meta.url).pathname;

export const DEFAULT_SCHEDULE = ['0 3 * 1-4 *', '0 3 * 5-12 1'];
/** Sub-column names: by unit type, by year, or a unit's own name. */
const CHILDREN: ChildrenSpec = { selector: 'a', text: ['部门', '乡', '镇', '街道', '办事处', '本级', '局', '委', '办公室', '(?:19|20)\\d{2}'], below: false, depth: 1 };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge<T>(base: T, over: unknown): T {
  if (!isObject(base) || !isObject(over)) return (over === undefined ? base : over) as T;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge((base as Json)[k], v);
  return out as T;
}

/** Validates one parsed config; `file` names it in errors. */
export function parseConfig(raw: unknown, file: string): SiteConfig {
  const fail = (field: string, problem: string): never => {
    throw new ConfigError(file, field, problem);
  };
  if (!isObject(raw)) return fail('(文件)', '应为 JSON 对象');
  const str = (v: unknown, field: string, pattern?: RegExp): string => {
    if (typeof v !== 'string' || !v.trim()) return fail(field, '必须是非空字符串');
    if (pattern && !pattern.test(v)) return fail(field, `格式不正确（${v}）`);
    return v;
  };
  const url = (v: unknown, field: string): string => {
    const s = str(v, field);
    try {
      const u = new URL(s);
      if (!/^https?:$/.test(u.protocol)) fail(field, `只支持 http/https（${s}）`);
    } catch {
      fail(field, `不是有效网址（${s}）`);
    }
    return s.replace(/\/+$/, '');
  };
  const regexes = (v: unknown, field: string) => {
    if (!Array.isArray(v)) return fail(field, '须为正则表达式的数组');
    v.forEach((re, j) => {
      try {
        new RegExp(str(re, `${field}[${j}]`));
      } catch {
        fail(`${field}[${j}]`, '不是有效的正则表达式');
      }
    });
  };
  const known = (obj: Json, field: string, keys: string[]) => {
    for (const k of Object.keys(obj)) if (!keys.includes(k)) fail(`${field}${field ? '.' : ''}${k}`, `未知字段（可用：${keys.join('、')}）`);
  };
  known(raw, '', ['id', 'name', 'regionCode', 'baseUrl', 'aliases', 'preset', 'verified', 'notes', 'fetch', 'schedule', 'entries', 'detail']);
  const preset = (raw.preset ?? 'generic') as Preset;
  if (!(preset in PRESETS)) fail('preset', `未知的 CMS 预设“${String(raw.preset)}”（可用：${Object.keys(PRESETS).join('、')}）`);
  const p = PRESETS[preset];
  const baseUrl = url(raw.baseUrl, 'baseUrl');
  const fetch = merge({ delayMs: 2000, jitterMs: 1000, robots: 'obey', relaxedTls: false, timeoutMs: 20_000, retries: 3, browser: false, proxy: undefined as string | undefined }, raw.fetch);
  if (isObject(raw.fetch)) known(raw.fetch, 'fetch', ['delayMs', 'jitterMs', 'robots', 'relaxedTls', 'timeoutMs', 'retries', 'browser', 'proxy']);
  if (fetch.proxy !== undefined && fetch.proxy !== 'direct' && !/^https?:\/\/[^/]+\/?$/.test(String(fetch.proxy))) fail('fetch.proxy', `须为代理地址 http://主机:端口 或 direct（${String(fetch.proxy)}）`);
  for (const k of ['delayMs', 'jitterMs', 'timeoutMs', 'retries'] as const) {
    if (typeof fetch[k] !== 'number' || !(fetch[k] >= 0)) fail(`fetch.${k}`, '必须是不小于 0 的数');
  }
  if (fetch.robots !== 'obey' && fetch.robots !== 'ignore') fail('fetch.robots', '只能是 obey 或 ignore');
  for (const k of ['relaxedTls', 'browser'] as const) if (typeof fetch[k] !== 'boolean') fail(`fetch.${k}`, '只能是 true 或 false');
  // a site given only by its address is crawled from its home page
  const rawEntries = raw.entries === undefined ? [{ id: 'nb', label: '首页', url: '/' }] : raw.entries;
  if (!Array.isArray(rawEntries) || rawEntries.length === 0) fail('entries', '至少需要一个列表栏目');
  const entries = (rawEntries as unknown[]).map((e, i): Entry => {
    const f = `entries[${i}]`;
    if (!isObject(e)) return fail(f, '应为对象');
    known(e, f, ['id', 'label', 'url', 'unit', 'year', 'list', 'pagination', 'filters', 'children']);
    const list = merge(p.list, e.list) as ListSpec;
    const pagination = merge(p.pagination, e.pagination) as PaginationSpec;
    const unit = merge({ type: 'auto' }, e.unit) as Entry['unit'];
    if (!['auto', 'government', 'department', 'township', 'other'].includes(unit.type)) fail(`${f}.unit.type`, `未知单位类型“${unit.type}”`);
    if (unit.type !== 'auto' && !unit.name) fail(`${f}.unit.name`, '指定单位类型时须写单位名称');
    if (unit.name !== undefined) str(unit.name, `${f}.unit.name`);
    if (!['html', 'cdata_datastore'].includes(list.mode)) fail(`${f}.list.mode`, `未知列表模式“${list.mode}”`);
    str(list.item, `${f}.list.item`);
    str(list.title, `${f}.list.title`);
    str(list.link, `${f}.list.link`);
    const types = ['none', 'trs_create_page_html', 'url_template', 'next_link', 'vsb', 'script_json', 'hanweb_jpage'];
    if (!types.includes(pagination.type)) fail(`${f}.pagination.type`, `未知分页方式“${pagination.type}”（可用：${types.join('、')}）`);
    if (pagination.type === 'url_template' && !/\{n\}/.test(pagination.template ?? '')) fail(`${f}.pagination.template`, '须包含 {n}');
    if (!(Number.isInteger(pagination.maxPages) && pagination.maxPages >= 1 && pagination.maxPages <= 500)) fail(`${f}.pagination.maxPages`, '须为 1–500 的整数');
    const year = e.year;
    if (year !== undefined && !(Number.isInteger(year) && (year as number) >= 2008 && (year as number) <= 2100)) fail(`${f}.year`, '须为年份');
    // reports are told by their titles (discover.ts); these only narrow a site that needs it
    const filters = merge({ titleInclude: [], titleExclude: [] }, e.filters) as Entry['filters'];
    for (const [k, list2] of Object.entries(filters)) regexes(list2, `${f}.filters.${k}`);
    let children: ChildrenSpec | undefined;
    if (e.children !== undefined && e.children !== false) {
      if (e.children !== true && !isObject(e.children)) fail(`${f}.children`, '应为 true 或对象');
      if (isObject(e.children)) known(e.children, `${f}.children`, ['selector', 'text', 'href', 'below', 'depth']);
      children = merge({ ...CHILDREN, ...p.children }, e.children === true ? {} : e.children) as ChildrenSpec;
      str(children.selector, `${f}.children.selector`);
      regexes(children.text, `${f}.children.text`);
      if (children.href !== undefined) regexes([children.href], `${f}.children.href`);
      if (typeof children.below !== 'boolean') fail(`${f}.children.below`, '只能是 true 或 false');
      if (!(Number.isInteger(children.depth) && children.depth >= 1 && children.depth <= 3)) fail(`${f}.children.depth`, '须为 1–3 的整数');
    }
    let entryUrl = str(e.url, `${f}.url`);
    try {
      entryUrl = new URL(entryUrl, baseUrl + '/').href;
    } catch {
      fail(`${f}.url`, `不是有效网址（${entryUrl}）`);
    }
    return { id: str(e.id ?? `e${i}`, `${f}.id`, /^[\w.-]+$/), label: e.label as string | undefined, url: entryUrl, unit, year: year as number | undefined, list, pagination, filters, children };
  });
  const detail = merge(p.detail, raw.detail) as DetailSpec;
  if (isObject(raw.detail)) known(raw.detail, 'detail', ['container', 'attachments', 'title', 'date', 'unit']);
  if (!Array.isArray(detail.container) || detail.container.some((c) => typeof c !== 'string' || !c.trim())) fail('detail.container', '须为 CSS 选择器的数组');
  for (const k of ['title', 'date', 'unit'] as const) if (detail[k] !== undefined) str(detail[k], `detail.${k}`);
  const schedule = raw.schedule === undefined ? DEFAULT_SCHEDULE : raw.schedule;
  if (!Array.isArray(schedule) || schedule.some((c) => typeof c !== 'string' || c.trim().split(/\s+/).length !== 5)) fail('schedule', '须为 cron 表达式（五段）的数组');
  return {
    id: str(raw.id, 'id', /^[a-z0-9][a-z0-9._-]*$/),
    name: str(raw.name, 'name'),
    regionCode: raw.regionCode === undefined ? undefined : str(raw.regionCode, 'regionCode', /^\d{2}(\d{2}){0,2}$/),
    baseUrl,
    aliases: (Array.isArray(raw.aliases) ? raw.aliases : raw.aliases === undefined ? [] : fail('aliases', '须为网址数组')).map((a, i) => url(a, `aliases[${i}]`)),
    preset,
    verified: raw.verified === true,
    notes: raw.notes === undefined ? undefined : str(raw.notes, 'notes'),
    fetch: { ...fetch, robots: fetch.robots as 'obey' | 'ignore' },
    schedule: schedule as string[],
    entries,
    detail,
    file,
  };
}

/** Every config under a folder; the first invalid one stops loading with its file and field. */
export function loadConfigs(dir: string): SiteConfig[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const configs = files.map((f) => {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    } catch (e) {
      throw new ConfigError(f, '(文件)', `不是有效的 JSON（${(e as Error).message}）`);
    }
    return parseConfig(raw, f);
  });
  const seen = new Set<string>();
  for (const c of configs) {
    if (seen.has(c.id)) throw new ConfigError(c.file, 'id', `与另一个站点重复（${c.id}）`);
    seen.add(c.id);
  }
  return configs;
}
