// One document in, one canonical report out (report-json.md). `parseLines` is the entry
// point for every extractor: whatever reads PDF geometry, DOCX or OCR hands over lines.
import { createHash } from 'node:crypto';
import { checkHtmlNesting, decodeText, looksLikeHtml } from './decode.js';
import { htmlToLines } from './html-lines.js';
import { SECTION_NUMERALS, type Format } from './layout.js';
import { agencyFromTitle, findTitle, yearOf, periodYear, openingYear } from './meta.js';
import { flatten, statedFigures } from './narrative.js';
import { findSections, lineText, mayHoldHeading, splitInlineHeadings, type SectionSpan } from './sections.js';
import { readS2, readS3, readS4, type Figures, type TableResult } from './tables.js';
import { isProse } from './table-reader.js';
import { textToLines } from './text-lines.js';
import type { DocumentInput, DocumentMeta, Line, ParsedReport, TableId, TableStatus } from './types.js';
import { PARSER } from './version.js';

export interface LinesInput {
  lines: Line[];
  meta: DocumentMeta;
  /** line ranges of the page's block elements (HTML): the report is the smallest holding all its sections */
  blocks?: Array<[number, number]>;
  /** titles the page gives besides its content, best first (meta ArticleTitle, h1, <title>) */
  titleHints?: Array<string | null | undefined>;
}

/** The first reporting year of the 2019 format (国办公开办函〔2019〕60号). */
const OLD_BEFORE = 2019;

/** Narrative kept per section; a whole § 一 of any real report fits. */
const MAX_NARRATIVE = 100_000;

function narrativeOf(lines: Line[], proseOnly: boolean): string {
  const parts: string[] = [];
  let size = 0;
  for (const line of lines) {
    const t = line.kind === 'row' ? line.cells.map((c) => c.text).filter(Boolean).join(' ') : lineText(line);
    if (!t || (proseOnly && !/[。；]/.test(t))) continue;
    parts.push(t);
    size += t.length;
    if (size > MAX_NARRATIVE) break;
  }
  return parts.join('\n').slice(0, MAX_NARRATIVE);
}

function pickFormat(s2: Format | null, s3: Format | null, warnings: string[]): ParsedReport['format'] {
  if (s2 && s3 && s2 !== s3) warnings.push(`§ 二为 ${s2} 年格式，§ 三为 ${s3} 年格式`);
  if (s2 === '2019' || s3 === '2019') return '2019';
  if (s2 === '2021' || s3 === '2021') return '2021';
  return 'unknown';
}

export function parseLines(input: LinesInput): ParsedReport {
  const { lines, index } = splitInlineHeadings(input.lines);
  const warnings: string[] = [];
  let from = 0;
  let to = lines.length;
  let sections = findSections(lines);
  if (input.blocks && sections.length >= 2) {
    // The page chrome (menus, footer) lies outside the smallest block holding every heading.
    const a = sections[0]!.start;
    const b = sections[sections.length - 1]!.start;
    let best: [number, number] | null = null;
    for (const [s, e] of input.blocks) {
      const blk: [number, number] = [index[s]!, index[e]!];
      if (blk[0] <= a && blk[1] > b && (!best || blk[1] - blk[0] < best[1] - best[0])) best = blk;
    }
    if (best) {
      [from, to] = best;
      sections = findSections(lines, 0, to);
    }
  }
  const sec: Partial<Record<string, SectionSpan>> = Object.fromEntries(sections.map((s) => [s.numeral, s]));
  const body = (s: SectionSpan | undefined) => (s ? lines.slice(s.start + 1, s.end) : []);
  const firstHeading = sections[0]?.start ?? to;

  // the content block first, then the page's own title fields, and only then the page
  // around the block (where menus and sidebars list other reports' titles)
  const title = findTitle(lines, from, firstHeading, input.titleHints ?? []) ?? findTitle(lines, 0, from, []);
  const narrative: Record<string, string> = {};
  const preamble = lines.slice(Math.max((title?.endLine ?? -1) + 1, from), firstHeading);
  if (preamble.length) narrative['前言'] = narrativeOf(preamble, false);
  for (const s of sections) {
    const text = narrativeOf(body(s), ['二', '三', '四'].includes(s.numeral));
    if (text || !['二', '三', '四'].includes(s.numeral)) narrative[s.numeral] = text;
  }

  let year = yearOf(title?.title);
  if (year === null) {
    const all = Object.values(narrative).join('\n');
    year = periodYear(all) ?? openingYear(narrative['一'] ?? '') ?? openingYear(narrative['前言'] ?? '');
    if (year !== null) warnings.push(`标题中没有年份，报告年度 ${year} 取自正文`);
  }
  // Reports for years before 2019 follow the format of their time (no § 三 request table,
  // one statistics table of its own): stored and their stated figures read, never held to
  // the current format's tables and sections.
  const old = year !== null && year < OLD_BEFORE;
  if (old) warnings.push(`${year} 年度报告为 2019 年以前的旧格式，不按现行格式的表格和章节读取与检查`);
  const fig: Figures = { values: {}, units: {}, missing: [], evidence: {}, warnings };

  const tables: Record<TableId, TableStatus> = { s2: 'absent', s3: 'absent', s4: 'absent' };
  let s2 = sec['二'] && !old ? readS2(body(sec['二']), fig) : null;
  if (s2) tables.s2 = s2.status;
  if (!sec['三'] && !old) warnings.push('未找到第三部分标题，按行标签在全文中查找申请情况表');
  const s3: TableResult = old ? { status: 'absent', format: null } : readS3(sec['三'] ? body(sec['三']) : lines.slice(from, to), fig);
  tables.s3 = s3.status;
  const s4 = sec['四'] && !old ? readS4(body(sec['四']), fig) : null;
  if (s4) tables.s4 = s4.status;
  const doubts: Partial<Record<TableId, string>> = {};
  for (const [t, read] of [['s2', s2], ['s3', s3], ['s4', s4]] as const) {
    if (read?.status === 'doubtful' && read.reasons?.length) doubts[t] = read.reasons.join('、');
  }
  for (const t of ['s2', 's3', 's4'] as const) {
    if (tables[t] === 'doubtful') warnings.push(`表 ${t} 读取存疑，依赖该表的检查不予执行`);
  }

  // § 二 under a heading the parser does not know: its table is sought before § 三
  if (!s2 && sec['三'] && !old) {
    const prev = sections.filter((x) => x.start < sec['三']!.start).pop();
    const region = lines.slice(prev ? prev.start + 1 : from, sec['三'].start);
    const probe: Figures = { values: {}, units: {}, missing: [], evidence: {}, warnings: [] };
    const found = readS2(region, probe);
    if (found.status === 'ok') {
      Object.assign(fig.values, probe.values);
      Object.assign(fig.units, probe.units);
      Object.assign(fig.evidence, probe.evidence);
      fig.missing.push(...probe.missing);
      warnings.push('未识别第二部分标题，主动公开情况表按行标签读取', ...probe.warnings);
      tables.s2 = 'ok';
      s2 = found;
    }
  }
  const unrecognised = old ? [] : unrecognisedSections(lines, sections, from, to, title?.endLine ?? -1, tables);
  if (unrecognised.length) warnings.push(`未能识别标题的章节：${unrecognised.map((n) => `第${n}部分`).join('、')}（内容似乎存在）`);

  // the old format states its figures in sections of its own: the whole text is read for them
  const whole = old ? lines.slice(from, to) : null;
  const stated = [
    ...statedFigures(flatten(whole ?? [...preamble, ...body(sec['一'])]), ['text.proactive_items', 'text.requests_received', 'text.requests_closed'], warnings),
    ...statedFigures(flatten(whole ?? [...body(sec['一']), ...body(sec['四'])]), ['text.review_cases', 'text.suit_cases'], warnings),
  ];
  for (const f of stated) {
    fig.values[f.key] = f.value;
    fig.evidence[f.key] = f.evidence;
  }

  const { agency, printed } = title ? agencyFromTitle(title.title) : { agency: null, printed: null };
  if (agency && printed && agency !== printed.replace(/\s+/g, '')) warnings.push(`机构名称“${printed}”按“${agency}”读取`);
  const published = yearOf(input.meta.publishedAt?.replace(/^(\d{4})-/, '$1年'));
  if (year !== null && published !== null && year >= published) {
    warnings.push(`报告年度 ${year} 不早于发布日期 ${input.meta.publishedAt}，请核对`);
  }

  const found = sections.map((s) => s.numeral as string);
  const anyTable = tables.s2 !== 'absent' || tables.s3 !== 'absent';
  let status: ParsedReport['status'] = 'partial';
  if (old && (title || sections.length >= 2)) status = 'report';
  else if (sections.length < 2 && !anyTable) {
    status = 'not_report';
    warnings.push('未找到年度报告的章节和统计表，不是政府信息公开工作年度报告');
  } else if (found.length === SECTION_NUMERALS.length && tables.s2 !== 'absent' && tables.s3 !== 'absent' && tables.s4 !== 'absent') {
    status = 'report';
  } else {
    const lacking = SECTION_NUMERALS.filter((n) => !sec[n]);
    if (lacking.length) warnings.push(`缺少章节：${lacking.map((n) => `第${n}部分`).join('、')}`);
  }

  return {
    parser: PARSER,
    source: { file: input.meta.file, url: input.meta.url, sha256: input.meta.sha256, mediaType: input.meta.mediaType, publishedAt: input.meta.publishedAt },
    status,
    title: title?.title ?? null,
    agency,
    year,
    format: status === 'not_report' ? 'unknown' : old ? 'old' : pickFormat(s2?.format ?? null, s3.format, warnings),
    sections: found,
    narrative,
    values: fig.values,
    missing: fig.missing,
    evidence: fig.evidence,
    ...(Object.keys(fig.units).length ? { units: fig.units } : {}),
    tables,
    ...(Object.keys(doubts).length ? { doubts } : {}),
    unrecognisedSections: unrecognised,
    layout: { s2: s2?.format ?? null, s3: s3.format, s3Columns: s3.columns ?? null },
    findings: [],
    notChecked: [],
    warnings,
  };
}

const PROSE_ENOUGH = 40;
const S4_HEADER = /结果维持|尚未审结|复议后起诉|未经复议直接起诉/;

function proseLength(lines: Line[]): number {
  let n = 0;
  for (const l of lines) {
    const t = lineText(l);
    if (isProse(t)) n += t.length;
  }
  return n;
}

/**
 * Sections whose heading was not recognised although their content is evidently there:
 * a parser doubt, never a missing section.
 */
function unrecognisedSections(
  lines: Line[],
  sections: SectionSpan[],
  from: number,
  to: number,
  titleEnd: number,
  tables: Record<TableId, TableStatus>,
): string[] {
  const found = new Set(sections.map((s) => s.numeral as string));
  const out: string[] = [];
  const bodyOf = (n: string) => {
    const s = sections.find((x) => x.numeral === n);
    return s ? lines.slice(s.start + 1, s.end) : [];
  };
  const before = (n: string) => {
    const k = SECTION_NUMERALS.indexOf(n as never);
    return sections.filter((s) => SECTION_NUMERALS.indexOf(s.numeral) < k).pop();
  };
  for (const n of SECTION_NUMERALS) {
    if (found.has(n)) continue;
    const prev = before(n);
    const prevBody = prev ? bodyOf(prev.numeral) : lines.slice(Math.max(titleEnd + 1, from), sections[0]?.start ?? to);
    let there = false;
    if (n === '二') there = tables.s2 !== 'absent';
    else if (n === '三') there = tables.s3 !== 'absent';
    else if (n === '四') there = prevBody.some((l) => S4_HEADER.test(lineText(l)));
    else if (n === '六') there = /处理费|收费|其他需要报告/.test(prevBody.map(lineText).join(''));
    else there = proseLength(prevBody) >= PROSE_ENOUGH && (n === '一' || ['二', '三', '四'].includes(prev?.numeral ?? ''));
    // a heading-shaped line where the section belongs that could not be placed: the reader's doubt
    const k = SECTION_NUMERALS.indexOf(n);
    const next = sections.filter((s) => SECTION_NUMERALS.indexOf(s.numeral) > k).sort((a, b) => a.start - b.start)[0];
    if (there || mayHoldHeading(lines, n, prev ? prev.start + 1 : Math.max(titleEnd + 1, from), next?.start ?? to)) out.push(n);
  }
  return out;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Text or HTML bytes in; throws UnreadableDocumentError for what is not a text document. */
export function parseDocument(input: DocumentInput): ParsedReport {
  const text = decodeText(input.bytes);
  const html = looksLikeHtml(text, input.mediaType);
  const meta: DocumentMeta = {
    file: input.file,
    url: input.url,
    pageTitle: input.pageTitle,
    publishedAt: input.publishedAt,
    mediaType: input.mediaType ?? (html ? 'text/html' : 'text/plain'),
    sha256: sha256(input.bytes),
  };
  if (html) {
    checkHtmlNesting(text);
    const h = htmlToLines(text);
    // the 集约化 page template states the publication date in a <meta>
    meta.publishedAt ??= h.meta.PubDate ?? h.meta.pubdate ?? h.meta.firstpublishedtime;
    const report = parseLines({ lines: h.lines, blocks: h.blocks, meta, titleHints: [h.meta.ArticleTitle, h.h1, input.pageTitle, h.titleTag] });
    report.warnings.unshift(...h.warnings);
    return report;
  }
  return parseLines({ lines: textToLines(text), meta, titleHints: [input.pageTitle] });
}

/** The document as the parser saw it: one line of text per extracted line or table row. */
export function documentText(input: DocumentInput): string {
  const text = decodeText(input.bytes);
  return printLines(looksLikeHtml(text, input.mediaType) ? (checkHtmlNesting(text), htmlToLines(text).lines) : textToLines(text));
}

/**
 * Lines printed one per line (table cells apart by tabs), each on the line number its
 * evidence names (blank lines kept), so that a cell's `line` finds it in this text.
 */
export function printLines(lines: Line[]): string {
  const out: string[] = [];
  for (const l of lines) {
    const text = l.kind === 'row' ? l.cells.map((c) => c.text).join('\t') : lineText(l);
    const at = l.pos.line !== undefined && l.pos.line > out.length ? l.pos.line - 1 : out.length;
    while (out.length < at) out.push('');
    out.push(text);
  }
  return out.join('\n');
}
