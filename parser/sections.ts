// Finding the six section headings. A heading is a short line (or a table row with one
// filled cell, when a report puts everything in one big table) whose text ends with the
// section's distinctive words; numbering (一、 / 1. / Markdown #) is optional, but a
// parenthesised (一) marks a sub-heading of § 一 and is never a section. A heading printed
// with a misprint or in a department's own words is placed by alignment: between the
// sections found on either side, a heading-shaped line with the section's numbering and
// most of its words, or without numbering but within a slip or two of the official words.
import { distance, overlap, tolerance } from './align.js';
import { SECTION_HEADINGS, SECTION_HEADINGS_INLINE, SECTION_NUMERALS, SECTION_TITLES, type SectionNumeral } from './layout.js';
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

/**
 * Headings run into the text, [start, end) each: the official wordings, and a numbered
 * heading whose words are within a few slips of a section's ("四、政府信息公开行政法复议、
 * 行政诉讼情况" run into its table), aligned over the lengths a slip allows.
 */
const MAX_INLINE_CANDIDATES = 200;

function inlineHeadings(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(INLINE_HEADING)) out.push([m.index!, m.index! + m[0].length]);
  let candidates = 0;
  for (const m of text.matchAll(/[一二三四五六][、.．]\s*/g)) {
    // a hostile line may number thousands of things: the six headings are among the first few
    if (++candidates > MAX_INLINE_CANDIDATES) break;
    const at = m.index!;
    if (out.some(([a, b]) => at >= a && at < b)) continue;
    const official = SECTION_TITLES[m[0][0] as SectionNumeral];
    const max = tolerance(official.length);
    const from = at + m[0].length;
    let best: [number, number] | null = null;
    for (let len = official.length - max; len <= official.length + max; len++) {
      const d = distance(matchForm(text.slice(from, from + len)), official, max);
      if (d <= max && (!best || d < best[0])) best = [d, from + len];
    }
    if (best) out.push([at, best[1]]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

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
      for (const [at, end] of inlineHeadings(text)) {
        pieces.push(text.slice(last, at), text.slice(at, end));
        last = end;
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

/** Lines searched for a misprinted heading between two sections: a whole real report has a few hundred. */
const MAX_ALIGNED_LINES = 5_000;

interface HeadingShape {
  /** the section the printed numbering names (一、 第四部分 5.), if any */
  numeral: SectionNumeral | null;
  /** match-form words after the numbering */
  words: string;
}

/** A line shaped like a section heading: short, no sentence, not a parenthesised sub-heading. */
function headingShape(line: Line): HeadingShape | null {
  const raw = lineText(line);
  if (!raw || raw.length > MAX_HEADING * 2 || /[。；;]/.test(raw)) return null;
  const t = matchForm(raw).replace(/[:：。.]+$/, '');
  if (t.startsWith('(')) return null;
  const m = /^第?([一二三四五六])(?:部分)?[、.,:：．]|^([1-6])[、.．]/.exec(t);
  const words = m ? t.slice(m[0].length) : t;
  if (words.length < 2 || words.length > MAX_HEADING) return null;
  return { numeral: m ? (m[1] as SectionNumeral | undefined) ?? SECTION_NUMERALS[Number(m[2]) - 1]! : null, words };
}

/** How far the words are from a section's official heading (edit distance; Infinity beyond what a slip explains). */
function slips(words: string, n: SectionNumeral): number {
  const official = SECTION_TITLES[n];
  const max = tolerance(official.length);
  const d = distance(words, official, max);
  return d > max ? Infinity : d;
}

/**
 * Whether the line is section n's heading, misprinted or reworded: numbered as n with
 * its words within a few slips or sharing most of the official heading's characters,
 * or unnumbered within a few slips; and in either case nearer to n than to any other section.
 */
export function alignedHeading(line: Line, n: SectionNumeral): boolean {
  const s = headingShape(line);
  if (!s || (s.numeral !== null && s.numeral !== n)) return false;
  const d = slips(s.words, n);
  const share = overlap(s.words, SECTION_TITLES[n]);
  if (s.numeral === null ? d === Infinity : d === Infinity && share < 0.5) return false;
  return SECTION_NUMERALS.every((o) => {
    if (o === n) return true;
    const od = slips(s.words, o);
    return od > d || (od === d && overlap(s.words, SECTION_TITLES[o]) < share);
  });
}

/**
 * Whether lines [from, to) hold something that may be section n's heading though it
 * could not be placed: a heading-shaped line numbered as n, or sharing many of its words.
 * Where one does, a missing section is the reader's doubt, not the report's omission.
 */
export function mayHoldHeading(lines: Line[], n: SectionNumeral, from: number, to: number): boolean {
  for (let i = from; i < Math.min(to, from + MAX_ALIGNED_LINES); i++) {
    const s = headingShape(lines[i]!);
    if (s && (s.numeral === n || overlap(s.words, SECTION_TITLES[n]) >= 0.4)) return true;
  }
  return false;
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
  const tocLines = new Set([...toc].map((k) => hits[k]!.i));
  for (const n of SECTION_NUMERALS) {
    if (seen.has(n)) continue;
    const k = SECTION_NUMERALS.indexOf(n);
    const prev = found.filter((f) => SECTION_NUMERALS.indexOf(f.numeral) < k).sort((a, b) => b.start - a.start)[0];
    const next = found.filter((f) => SECTION_NUMERALS.indexOf(f.numeral) > k).sort((a, b) => a.start - b.start)[0];
    const lo = prev ? prev.start + 1 : from;
    const hi = next ? next.start : to;
    for (let i = lo; i < Math.min(hi, lo + MAX_ALIGNED_LINES); i++) {
      if (tocLines.has(i) || !alignedHeading(lines[i]!, n)) continue;
      seen.add(n);
      found.push({ numeral: n, start: i, end: to, heading: lineText(lines[i]!) });
      break;
    }
  }
  found.sort((a, b) => a.start - b.start);
  for (let k = 0; k + 1 < found.length; k++) found[k]!.end = found[k + 1]!.start;
  return found;
}
