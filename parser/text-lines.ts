// Plain text, tab-separated text and Markdown into lines. A line with tabs, or a Markdown
// pipe row, is a table row whose cells stay apart; anything else is running text.
import type { Line } from './types.js';

const PIPE_ROW = /^\s*\|.*\|\s*$/;
const PIPE_RULE = /^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$/;

export function textToLines(text: string): Line[] {
  const lines: Line[] = [];
  let table = 0;
  let inTable = false;
  const raw = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < raw.length; i++) {
    const s = raw[i]!;
    const line = i + 1;
    if (s.trim() === '') continue;
    let cells: string[] | null = null;
    if (s.includes('\t')) cells = s.split('\t');
    else if (PIPE_ROW.test(s)) {
      if (PIPE_RULE.test(s)) continue;
      cells = s.trim().slice(1, -1).split('|');
    }
    if (cells) {
      if (!inTable) table++;
      inTable = true;
      lines.push({
        kind: 'row',
        pos: { line, table },
        cells: cells.map((c, j) => ({ text: c.trim(), pos: { line, table, col: j + 1 } })),
      });
    } else {
      inTable = false;
      lines.push({ kind: 'text', pos: { line }, cells: [{ text: s.trim(), pos: { line } }] });
    }
  }
  return lines;
}
