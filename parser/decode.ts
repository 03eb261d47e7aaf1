// Bytes to text, refusing what is not text. Encodings: a BOM wins; otherwise strict UTF-8,
// then GB18030 (the superset of GB2312/GBK that government sites actually serve).

export class UnreadableDocumentError extends Error {
  constructor(
    readonly code: 'empty' | 'too_large' | 'binary' | 'unsupported_form' | 'malformed' | 'encrypted' | 'timeout' | 'crashed',
    message: string,
  ) {
    super(message);
    this.name = 'UnreadableDocumentError';
  }
}

/** Documents above this are refused before any work (a 20 MB page is read; 64 MB is not). */
export const MAX_BYTES = 64 * 1024 * 1024;

const SIGNATURES: Array<[number[], string]> = [
  [[0x25, 0x50, 0x44, 0x46], 'PDF'],
  [[0x50, 0x4b, 0x03, 0x04], 'DOCX/ZIP'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'DOC/WPS'],
  [[0x89, 0x50, 0x4e, 0x47], 'PNG 图片'],
  [[0xff, 0xd8, 0xff], 'JPEG 图片'],
  [[0x47, 0x49, 0x46, 0x38], 'GIF 图片'],
];

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

export function decodeText(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new UnreadableDocumentError('empty', '文件为空');
  if (bytes.length > MAX_BYTES) {
    throw new UnreadableDocumentError('too_large', `文件过大（${(bytes.length / 1048576).toFixed(1)} MB，上限 ${MAX_BYTES / 1048576} MB）`);
  }
  for (const [sig, form] of SIGNATURES) {
    if (startsWith(bytes, sig)) {
      throw new UnreadableDocumentError('unsupported_form', `这是 ${form} 文件，文本解析器只读取文本和 HTML`);
    }
  }
  let text: string;
  if (startsWith(bytes, [0xff, 0xfe])) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (startsWith(bytes, [0xfe, 0xff])) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // A stray byte in a UTF-8 file must not turn it into GB18030 mojibake: keep UTF-8
      // when it explains all but a handful of bytes.
      const lenient = new TextDecoder('utf-8').decode(bytes);
      let bad = 0;
      for (let i = 0; i < lenient.length; i++) if (lenient.charCodeAt(i) === 0xfffd) bad++;
      text = bad <= Math.max(2, lenient.length / 2000) ? lenient : new TextDecoder('gb18030').decode(bytes);
    }
  }
  // Control characters other than layout whitespace mean this is not text.
  let control = 0;
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) control++;
  }
  if (control > sample.length * 0.01 + 2) {
    throw new UnreadableDocumentError('binary', '不是文本文件（含大量不可打印字符）');
  }
  if (text.trim() === '') throw new UnreadableDocumentError('empty', '文件没有文字内容');
  // a stray NUL carries no text (and no database text type can hold it)
  return text.includes('\u0000') ? text.replace(/\u0000/g, '') : text;
}

/** Elements whose end tag is optional, or that have none: they do not nest in practice. */
const NO_NESTING = new Set('p li td th tr dt dd option optgroup thead tbody tfoot colgroup caption html head body br hr img input meta link area base col embed param source track wbr rb rt rp'.split(' '));
/** Real pages nest a few dozen elements deep; HTML parsers slow to a crawl on hundreds of thousands. */
export const MAX_HTML_DEPTH = 5_000;

const isNameChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);

/** Refuses HTML nested beyond MAX_HTML_DEPTH, by a linear scan of its tags before any parsing. */
export function checkHtmlNesting(html: string): void {
  let depth = 0;
  for (let i = html.indexOf('<'); i >= 0; i = html.indexOf('<', i + 1)) {
    let j = i + 1;
    const closing = html.charCodeAt(j) === 47; // '/'
    if (closing) j++;
    const from = j;
    while (j < html.length && isNameChar(html.charCodeAt(j))) j++;
    if (j === from) continue;
    if (NO_NESTING.has(html.slice(from, j).toLowerCase())) continue;
    const end = html.indexOf('>', j);
    if (end < 0) break;
    if (html.charCodeAt(end - 1) === 47) continue; // self-closing
    depth += closing ? -1 : 1;
    if (depth > MAX_HTML_DEPTH) throw new UnreadableDocumentError('malformed', `HTML 元素嵌套超过 ${MAX_HTML_DEPTH} 层，不是正常网页`);
  }
}

export function looksLikeHtml(text: string, mediaType?: string): boolean {
  if (mediaType && /html|xml/i.test(mediaType)) return true;
  if (mediaType && /^text\/(plain|markdown)/i.test(mediaType)) return false;
  const head = text.slice(0, 4096).toLowerCase();
  return /<(!doctype html|html|head|body|table|div|p)[\s>]/.test(head);
}
