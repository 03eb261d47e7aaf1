// Media types of files by extension; the parser sniffs the bytes when the extension says nothing.
import { extname } from 'node:path';

const BY_EXT: Record<string, string> = {
  '.html': 'text/html',
  '.htm': 'text/html',
  '.shtml': 'text/html',
  '.xhtml': 'application/xhtml+xml',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.tsv': 'text/plain',
};

export function mediaTypeOf(path: string): string | undefined {
  return BY_EXT[extname(path).toLowerCase()];
}
