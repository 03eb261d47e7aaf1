// Finding the six section headings. A heading is a short line (or a table row with one
// filled cell, when a report puts everything in one big table) whose text ends with the
// section's distinctive words; numbering (一、 / 1. / Markdown #) is optional, but a
// parenthesised (一) marks a sub-heading of § 一 and is never a section.
import { SECTION_HEADINGS, SECTION_HEADINGS_INLINE, SECTION_NUMERALS, type SectionNumeral } from './layout.js';
import { matchForm } from './normalize.js';
import type { Line } from './types.js';

export interface SectionSpan {
  numeral: SectionNumeral;
  /** index of the heading line */
  start: number;
  /** index after the last line of the section */
  end: number;
  heading: string;
}

const NUMBERING = /^(?:第?[一二三四五六七八九十]+(?:部分)?[、.,:：．]?|[1-9][、.．]|[1-9](?=[\u4e00-\u9fff]))/;
const MAX_HEADING = 32;

export function lineText(line: Line): string {
  if (line.kind === 'text') return line.cells.map((c) => c.text).join(' ');
  const filled = line.cells.filter((c) => c.text !== '');
  return filled.length === 1 ? filled[0]!.text : '';
}

/** Words every heading ends with (also in traditional form): most lines are skipped unnormalised. */
const HEADING_HINT = /情[况況]|事[项項]|问题|問題/;

/**
 * Numbered headings run into the text around them, as in page text scraped onto one
 * line ("…成效。二、主动公开政府信息情况 第二十条…"): split them onto lines of their own.
 */
const INLINE_HEADING = new RegExp(`[一二三四五六][、.．]\\s*(?:${Object.values(SECTION_HEADINGS_INLINE).join('|')})`, 'g');

/** Lines with inline headings split out; `index[i]` is where old line i now starts (`index[n]`: the new length). */
export function splitInlineHeadings(lines: Line[]): { lines: Line[]; index: number[] } {
  const out: Line[] = [];
  const index: number[] = [];
  for (const line of lines) {
    index.push(out.length);
    const text = line.kind === 'text' && line.cells.length === 1 ? line.cells[0]!.text : '';
    const pieces: string[] = [];
    if (text.length > MAX_HEADING * 2) {
      let last = 0;
      for (const m of text.matchAll(INLINE_HEADING)) {
        pieces.push(text.slice(last, m.index), m[0]);
        last = m.index! + m[0].length;
      }
      if (pieces.length) pieces.push(text.slice(last));
    }
    const parts = pieces.map((p) => p.trim()).filter(Boolean);
    if (parts.length > 1) for (const p of parts) out.push({ kind: 'text', pos: line.pos, cells: [{ ...line.cells[0]!, text: p }] });
    else out.push(line);
  }
  index.push(out.length);
  return { lines: out, index };
}

export function headingOf(line: Line): SectionNumeral | null {
  const raw = lineText(line);
  if (!raw || raw.length > MAX_HEADING * 2 || !HEADING_HINT.test(raw)) return null;
  let t = matchForm(raw).replace(/[:：。.]+$/, '');
  if (t.startsWith('(')) return null;
  const numbering = NUMBERING.exec(t)?.[0] ?? '';
  // "2.问题整改情况" inside § 一 is a sub-heading: Arabic numbering must be the section's own
  const digit = /^[1-9]/.test(numbering) ? Number(numbering[0]) : null;
  t = t.slice(numbering.length);
  if (t.length === 0 || t.length > MAX_HEADING) return null;
  for (const [i, n] of SECTION_NUMERALS.entries()) {
    if (SECTION_HEADINGS[n].test(t)) return digit === null || digit === i + 1 ? n : null;
  }
  return null;
}

/**
 * The first heading of each section, in document order, each running to the next.
 * Headings on consecutive lines (three or more, nothing between them) are a table of
 * contents and are skipped.
 */
export function findSections(lines: Line[], from = 0, to = lines.length): SectionSpan[] {
  const hits: Array<{ i: number; n: SectionNumeral }> = [];
  for (let i = from; i < to; i++) {
    const n = headingOf(lines[i]!);
    if (n) hits.push({ i, n });
  }
  const toc = new Set<number>();
  for (let a = 0; a < hits.length; ) {
    let b = a;
    while (b + 1 < hits.length && hits[b + 1]!.i === hits[b]!.i + 1) b++;
    if (b - a >= 2) for (let k = a; k <= b; k++) toc.add(k);
    a = b + 1;
  }
  const found: SectionSpan[] = [];
  const seen = new Set<SectionNumeral>();
  hits.forEach((h, k) => {
    if (toc.has(k) || seen.has(h.n)) return;
    seen.add(h.n);
    found.push({ numeral: h.n, start: h.i, end: to, heading: lineText(lines[h.i]!) });
  });
  for (let k = 0; k + 1 < found.length; k++) found[k]!.end = found[k + 1]!.start;
  return found;
}
