// Word documents: DOCX through mammoth (tables stay tables, read by the HTML walk), legacy
// DOC and WPS through word-extractor (tables come out as tab-separated cells).
import { Worker } from 'node:worker_threads';
import { zipSync } from 'fflate';
import { UnreadableDocumentError } from '../decode.js';
import { htmlToLines } from '../html-lines.js';
import { textToLines } from '../text-lines.js';
import type { Line } from '../types.js';
import { readZip } from './zip.js';

export async function docxToLines(bytes: Uint8Array): Promise<{ lines: Line[]; warnings: string[] }> {
  // inflated with bounds, and mammoth given only what that inflation saw: an archive whose
  // directory disagrees with its entries cannot smuggle a bomb past the count
  const { names, files } = readZip(bytes, (name) => !/^word\/media\//.test(name));
  if (!names.includes('word/document.xml')) throw new UnreadableDocumentError('unsupported_form', '这是 ZIP 压缩包，但不是 Word（DOCX）文档');
  const mammoth = (await import('mammoth')).default;
  let html: string;
  try {
    const bounded = zipSync(Object.fromEntries(files), { level: 0 });
    // pictures are left out: the report's figures are text, and images inflate the HTML
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bounded) }, { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) })).value;
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

/** Memory and time a legacy DOC may take to read (real reports: a few MB, well under a second). */
const DOC_MEMORY_MB = 256;
const DOC_TIMEOUT_MS = 30_000;

function docBody(bytes: Uint8Array): Promise<{ body?: string; error?: string }> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./doc-worker.mjs', import.meta.url), {
      workerData: bytes,
      resourceLimits: { maxOldGenerationSizeMb: DOC_MEMORY_MB, maxYoungGenerationSizeMb: 32 },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ error: `读取超过 ${DOC_TIMEOUT_MS / 1000} 秒` });
    }, DOC_TIMEOUT_MS);
    const done = (r: { body?: string; error?: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    worker.once('message', done);
    // out of memory, or a crash: the worker dies, this process goes on
    worker.once('error', (e) => done({ error: e.message }));
    worker.once('exit', (code) => done({ error: `读取进程异常退出（${code}）` }));
  });
}

export async function docToLines(bytes: Uint8Array, form: 'DOC' | 'WPS'): Promise<{ lines: Line[]; warnings: string[] }> {
  const { body, error } = await docBody(bytes);
  if (error !== undefined || body === undefined) {
    throw new UnreadableDocumentError(
      form === 'WPS' ? 'unsupported_form' : 'malformed',
      form === 'WPS' ? `WPS 文档无法读取（${error}），请另存为 DOCX 或 PDF` : `DOC 文档损坏，无法读取（${error}）`,
    );
  }
  if (!body.trim()) throw new UnreadableDocumentError('empty', `${form} 文档没有文字内容`);
  return { lines: textToLines(rowBreaks(body.replace(/\r\n?/g, '\n'))), warnings: [] };
}
