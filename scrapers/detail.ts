// What a detail page says about its report besides the report itself: its title, date and
// unit, from the places the site's config names, else from the `<meta>` tags the 集约化
// page templates carry (TRS, Hanweb and VSB publish ArticleTitle, PubDate, ContentSource,
// ColumnName, Keywords), else from the info line ("来源：… 发布日期：…"); the body is the
// configured container or, whatever its class, the block dense with the report's text. The crawl
// uses them where the list did not tell: a list title without its unit, a list without
// dates. Scraped text is untrusted: every value is a short plain string or nothing.
import * as cheerio from 'cheerio';
import { agencyFromTitle, yearOf } from '../parser/meta.js';
import type { DetailSpec } from './config.js';
import { contentBlock } from './discover.js';
import { normaliseDate, pick } from './list.js';

export interface DetailInfo {
  title: string | null;
  date: string | null;
  unit: string | null;
  /** whether the report's body was found: a configured container, else a block dense with its text (a template change when not) */
  container: boolean;
}

const MAX = 60;
const SOURCE = /(?:来源|信息来源|发布机构|发文机关|发布单位)\s*[:：]\s*([^\s|｜:：]{2,40})/;
const PUBLISHED = /(?:发布(?:日期|时间)|成文日期|时间|日期)\s*[:：]\s*((?:19|20)\d{2}\s*[-/年.]\s*\d{1,2}\s*[-/月.]\s*\d{1,2})/;
/** A unit's name as ColumnName or Keywords may give it (a column named after its unit). */
const UNIT = /^[\u4e00-\u9fa5（）()]{2,30}(?:人民政府|政府|局|委员会|委|办公室|办|中心|院|镇|乡|街道办事处|街道|管委会)$/;

const short = (s: string | null | undefined) => {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t && t.length <= 200 ? t : null;
};

/** A page title without the site and column names the templates add around it. */
function titleOf(text: string | null): string | null {
  if (!text) return null;
  const parts = text.split(/\s*[-_|｜—]+\s*|\s{2,}/).filter(Boolean);
  return short(parts.find((p) => yearOf(p) !== null && /报告|年报/.test(p)) ?? parts[0] ?? null);
}

function unitOf(text: string | null): string | null {
  if (!text) return null;
  const labelled = SOURCE.exec(text)?.[1];
  if (labelled) return labelled;
  const t = text.trim();
  return t.length <= MAX && !/[:：]/.test(t) ? t : null;
}

export function readDetail(html: string, spec: DetailSpec): DetailInfo {
  const $ = cheerio.load(html);
  const meta = (name: string) => short(pick($, null, `meta:${name}`));
  const configured = (chain: string | undefined) => (chain ? short(pick($, null, chain)) : null);
  const body = $('body').text().replace(/\s+/g, ' ');
  const title = titleOf(configured(spec.title)) ?? meta('ArticleTitle') ?? titleOf(short($('h1').first().text())) ?? titleOf(short($('title').first().text()));
  const date =
    normaliseDate(configured(spec.date)) ??
    normaliseDate(meta('PubDate')) ??
    normaliseDate(meta('firstpublishedtime')) ??
    normaliseDate(meta('PublishDate')) ??
    normaliseDate(PUBLISHED.exec(body)?.[1]);
  const column = meta('ColumnName');
  const keywords = meta('Keywords')?.split(/[,，;；\s]+/) ?? [];
  const unit =
    unitOf(configured(spec.unit)) ??
    (title && /报告|年报/.test(title) ? agencyFromTitle(title).agency : null) ??
    unitOf(meta('ContentSource')) ??
    SOURCE.exec(body)?.[1] ??
    [column, ...keywords].find((k): k is string => !!k && UNIT.test(k)) ??
    null;
  // the configured containers first; else the block that holds the report by its text density
  const container =
    spec.container.some((sel) => {
      try {
        return $(sel).length > 0;
      } catch {
        return false;
      }
    }) || contentBlock($) !== null;
  return { title, date, unit, container };
}
