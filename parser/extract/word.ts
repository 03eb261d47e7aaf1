// Word documents: DOCX read as a stream (tables stay tables, read by the HTML walk), legacy
// DOC and WPS through word-extractor (tables come out as tab-separated cells).
import { Worker } from 'node:worker_threads';
import { Parser } from 'htmlparser2';
import { UnreadableDocumentError } from '../decode.js';
import { htmlToLines } from '../html-lines.js';
import { textToLines } from '../text-lines.js';
import type { Line } from '../types.js';
import { readZip } from './zip.js';

/**
 * What a report's document.xml may hold: real reports have some 10,000–100,000 elements and
 * under 100,000 characters. Past these the document is refused before it is held in memory
 * (190 MB of empty paragraphs compresses to 600 KB).
 */
const MAX_ELEMENTS = 2_000_000;
const MAX_TEXT = 2_000_000;
const MAX_XML = 64 * 1024 * 1024;

/** Deleted text, field codes, and the copies of text boxes kept for old readers. */
const SKIPPED = new Set(['w:del', 'w:instrText', 'mc:Fallback']);

const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface WordCell {
  html: string;
  span: number;
  merge: 'restart' | 'continue' | null;
}
interface WordTable {
  rows: WordCell[][];
  row: WordCell[] | null;
}

/** A table as HTML, vertical merges as rowspan (the cells a merge continues are left out, as Word shows them). */
function tableHtml(t: WordTable): string {
  const rowspan = new Map<WordCell, number>();
  const above = new Map<number, WordCell>(); // grid column → the cell a merge there continues
  const kept: Array<Array<WordCell>> = [];
  for (const row of t.rows) {
    const out: WordCell[] = [];
    let col = 0;
    for (const c of row) {
      const head = c.merge === 'continue' ? above.get(col) : undefined;
      if (head) rowspan.set(head, (rowspan.get(head) ?? 1) + 1);
      else {
        out.push(c);
        above.set(col, c);
      }
      col += c.span;
    }
    kept.push(out);
  }
  const td = (c: WordCell) => `<td${c.span > 1 ? ` colspan="${c.span}"` : ''}${(rowspan.get(c) ?? 1) > 1 ? ` rowspan="${rowspan.get(c)}"` : ''}>${c.html}</td>`;
  return `<table>${kept.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('')}</table>`;
}

/**
 * document.xml to HTML in one streaming pass: paragraphs, runs' text, tabs and breaks, and
 * tables with their spans; deleted text, field codes and the fallback copies of text boxes
 * are left out. Only the text is held, never the XML.
 */
function documentHtml(bytes: Uint8Array): string {
  const out: string[] = [];
  const paragraphs: string[] = [];
  const tables: WordTable[] = [];
  let cell: WordCell | null = null;
  const cells: WordCell[] = [];
  let inText = 0;
  let skip = 0;
  let elements = 0;
  let text = 0;
  const emit = (html: string) => {
    if (cell) cell.html += html;
    else out.push(html);
  };
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (++elements > MAX_ELEMENTS) throw new UnreadableDocumentError('too_large', `Word 文档元素超过 ${MAX_ELEMENTS} 个，不像正常报告，已停止读取`);
        if (skip || SKIPPED.has(name)) {
          skip++;
          return;
        }
        switch (name) {
          case 'w:p':
            paragraphs.push('');
            break;
          case 'w:t':
            inText++;
            break;
          case 'w:tab':
            if (paragraphs.length) paragraphs[paragraphs.length - 1] += '\t';
            break;
          case 'w:br':
          case 'w:cr':
            if (paragraphs.length) paragraphs[paragraphs.length - 1] += '\n';
            break;
          case 'w:tbl':
            if (cell) cells.push(cell);
            cell = null;
            tables.push({ rows: [], row: null });
            break;
          case 'w:tr':
            if (tables.length) tables[tables.length - 1]!.row = [];
            break;
          case 'w:tc':
            cell = { html: '', span: 1, merge: null };
            break;
          case 'w:gridSpan':
            if (cell) cell.span = Math.min(64, Math.max(1, Number(attrs['w:val']) || 1));
            break;
          case 'w:vMerge':
            if (cell) cell.merge = attrs['w:val'] === 'restart' ? 'restart' : 'continue';
            break;
        }
      },
      ontext(t) {
        if (!inText || skip || !paragraphs.length) return;
        text += t.length;
        if (text > MAX_TEXT) throw new UnreadableDocumentError('too_large', `Word 文档文字超过 ${MAX_TEXT / 10000} 万字，不像正常报告，已停止读取`);
        paragraphs[paragraphs.length - 1] += t;
      },
      onclosetag(name) {
        if (skip) {
          skip--;
          return;
        }
        switch (name) {
          case 'w:t':
            inText = Math.max(0, inText - 1);
            break;
          case 'w:p': {
            const p = paragraphs.pop() ?? '';
            if (p.trim()) emit(`<p>${escape(p).replace(/\n/g, '<br>')}</p>`);
            break;
          }
          case 'w:tc': {
            const t = tables[tables.length - 1];
            if (cell && t?.row) t.row.push(cell);
            cell = null;
            break;
          }
          case 'w:tr': {
            const t = tables[tables.length - 1];
            if (t?.row) t.rows.push(t.row);
            if (t) t.row = null;
            break;
          }
          case 'w:tbl': {
            const t = tables.pop();
            cell = cells.pop() ?? null;
            if (t) emit(tableHtml(t));
            break;
          }
        }
      },
    },
    { xmlMode: true },
  );
  const decoder = new TextDecoder('utf-8');
  let xml = 0;
  const { names } = readZip(bytes, (name) =>
    name === 'word/document.xml'
      ? (chunk, final) => {
          xml += chunk.length;
          if (xml > MAX_XML) throw new UnreadableDocumentError('too_large', `Word 文档正文解压后超过 ${MAX_XML / 1048576} MB，不像正常报告，已停止读取`);
          parser.write(decoder.decode(chunk, { stream: !final }));
          if (final) parser.end();
        }
      : false,
  );
  if (!names.includes('word/document.xml')) throw new UnreadableDocumentError('unsupported_form', '这是 ZIP 压缩包，但不是 Word（DOCX）文档');
  return out.join('\n');
}

export async function docxToLines(bytes: Uint8Array): Promise<{ lines: Line[]; warnings: string[] }> {
  const h = htmlToLines(documentHtml(bytes));
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
