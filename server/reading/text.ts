// What the reader saw, kept in gzipped pages of lines: made in the reader process at import,
// served a page at a time, so no request ever holds or inflates a whole document's text.
import { gunzip, gzipSync } from 'node:zlib';
import { promisify } from 'node:util';

export const TEXT_PAGE_LINES = 1000;

export interface ReaderText {
  /** lines of the whole text */
  lines: number;
  /** page i holds lines i·TEXT_PAGE_LINES + 1 … (i + 1)·TEXT_PAGE_LINES, gzipped */
  pages: Uint8Array[];
}

export function textPages(text: string): ReaderText {
  const lines = text.split('\n');
  const pages: Uint8Array[] = [];
  for (let i = 0; i < Math.max(1, lines.length); i += TEXT_PAGE_LINES) {
    pages.push(new Uint8Array(gzipSync(lines.slice(i, i + TEXT_PAGE_LINES).join('\n'))));
  }
  return { lines: lines.length, pages };
}

const inflate = promisify(gunzip);

/** A page's lines, inflated off the event loop. */
export async function pageLines(gz: Uint8Array): Promise<string[]> {
  return (await inflate(gz)).toString('utf8').split('\n');
}
