// What a CMS family's preset (or a site's own selectors) reads on a list page — the items,
// their title (the full one from @title before the truncated text), link and date, the
// further pages in the family's numbering, the sub-columns a config's rule names — and which
// items are annual reports, of which year and unit. The crawl adds these to what discover.ts
// finds on any page by what things are; for most sites they add nothing.
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import { agencyFromTitle, yearOf } from '../parser/meta.js';
import type { Entry, ListSpec } from './config.js';
import { classifyTitle, datastoreHtml, folderOf, pagerOf } from './discover.js';

export interface ListItem {
  title: string;
  url: string;
  date: string | null;
}

export interface Candidate extends ListItem {
  year: number | null;
  unit: string | null;
}

/** "sel@attr | sel | . | meta:Name" read on an item (or the page): the first non-empty answer. */
export function pick($: cheerio.CheerioAPI, item: AnyNode | null, chain: string): string {
  for (const part of chain.split('|').map((s) => s.trim())) {
    if (part.startsWith('meta:')) {
      const name = part.slice(5).toLowerCase();
      const v = $('meta')
        .filter((_, m) => ($(m).attr('name') ?? '').toLowerCase() === name)
        .first()
        .attr('content')
        ?.replace(/\s+/g, ' ')
        .trim();
      if (v) return v;
      continue;
    }
    const [sel, attr] = part.split('@') as [string, string | undefined];
    const root = item ? $(item) : $.root();
    const el = sel === '.' || sel === '' ? root : root.find(sel).first();
    if (!el.length) continue;
    const v = (attr ? el.attr(attr) : el.text())?.replace(/\s+/g, ' ').trim();
    if (v) return v;
  }
  return '';
}

const DATE = /((?:19|20)\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})/;

export function normaliseDate(text: string | null | undefined): string | null {
  const m = text ? DATE.exec(text) : null;
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : null;
}

export function readList(text: string, pageUrl: string, spec: ListSpec): ListItem[] {
  const html = spec.mode === 'cdata_datastore' ? `<ul>${datastoreHtml(text)}</ul>` : text;
  const $ = cheerio.load(html);
  const out: ListItem[] = [];
  const seen = new Set<string>();
  $(spec.item).each((_, el) => {
    const href = pick($, el, spec.link);
    const title = pick($, el, spec.title);
    if (!href || !title || /^(javascript|mailto):/i.test(href)) return;
    let url: string;
    try {
      url = new URL(href, pageUrl).href;
    } catch {
      return;
    }
    if (seen.has(url)) return;
    seen.add(url);
    const date = normaliseDate(spec.date ? pick($, el, spec.date) : null) ?? normaliseDate($(el).text());
    // a date printed inside the link text is not part of the title
    out.push({ title: title.replace(/\s*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s*$/, ''), url, date });
  });
  return out;
}

/** The report candidates among a list's items: titles that name an annual report (discover.ts), narrowed by the entry's own filters if it has any. */
export function candidates(items: ListItem[], entry: Entry): Candidate[] {
  const include = entry.filters.titleInclude.map((r) => new RegExp(r));
  const exclude = entry.filters.titleExclude.map((r) => new RegExp(r));
  return items
    .filter((i) => classifyTitle(i.title, true).report && include.every((r) => r.test(i.title)) && !exclude.some((r) => r.test(i.title)))
    .map((i) => {
      const year = yearOf(i.title) ?? entry.year ?? null;
      // "某局2017政府信息公开…" prints its year without 年; the unit ends where the year begins all the same
      const named = i.title.replace(/((?:19|20)\d{2})(?![\d年])/, '$1年');
      const unit = entry.unit.type !== 'auto' ? (entry.unit.name ?? null) : (agencyFromTitle(named).agency ?? entry.unit.name ?? null);
      return { ...i, year, unit };
    });
}

/**
 * The sub-columns a column page links to by the config's `children` rule (selector, names,
 * address shape, below the column's folder): an override for a site whose sub-columns the
 * finder in discover.ts misses. Only links on the site's own hosts.
 */
export function subColumns(text: string, pageUrl: string, entry: Entry, hosts: string[]): Array<{ url: string; label: string }> {
  const spec = entry.children;
  if (!spec) return [];
  const $ = cheerio.load(text);
  const here = new URL(pageUrl);
  const folder = folderOf(here);
  const names = spec.text.map((r) => new RegExp(r));
  const shape = spec.href ? new RegExp(spec.href) : null;
  const out: Array<{ url: string; label: string }> = [];
  const seen = new Set<string>([here.href.replace(/#.*$/, '')]);
  $(spec.selector).each((_, el) => {
    const label = ($(el).attr('title') || $(el).text()).replace(/\s+/g, '').trim();
    const href = $(el).attr('href');
    if (!href || !label || /^(javascript|mailto):/i.test(href)) return;
    let u: URL;
    try {
      u = new URL(href, pageUrl);
    } catch {
      return;
    }
    u.hash = '';
    if (!hosts.includes(u.host) || seen.has(u.href)) return;
    if (!names.some((r) => r.test(label)) || (shape && !shape.test(u.pathname))) return;
    if (spec.below && (!u.pathname.startsWith(folder) || folderOf(u) === folder)) return;
    seen.add(u.href);
    out.push({ url: u.href, label });
  });
  return out;
}

/**
 * The list's further pages, as far as the first page tells them. TRS createPageHTML in its
 * two signatures — (count, current, 'index', 'html') numbering the 2nd page index_1, and
 * ('div', count, current, 'xxgk_list', 'shtml', total) numbering it xxgk_list_2 — the
 * VSB pager that counts down to 1.htm, a URL template, a Hanweb datastore's proxy.
 */
export function furtherPages(text: string, pageUrl: string, entry: Entry): string[] {
  const p = entry.pagination;
  const max = p.maxPages;
  const urls: string[] = [];
  const at = (rel: string) => new URL(rel, pageUrl).href;
  if (p.type === 'trs_create_page_html') {
    const b = /createPageHTML\(\s*'[^']*'\s*,\s*(\d+)\s*,\s*\d+\s*,\s*'([^']+)'\s*,\s*'([^']+)'/.exec(text);
    const a = /createPageHTML\(\s*(\d+)\s*,\s*\d+\s*,\s*'([^']+)'\s*,\s*'([^']+)'/.exec(text);
    const m = b ?? a;
    if (m) {
      const count = Math.min(Number(m[1]), max);
      const base = p.indexBase ?? (b ? 1 : 0);
      for (let i = 2; i <= count; i++) urls.push(at(`${m[2]}_${i - 2 + (base === 0 ? 1 : 2)}.${m[3]}`));
    }
  } else if (p.type === 'url_template' && p.template) {
    const base = pageUrl.replace(/\/[^/]*$/, '/');
    const stem = pageUrl.replace(/\.[a-z]+$/i, '');
    const count = /(\d+)\s*\/\s*(\d+)/.exec(cheerio.load(text)('.page-info, .pages, .page').text())?.[2];
    const n = Math.min(count ? Number(count) : max, max);
    for (let i = 2; i <= n; i++) urls.push(p.template.includes('{base}') ? `${stem}${p.template.replace('{base}', '').replace('{n}', String(i))}` : new URL(p.template.replace('{n}', String(i)), base).href);
  } else if (p.type === 'vsb') {
    const $ = cheerio.load(text);
    const next = $('.p_next a').attr('href');
    const last = $('.p_last a').attr('href');
    const top = next ? /(\d+)\.htm/.exec(next)?.[1] : null;
    if (next && last && top) {
      for (let n = Number(top), k = 0; n >= 1 && k < max - 1; n--, k++) urls.push(at(next.replace(/\d+\.htm/, `${n}.htm`)));
    }
  } else if (p.type === 'hanweb_jpage') {
    // the datastore's proxy, as discover.ts reads it on any page
    urls.push(...pagerOf(text, pageUrl, max).urls);
  }
  return urls;
}
