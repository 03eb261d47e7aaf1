// Document forms: text-layer PDF pages per second (target ≥ 50, table rebuild included),
// DOCX documents per second, and OCR seconds per scanned page (target ≤ 10 on one core).
import { readFileSync } from 'node:fs';
import { readDocument } from '../parser/index.js';

const fixture = (f: string) => readFileSync(new URL(`../tests/fixtures/documents/${f}`, import.meta.url));

async function rate(bytes: Uint8Array, minSeconds: number): Promise<{ n: number; seconds: number }> {
  await readDocument({ bytes }); // warm up: module loading and the JIT
  const start = process.hrtime.bigint();
  let n = 0;
  let seconds = 0;
  while (seconds < minSeconds) {
    await readDocument({ bytes });
    n++;
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return { n, seconds };
}

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');

export async function benchDocuments(): Promise<void> {
  const PDF_PAGES = 4;
  const pdf = await rate(fixture('003.pdf'), 3);
  const pagesPerSecond = (pdf.n * PDF_PAGES) / pdf.seconds;
  console.log(`text-layer PDF pages          ${pagesPerSecond.toFixed(0).padStart(6)} /s   (${pdf.n} × ${PDF_PAGES}-page report in ${pdf.seconds.toFixed(2)} s; target ≥ 50/s ${verdict(pagesPerSecond >= 50)})`);
  const docx = await rate(fixture('003.docx'), 3);
  console.log(`DOCX documents                ${(docx.n / docx.seconds).toFixed(0).padStart(6)} /s   (${docx.n} in ${docx.seconds.toFixed(2)} s)`);
  const scan = fixture('003-scan.pdf');
  const start = process.hrtime.bigint();
  await readDocument({ bytes: scan });
  const perPage = Number(process.hrtime.bigint() - start) / 1e9 / PDF_PAGES;
  console.log(`OCR of a scanned page         ${perPage.toFixed(1).padStart(6)} s    (170 dpi scan of ${PDF_PAGES} pages, worker start included; target ≤ 10 s ${verdict(perPage <= 10)})`);
}
