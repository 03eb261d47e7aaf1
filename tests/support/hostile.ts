// The hostile documents of the audit that took processes down (issue 14), made here rather
// than kept: each is a few hundred KB that inflates, nests or pages without end.
import { readFileSync } from 'node:fs';
import { baseModel } from './model.js';
import { renderHtml, type Model } from './render.js';
import { constants, deflateRawSync, deflateSync } from 'node:zlib';

const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';
const TAIL = '</w:body></w:document>';
const SYNC = { finishFlush: constants.Z_SYNC_FLUSH, level: 9 };

/**
 * A DOCX whose document.xml is `open`, then `block` `times` over, then `close`. Each part is
 * deflated on its own and ends on a flush, so the block's compressed form is simply repeated:
 * a gigabyte of content costs the test nothing to make. (The CRC is left 0: no reader checks
 * it before the content, which is what these files attack.)
 */
function repeatedDocx(open: string, block: string, times: number, close: string): Uint8Array {
  const piece = deflateRawSync(Buffer.from(block.repeat(Math.max(1, Math.floor((1 << 20) / block.length)))), SYNC);
  const perPiece = Math.max(1, Math.floor((1 << 20) / block.length)) * Buffer.byteLength(block);
  const pieces = Math.ceil((times * Buffer.byteLength(block)) / perPiece);
  const data = Buffer.concat([deflateRawSync(Buffer.from(HEAD + open), SYNC), ...Array<Buffer>(pieces).fill(piece), deflateRawSync(Buffer.from(close + TAIL))]);
  const size = Buffer.byteLength(HEAD + open) + pieces * perPiece + Buffer.byteLength(close + TAIL);
  const name = Buffer.from('word/document.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(0, 14); // CRC
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(Math.min(size, 0xfffffffe), 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(Math.min(size, 0xfffffffe), 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + name.length, 12);
  end.writeUInt32LE(30 + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

/** About 1 MB that inflates to 1 GiB (of spaces between paragraphs). */
export const docxBomb = () => repeatedDocx('<w:p><w:r><w:t>年度报告</w:t></w:r></w:p>', ' ', 1 << 30, '');

/** Some 600 KB holding 190 MB of empty paragraphs. */
export const docxParagraphs = () => repeatedDocx('', '<w:p/>', Math.floor((190 << 20) / 6), '');

/** Some 700 KB holding 180 MB of text in one run of one paragraph. */
export const docxText = () => repeatedDocx('<w:p><w:r><w:t>', '信息公开工作年度报告', Math.floor((180 << 20) / 30), '</w:t></w:r></w:p>');

/** A PDF of `n` blank pages (each a few bytes). */
export function manyPagePdf(n: number): Uint8Array {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${Array.from({ length: n }, (_, i) => `${i + 3} 0 R`).join(' ')}] /Count ${n} >>`];
  for (let i = 0; i < n; i++) objs.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>');
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** The first half of a real PDF. */
export function truncatedPdf(path: URL): Uint8Array {
  const bytes = readFileSync(path);
  return bytes.subarray(0, Math.floor(bytes.length / 2));
}

/** HTML nested `depth` levels deep. */
export const deepHtml = (depth: number) => Buffer.from(`<html><body>${'<div>'.repeat(depth)}2024年政府信息公开工作年度报告${'</div>'.repeat(depth)}</body></html>`);

/** A grey PNG of w × h pixels (1 bit a pixel: 50 MB of pixels deflated to some 50 KB). */
export function hugePng(w: number, h: number): Uint8Array {
  const row = 1 + Math.ceil(w / 8);
  const raw = new Uint8Array(row * h); // every row filter 0, every pixel black
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Uint8Array) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    Buffer.from(data).copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array())]);
}


/** A report page inside 20 MB of list chrome (seed 003's figures, changed by `change`). */
export function bigReportPage(change: (m: Model) => void = () => {}): Buffer {
  const m = baseModel();
  change(m);
  const filler = `<li><a href="/art/2024/1/1/art_1_1.html">关于做好2024年度政府信息公开工作的通知（第 N 号）</a><span>2024-01-01</span></li>\n`;
  const chrome = `<ul class="list">${filler.repeat(Math.ceil((20 * 1024 * 1024) / Buffer.byteLength(filler)))}</ul>`;
  return Buffer.from(renderHtml(m).replace('<div class="footer">', `${chrome}<div class="footer">`));
}
