// Title, agency and reporting year. The year comes from the report itself (title, then
// body), never from the date the page was published.
import { agencyForm, tidy, toHalfWidth } from './normalize.js';
import { lineText } from './sections.js';
import type { Evidence, Line } from './types.js';

const TITLE = /(?:政府信息公开|政务公开|信息公开).{0,12}(?:报告|总结)/;
const YEAR_IN_TITLE = /((?:19|20)\d{2})\s*年/;
const MAX_TITLE = 90;

export interface TitleFound {
  title: string;
  evidence?: Evidence;
  /** index of the last line the title was printed on */
  endLine?: number;
}

function clean(s: string): string {
  return tidy(s.replace(/^#+\s*/, '').replace(/[\u200b-\u200d]/g, '')).replace(/^[《“"]|[》”"]$/g, '');
}

function isTitle(s: string): boolean {
  return s.length <= MAX_TITLE && TITLE.test(s) && YEAR_IN_TITLE.test(toHalfWidth(s)) && !/[>＞»]|当前位置|首页/.test(s);
}

/**
 * The title printed at the head of the report (lines before the first section, a title
 * broken over up to three lines is joined), else the page's own title fields in order.
 */
export function findTitle(lines: Line[], before: number, hints: Array<string | null | undefined>): TitleFound | null {
  const limit = Math.min(before, 60);
  for (let i = 0; i < limit; i++) {
    const first = lines[i]!;
    if (first.kind === 'row' && lineText(first) === '') continue;
    let joined = '';
    for (let k = 0; k < 3 && i + k < limit; k++) {
      const line = lines[i + k]!;
      const part = lineText(line);
      if (!part) break;
      joined = clean(joined + part);
      if (isTitle(joined)) {
        return { title: joined, evidence: { ...first.pos, printed: joined, text: joined }, endLine: i + k };
      }
      if (joined.length > MAX_TITLE) break;
    }
  }
  for (const h of hints) {
    if (!h) continue;
    // page <title>s carry the site name after a separator
    const t = clean(h.split(/\s*[_|｜]\s*|\s+[-—]\s+/)[0]!);
    if (isTitle(t)) return { title: t };
  }
  return null;
}

export function agencyFromTitle(title: string): { agency: string | null; printed: string | null } {
  const t = toHalfWidth(title).replace(/\s+/g, '');
  const m = /^(.*?)(?:关于)?(?:\(|（)?((?:19|20)\d{2})年(?:度)?(?:\)|）)?(.*)$/.exec(t);
  let printed: string | null = null;
  if (m && m[1]) printed = m[1];
  else if (m) printed = /^(.*?)(?:关于)?(?:政府信息公开|政务公开|信息公开)/.exec(m[3]!)?.[1] ?? null;
  if (printed) printed = printed.replace(/^关于/, '').replace(/(?:关于|的)$/, '');
  return printed ? { agency: agencyForm(printed), printed } : { agency: null, printed: null };
}

export function yearOf(text: string | null | undefined): number | null {
  if (!text) return null;
  const m = YEAR_IN_TITLE.exec(toHalfWidth(text));
  return m ? Number(m[1]) : null;
}

/** The statistics period a report states, e.g. 统计期限自2024年1月1日起至2024年12月31日止. */
export function periodYear(text: string): number | null {
  const m = /统计(?:期限|时限|期间|时间)[^。；]{0,8}?((?:19|20)\d{2})年1月1日/.exec(text.replace(/\s+/g, ''));
  return m ? Number(m[1]) : null;
}

/** The year an opening sentence starts with ("2024年，我局…"), if it does. */
export function openingYear(text: string): number | null {
  const m = /^(?:[(（]?[一二三四五六]?[)）、]?)?\s*((?:19|20)\d{2})\s*年(?:度)?[，,、以来中内]/.exec(toHalfWidth(text).trim());
  return m ? Number(m[1]) : null;
}

/** The year of a § 六 fee statement ("2024年我单位未收取…处理费"). */
export function feeStatementYear(text: string): number | null {
  const m = /((?:19|20)\d{2})年(?:度)?[^。；〕\]]{0,24}?(?:未收取|没有收取|不收取|未产生|没有产生|收取)/.exec(
    toHalfWidth(text).replace(/\s+/g, ''),
  );
  return m ? Number(m[1]) : null;
}
