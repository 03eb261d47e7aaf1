// Figures stated in the narrative (`text.*` in format.md). Matching runs on the section's
// text with whitespace removed, because a PDF wraps sentences mid-phrase; an offset map
// leads each figure back to the line it was printed on.
import { simplify, toHalfWidth } from './normalize.js';
import { lineText } from './sections.js';
import type { Evidence, Line } from './types.js';

export interface FlatText {
  text: string;
  /** start offset in `text` of each contributing line */
  starts: number[];
  lines: Line[];
}

export function flatten(lines: Line[]): FlatText {
  let text = '';
  const starts: number[] = [];
  const kept: Line[] = [];
  for (const line of lines) {
    const t = simplify(toHalfWidth(line.kind === 'row' ? line.cells.map((c) => c.text).join('') : lineText(line))).replace(/\s+/g, '');
    if (!t) continue;
    starts.push(text.length);
    kept.push(line);
    text += t;
  }
  return { text, starts, lines: kept };
}

function lineAt(flat: FlatText, offset: number): Line {
  let lo = 0;
  let hi = flat.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (flat.starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return flat.lines[lo]!;
}

function sentenceAround(text: string, at: number, end: number): string {
  const from = Math.max(text.lastIndexOf('。', at - 1), text.lastIndexOf('；', at - 1)) + 1;
  let to = text.indexOf('。', end);
  if (to < 0) to = text.length;
  const s = text.slice(from, to + 1);
  return s.length > 200 ? text.slice(Math.max(from, at - 60), Math.min(to + 1, end + 60)) : s;
}

interface Pattern {
  re: RegExp;
  /** fixed value (e.g. 0 for 未收到) instead of the captured number */
  value?: number;
}

export interface StatedFigure {
  key: string;
  value: number;
  evidence: Evidence;
}

/** Requests of other kinds (licensing, review, litigation, complaints) a sentence about 申请 may concern. */
const OTHER_REQUESTS = /复议|诉讼|投诉|举报|信访|许可|审批|结转|上年/;

const PATTERNS: Record<string, Pattern[]> = {
  'text.proactive_items': [
    { re: /(?:公开|发布|更新)[^。；]{0,40}?信息(?:共计|合计|累计|总计|共|达)?(\d[\d,]*)条/g },
  ],
  // 申请 never followed by 人 (申请人 is the applicant); counted in 件 only ("15个工作日" is no count)
  'text.requests_received': [
    { re: /(?:未|没有|无)(?:收到|受理|接到)([^。；]{0,30}?)申请(?!人)/g, value: 0 },
    { re: /(?:收到|受理|接到|新收)([^。；\d]{0,24}?申请(?!人)[^。；\d]{0,10}?)(\d+)件/g },
    { re: /(?:收到|受理|接到|新收)([^。；\d]{0,6}?)(\d+)件([^。；\d]{0,12}?)申请(?!人)/g },
  ],
  'text.requests_closed': [{ re: /办结([^。；\d]{0,12}?)(\d+)件/g }],
  'text.review_cases': [{ re: /行政复议(?:案件|申请)?(?:共计|共)?(\d+)(?:件|起|宗)/g }],
  'text.suit_cases': [{ re: /行政诉讼(?:案件)?(?:共计|共)?(\d+)(?:件|起|宗)/g }],
};

/** Counts of disclosure requests: the words around the count say what was requested. */
const ABOUT_REQUESTS = new Set(['text.requests_received', 'text.requests_closed']);
/** Figures about review and litigation count only after the sentence has said it concerns disclosure. */
const NEEDS_DISCLOSURE = new Set(['text.review_cases', 'text.suit_cases']);

/**
 * The figures a section states. Where a sentence says 其中 before a figure, the figure is
 * a part, not the whole, and is skipped; when several whole figures disagree the first
 * is kept and a warning says so.
 */
export function statedFigures(flat: FlatText, keys: string[], warnings: string[]): StatedFigure[] {
  const out: StatedFigure[] = [];
  for (const key of keys) {
    const hits: Array<{ value: number; at: number; end: number }> = [];
    for (const p of PATTERNS[key] ?? []) {
      for (const m of flat.text.matchAll(p.re)) {
        const at = m.index!;
        const sentenceStart = Math.max(flat.text.lastIndexOf('。', at - 1), flat.text.lastIndexOf('；', at - 1)) + 1;
        if (flat.text.slice(sentenceStart, at).includes('其中')) continue;
        if (ABOUT_REQUESTS.has(key)) {
          // the words between verb and 申请 must not name another kind of request, and a
          // count must say it is about disclosure (公开) unless it is the bare "收到申请N件"
          const span = m.slice(1).filter((g) => g !== undefined && !/^\d+$/.test(g)).join('');
          if (OTHER_REQUESTS.test(span)) continue;
          if (p.value === undefined && span.replace(/申请/g, '').length > 2 && !/公开/.test(span)) continue;
        }
        if (NEEDS_DISCLOSURE.has(key) && !/信息公开/.test(flat.text.slice(sentenceStart, at))) continue;
        const printedNumber = m.slice(1).find((g) => g !== undefined && /^\d[\d,]*$/.test(g));
        const value = p.value ?? Number(printedNumber!.replace(/,/g, ''));
        hits.push({ value, at, end: at + m[0].length });
      }
    }
    if (!hits.length) continue;
    hits.sort((a, b) => a.at - b.at);
    const first = hits[0]!;
    const others = [...new Set(hits.map((h) => h.value))].filter((v) => v !== first.value);
    if (others.length) warnings.push(`${key}：正文给出多个数字（${[first.value, ...others].join('、')}），取第一个 ${first.value}`);
    const line = lineAt(flat, first.at);
    const printed = flat.text.slice(first.at, first.end);
    const evidence: Evidence = { ...line.pos, printed, text: sentenceAround(flat.text, first.at, first.end) };
    // a line read by OCR passes on its doubt
    const confidences = line.cells.map((c) => c.confidence).filter((c): c is number => c !== undefined);
    if (confidences.length) evidence.confidence = Math.min(...confidences);
    out.push({ key, value: first.value, evidence });
  }
  return out;
}
