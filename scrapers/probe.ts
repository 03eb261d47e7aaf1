// `nianjian probe URL`: a site walked from a home page or a column as a crawl would walk it,
// storing nothing — the columns and sub-columns found and how, the reports on each, the pages
// read, the CMS family if its markers show, robots.txt and WAF — and the config that crawls
// the same with no edit: the site's id, name and region (from its pages and the GB/T 2260
// tree) and its start page. Only a person confirms it (`verified`).
import * as cheerio from 'cheerio';
import { divisions } from '../server/store/regions.js';
import { parseConfig } from './config.js';
import { crawlSource } from './crawl.js';
import { Fetcher, robotsAllows } from './fetch.js';
import { PRESETS, type Preset } from './presets.js';
import type { Column } from './walk.js';

export interface Probe {
  url: string;
  reachable: boolean;
  blocked: string | null;
  error: string | null;
  /** the CMS family its markers show, or `unknown` */
  family: string;
  charset: string | null;
  robots: 'none' | 'allowed' | 'disallowed';
  columns: Column[];
  /** reports found, all lists together */
  reports: number;
  /** report-like links refused, by reason */
  refused: Record<string, number>;
  pages: number;
  notes: string[];
  draft: Record<string, unknown> | null;
}

const ORDER: Preset[] = ['hanweb', 'trs', 'vsb', 'sitesources', 'pds'];
/** Families no preset is needed for, told only so that a person knows what the site runs. */
const MORE: Array<[string, RegExp]> = [['empirecms', /\/e\/search\/index\.php|title="Total record"|\/e\/public\/ViewClick/]];
const PROVINCES: Record<string, string> = {
  '11': 'beijing', '12': 'tianjin', '13': 'hebei', '14': 'shanxi', '15': 'neimenggu', '21': 'liaoning', '22': 'jilin', '23': 'heilongjiang',
  '31': 'shanghai', '32': 'jiangsu', '33': 'zhejiang', '34': 'anhui', '35': 'fujian', '36': 'jiangxi', '37': 'shandong', '41': 'henan',
  '42': 'hubei', '43': 'hunan', '44': 'guangdong', '45': 'guangxi', '46': 'hainan', '50': 'chongqing', '51': 'sichuan', '52': 'guizhou',
  '53': 'yunnan', '54': 'xizang', '61': 'shaanxi', '62': 'gansu', '63': 'qinghai', '64': 'ningxia', '65': 'xinjiang',
};

/** The government a site belongs to, by what its pages print most: its <title>, else the 人民政府 its text names most often. */
function governmentOf(text: string): string | null {
  const $ = cheerio.load(text);
  const title = $('title').text().replace(/\s+/g, '');
  const inTitle = /([\u4e00-\u9fa5]{2,12}人民政府)/.exec(title)?.[1];
  if (inTitle) return inTitle;
  const counts = new Map<string, number>();
  for (const m of $('body').text().matchAll(/([\u4e00-\u9fa5]{1,8}?(?:县|市|区|旗))人民政府/g)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  return best ? `${best[0].replace(/^(?:主办单位|版权所有|主办|承办)/, '')}人民政府` : null;
}

/** The county (else city) whose government this is; the home province first where names repeat. */
function regionOf(government: string): string | null {
  const place = government.replace(/人民政府$/, '');
  const all = divisions().filter((d) => d.name === place || place.endsWith(d.name));
  const home = process.env.NIANJIAN_PROVINCE ?? '41';
  const best = all.sort((a, b) => Number(b.code.startsWith(home)) - Number(a.code.startsWith(home)) || b.name.length - a.name.length)[0];
  return best?.code ?? null;
}

export async function probe(url: string, fetcher: Fetcher = new Fetcher()): Promise<Probe> {
  const u = new URL(url);
  const out: Probe = { url, reachable: false, blocked: null, error: null, family: 'unknown', charset: null, robots: 'none', columns: [], reports: 0, refused: {}, pages: 0, notes: [], draft: null };
  const robots = await fetcher.get(new URL('/robots.txt', u).href);
  if (robots.kind === 'ok' && robots.text && !/^\s*</.test(robots.text)) out.robots = robotsAllows(robots.text, u.pathname) ? 'allowed' : 'disallowed';
  const page = await fetcher.get(url);
  if (page.kind === 'blocked') {
    out.blocked = page.waf;
    return out;
  }
  if (page.kind === 'error') {
    out.error = page.detail;
    return out;
  }
  out.reachable = true;
  out.charset = page.charset;
  const text = page.text ?? '';
  const government = governmentOf(text);
  const regionCode = government ? regionOf(government) : null;
  const host = new URL(page.finalUrl).hostname.replace(/^www\./, '');
  const label = /^[\d.]+$/.test(host) ? host.replace(/\./g, '-') : host.split('.')[0]!;
  const draft: Record<string, unknown> = {
    id: `${PROVINCES[regionCode?.slice(0, 2) ?? ''] ?? 'site'}.${label.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`,
    name: government ?? host,
    ...(regionCode ? { regionCode } : {}),
    baseUrl: new URL(page.finalUrl).origin,
    entries: [{ url: u.pathname + u.search }],
  };
  // the walk a crawl would take, storing nothing
  const run = await crawlSource(null as never, null as never, parseConfig(draft, '(草稿)'), { fetcher, dryRun: true });
  const familyOf = (t: string) => ORDER.find((p) => PRESETS[p].markers.some((m) => m.test(t))) ?? MORE.find(([, m]) => m.test(t))?.[0] ?? 'unknown';
  out.family = familyOf(text);
  if (out.family === 'unknown') {
    // the family shows on the lists more often than on the home page
    const list = run.columns.find((c) => c.how !== '站点配置' && c.pages);
    const f = list ? await fetcher.get(list.url) : null;
    const t = f?.kind === 'ok' ? (f.text ?? '') : '';
    out.family = familyOf(t);
  }
  out.columns = run.columns.filter((c) => c.how !== '站点配置' || c.reports);
  out.reports = run.found.length;
  for (const r of run.refused) out.refused[r.reason] = (out.refused[r.reason] ?? 0) + 1;
  out.pages = run.pages;
  out.notes = run.notes.filter((n) => !n.startsWith('栏目：') && !n.startsWith('未取的链接'));
  out.draft = draft;
  return out;
}
