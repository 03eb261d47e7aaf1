// `nianjian probe URL`: what a list page tells about its site (CMS family by its markers,
// charset, robots.txt, WAF, items and report candidates found with the family's preset)
// and a draft config to start from. The draft is marked unverified: a person names it.
import * as cheerio from 'cheerio';
import { parseConfig, type SiteConfig } from './config.js';
import { Fetcher, robotsAllows } from './fetch.js';
import { candidates, furtherPages, readList } from './list.js';
import { PRESETS, type Preset } from './presets.js';

export interface Probe {
  url: string;
  reachable: boolean;
  blocked: string | null;
  error: string | null;
  family: Preset;
  charset: string | null;
  robots: 'none' | 'allowed' | 'disallowed';
  items: number;
  candidates: number;
  furtherPages: number;
  draft: Record<string, unknown> | null;
}

const ORDER: Preset[] = ['hanweb', 'trs', 'vsb', 'sitesources', 'pds'];

export async function probe(url: string, fetcher: Fetcher = new Fetcher()): Promise<Probe> {
  const u = new URL(url);
  const out: Probe = { url, reachable: false, blocked: null, error: null, family: 'generic', charset: null, robots: 'none', items: 0, candidates: 0, furtherPages: 0, draft: null };
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
  out.family = ORDER.find((p) => PRESETS[p].markers.some((m) => m.test(text))) ?? 'generic';
  const title = cheerio.load(text)('title').text().replace(/\s+/g, ' ').trim();
  const site = title.split(/[_\-|｜—\s]+/).filter(Boolean).pop() ?? u.hostname;
  const raw = {
    id: `change.me.${u.hostname.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`,
    name: site,
    baseUrl: u.origin,
    preset: out.family,
    verified: false,
    ...(out.robots === 'disallowed' ? { fetch: { robots: 'obey' } } : {}),
    entries: [{ id: 'nb', label: title || undefined, url: u.pathname + u.search }],
  };
  const config: SiteConfig = parseConfig(raw, '(草稿)');
  const entry = config.entries[0]!;
  const items = readList(text, page.finalUrl, entry.list);
  out.items = items.length;
  out.candidates = candidates(items, entry).length;
  out.furtherPages = furtherPages(text, page.finalUrl, entry).length;
  out.draft = raw;
  return out;
}
