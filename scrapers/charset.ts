// A page's text from its bytes: the HTTP charset, then the page's own <meta> declaration,
// then strict UTF-8, then detection. GB2312 and GBK are decoded as GB18030, their superset
// (郏 is not in GB2312, and sites that declare it still serve it).
import chardet from 'chardet';

const GB = /^(gb2312|gbk|gb_2312-80|x-gbk|gb18030|euc-cn|cp936|hz-gb-2312)$/i;

function label(charset: string | null | undefined): string | null {
  if (!charset) return null;
  const c = charset.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (GB.test(c)) return 'gb18030';
  if (c === 'utf8') return 'utf-8';
  try {
    new TextDecoder(c);
    return c;
  } catch {
    return null;
  }
}

export function decodePage(bytes: Uint8Array, contentType = ''): { text: string; charset: string } {
  const http = label(/charset\s*=\s*([^;\s]+)/i.exec(contentType)?.[1]);
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const meta = label(/<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1]);
  // a UTF-8 BOM outranks any declaration
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), charset: 'utf-8' };
  for (const c of [http, meta]) {
    if (!c) continue;
    // a declaration of UTF-8 the bytes contradict is a template's lie, common on GBK sites
    if (c === 'utf-8') {
      try {
        return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), charset: 'utf-8' };
      } catch {
        continue;
      }
    }
    return { text: new TextDecoder(c).decode(bytes), charset: c };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), charset: 'utf-8' };
  } catch {
    const guess = label(chardet.detect(Buffer.from(bytes)) ?? null);
    const c = guess && guess !== 'utf-8' && /gb|big5/i.test(guess) ? guess : 'gb18030';
    return { text: new TextDecoder(c).decode(bytes), charset: c };
  }
}
