// Word documents: DOCX through mammoth (tables stay tables, read by the HTML walk), legacy
// DOC and WPS through word-extractor (tables come out as tab-separated cells).
import { UnreadableDocumentError } from '../decode.js';
import { htmlToLines } from '../html-lines.js';
import { textToLines } from '../text-lines.js';
import type { Line } from '../types.js';
import { readZip } from './zip.js';

export async function docxToLines(bytes: Uint8Array): Promise<{ lines: Line[]; warnings: string[] }> {
  // inflated once with bounds before mammoth inflates it without any
  const { names } = readZip(bytes);
  if (!names.includes('word/document.xml')) throw new UnreadableDocumentError('unsupported_form', '这是 ZIP 压缩包，但不是 Word（DOCX）文档');
  const mammoth = (await import('mammoth')).default;
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value;
  } catch (e) {
    throw new UnreadableDocumentError('malformed', `DOCX 文档损坏，无法读取（${(e as Error).message}）`);
  }
  const h = htmlToLines(html);
  return { lines: h.lines, warnings: h.warnings };
}

/**
 * word-extractor ends a table row with an extra tab instead of a line break in most rows;
 * a row ends where two tabs are followed by a label (a value cell never starts one).
 */
function rowBreaks(body: string): string {
  return body.replace(/\t\t+(?=[^\t\n\d０-９\-—－–/／.．])/g, '\t\n');
}

export async function docToLines(bytes: Uint8Array, form: 'DOC' | 'WPS'): Promise<{ lines: Line[]; warnings: string[] }> {
  const WordExtractor = (await import('word-extractor')).default;
  let body: string;
  try {
    body = (await new WordExtractor().extract(Buffer.from(bytes))).getBody();
  } catch (e) {
    throw new UnreadableDocumentError(
      form === 'WPS' ? 'unsupported_form' : 'malformed',
      form === 'WPS' ? `WPS 文档无法读取（${(e as Error).message}），请另存为 DOCX 或 PDF` : `DOC 文档损坏，无法读取（${(e as Error).message}）`,
    );
  }
  if (!body.trim()) throw new UnreadableDocumentError('empty', `${form} 文档没有文字内容`);
  return { lines: textToLines(rowBreaks(body.replace(/\r\n?/g, '\n'))), warnings: [] };
}
