// Title, agency and reporting year. The year comes from the report itself (title, then
// body), never from the date the page was published.
import { agencyForm, tidy, toHalfWidth } from './normalize.js';
import { lineText } from './sections.js';
import type { Evidence, Line } from './types.js';

const TITLE = /(?:政府信息公开|政务公开|信息公开|政府信息年度).{0,12}(?:报告|总结)/;
/** A title ends with the report's name, perhaps followed by a parenthesis such as （2024年度）. */
const TITLE_END = /(?:报告|总结)(?:[（(][^）)]{0,16}[)）])?$/;
/** The year before 年, or straight before the report's name ("2017政府信息公开工作年度报告"). */
const YEAR_IN_TITLE = /((?:19|20)\d{2})\s*(?:年|(?=(?:政府|政务|信息公开)))/;
const MAX_TITLE = 90;
const LABEL_PREFIX = /^(?:标题|题目|文章标题|正文)\s*[:：]?\s*/;

export interface TitleFound {
  title: string;
  evidence?: Evidence;
  /** index of the last line the title was printed on */
  endLine?: number;
}

function clean(s: string): string {
  let t = tidy(s.replace(/^#+\s*/, '').replace(/[\u200b-\u200d]/g, '')).replace(LABEL_PREFIX, '');
  // page titles carry the site's name after a separator
  const site = /^(.*?(?:报告|总结)(?:[（(][^）)]{0,16}[)）])?)\s*[-_|｜—–]/.exec(t);
  if (site) t = site[1]!;
  return t.replace(/^[《“"]|[》”"]$/g, '');
}

function isTitle(s: string): boolean {
  return s.length <= MAX_TITLE && TITLE.test(s) && TITLE_END.test(s) && yearOf(s) !== null && !/[>＞»。]|当前位置|首页/.test(s);
}

/**
 * The title printed at the head of the report, searched in lines [start, before): the
 * first line that ends a report title, joined with as few lines before it as make a whole
 * title (a title broken over up to three lines); else the page's own title fields, best first.
 */
export function findTitle(lines: Line[], start: number, before: number, hints: Array<string | null | undefined>): TitleFound | null {
  const limit = Math.min(before, start + 60);
  for (let j = start; j < limit; j++) {
    let joined = '';
    for (let k = 0; k < 3 && j - k >= start; k++) {
      const part = lineText(lines[j - k]!);
      if (!part) break;
      joined = clean(part + joined);
      if (isTitle(joined)) {
        const first = lines[j - k]!;
        return { title: joined, evidence: { ...first.pos, printed: joined, text: joined }, endLine: j };
      }
      if (joined.length > MAX_TITLE) break;
    }
  }
  for (const h of hints) {
    const t = h ? clean(h) : '';
    if (isTitle(t)) return { title: t };
  }
  return null;
}

const REPORT_PART = /(?:关于)?(?:(?:政府)?信息公开|政务公开)(?:工作)?(?:年度)?(?:报告|总结).*$/;
const YEAR_PART = /(?:关于)?[（(]?((?:19|20)\d{2})年(?:度)?[)）]?/;

/** The agency is what the title names besides its year and "政府信息公开工作年度报告". */
export function agencyFromTitle(title: string): { agency: string | null; printed: string | null } {
  const t = chineseYears(toHalfWidth(title)).replace(/\s+/g, '').replace(/^关于/, '');
  const y = YEAR_PART.exec(t);
  const before = y ? t.slice(0, y.index) : t;
  const after = y ? t.slice(y.index + y[0].length) : '';
  const printed = (before.replace(REPORT_PART, '') || after.replace(REPORT_PART, '')).replace(/(?:关于|的)$/, '');
  if (!printed) return { agency: null, printed: null };
  return { agency: agencyForm(printed), printed };
}

const CN_DIGITS: Record<string, string> = { 〇: '0', 零: '0', Ｏ: '0', O: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };
/** 二〇二四年 → 2024年 */
export function chineseYears(s: string): string {
  return s.replace(/([〇零Ｏ一二三四五六七八九]{4})(?=年)/g, (m) => (/^[一二]/.test(m) ? [...m].map((c) => CN_DIGITS[c] ?? c).join('') : m));
}

export function yearOf(text: string | null | undefined): number | null {
  if (!text) return null;
  const m = YEAR_IN_TITLE.exec(chineseYears(toHalfWidth(text)));
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

const FEE_VERB = /未收取|没有收取|不收取|未产生|没有产生|收取/g;
/** A year that is part of a date (2021年1月1日) or of a document number (〔2020〕) is not the report's. */
const LONE_YEAR = /((?:19|20)\d{2})年(?!\d{1,2}月)/g;

/** The year of a § 六 fee statement ("2024年我单位未收取…处理费"): the year nearest before the verb. */
export function feeStatementYear(text: string): number | null {
  const t = chineseYears(toHalfWidth(text)).replace(/\s+/g, '');
  for (const verb of t.matchAll(FEE_VERB)) {
    const sentenceStart = Math.max(t.lastIndexOf('。', verb.index! - 1), t.lastIndexOf('；', verb.index! - 1)) + 1;
    const clause = t.slice(sentenceStart, verb.index!);
    const years = [...clause.matchAll(LONE_YEAR)];
    const last = years[years.length - 1];
    if (last && clause.length - last.index! <= 30) return Number(last[1]);
  }
  return null;
}
