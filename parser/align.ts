// Matching printed labels and headings to the format's by alignment rather than by exact
// phrases: a label is placed by its order among its neighbours, by its numbering (1.,
// （三）, 四、) and by how many characters it shares with the official wording, so that one
// missing, extra or wrong character — a misprint or an OCR confusion — never loses a row
// or a section. Matching happens on match-form text (normalize.ts); evidence keeps the print.
import { toHalfWidth } from './normalize.js';

/** Edit distance of a and b, or max + 1 as soon as it must exceed max. */
export function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]!);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

export interface Occurrence {
  /** edit distance between the pattern and text[start, end) */
  d: number;
  start: number;
  end: number;
}

/**
 * Where `pattern` occurs in `text` with the fewest edits (semi-global alignment: the text
 * around the occurrence is free). Ties go to the earliest, shortest occurrence.
 */
export function bestOccurrence(pattern: string, text: string): Occurrence | null {
  const m = pattern.length;
  const n = text.length;
  if (m === 0 || n === 0) return null;
  // column j of the DP over the pattern; `from` tracks where each alignment began in the text
  let prev = Array.from({ length: m + 1 }, (_, i) => i);
  let prevFrom = new Array<number>(m + 1).fill(0);
  let best: Occurrence | null = null;
  for (let j = 1; j <= n; j++) {
    const cur = [0];
    const curFrom = [j];
    for (let i = 1; i <= m; i++) {
      const sub = prev[i - 1]! + (pattern[i - 1] === text[j - 1] ? 0 : 1);
      const del = prev[i]! + 1; // a text character the pattern lacks
      const ins = cur[i - 1]! + 1; // a pattern character the text lacks
      if (sub <= del && sub <= ins) {
        cur[i] = sub;
        curFrom[i] = i === 1 ? j - 1 : prevFrom[i - 1]!;
      } else if (del <= ins) {
        cur[i] = del;
        curFrom[i] = prevFrom[i]!;
      } else {
        cur[i] = ins;
        curFrom[i] = curFrom[i - 1]!;
      }
    }
    if (!best || cur[m]! < best.d) best = { d: cur[m]!, start: curFrom[m]!, end: j };
    prev = cur;
    prevFrom = curFrom;
  }
  return best;
}

/** The edits a label of this length may carry and still be recognised: about one character in three. */
export function tolerance(length: number): number {
  return length < 4 ? 0 : Math.min(6, Math.floor(length / 3));
}

/**
 * Printed numbering in a comparable form: "(三)" for （三）, "三" for 三、, "3" for 3. 3、 （3） 3 before a word.
 * Null when the text starts with none.
 */
export function numberingOf(printed: string): string | null {
  const t = toHalfWidth(printed).trim();
  // OCR reads a bracket as 《 》 < > at times
  const m = /^(?:[(（《<]\s*([一二三四五六七八九十]+)\s*[)）》>]|([一二三四五六七八九十]+)\s*[、.．,，]|[(（《<]?\s*(\d{1,2})\s*(?:[)）》>.、．,，]|(?=[\u4e00-\u9fff])))/.exec(t);
  if (!m) return null;
  return m[1] ? `(${m[1]})` : (m[2] ?? m[3]!);
}

/** Characters a and b share (as multisets) over the longer's length: order-free, for reworded headings. */
export function overlap(a: string, b: string): number {
  if (!a.length || !b.length) return 0;
  const count = new Map<string, number>();
  for (const c of a) count.set(c, (count.get(c) ?? 0) + 1);
  let common = 0;
  for (const c of b) {
    const k = count.get(c) ?? 0;
    if (k > 0) {
      common++;
      count.set(c, k - 1);
    }
  }
  return common / Math.max(a.length, b.length);
}
