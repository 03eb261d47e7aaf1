// A page nested thousands of elements deep stalls an HTML parser (cheerio's parse5 spends
// quadratic time on it) in the crawl's own thread: such a page is not walked at all.
import { checkHtmlNesting, UnreadableDocumentError } from '../parser/decode.js';

export function walkable(html: string): boolean {
  try {
    checkHtmlNesting(html);
    return true;
  } catch (e) {
    if (e instanceof UnreadableDocumentError) return false;
    throw e;
  }
}
