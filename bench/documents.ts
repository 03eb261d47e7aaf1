// Document forms: text-layer PDF pages per second (target ≥ 50, table rebuild included),
// DOCX documents per second, and OCR seconds per scanned page (target ≤ 5), on our fixtures
// and on real published reports of the corpus (tests/corpus: a city government's PDF and a
// 150 dpi scan made from it with public tools).
import { readFileSync } from 'node:fs';
import { pdfToLines } from '../parser/extract/pdf.js';
import { readDocument } from '../parser/index.js';

const fixture = (f: string) => readFileSync(new URL(`../tests/fixtures/documents/${f}`, import.meta.url));
const corpus = (f: string) => readFileSync(new URL(`../tests/corpus/docs/${f}`, import.meta.url));

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
  const realPages = (await pdfToLines(corpus('jiangsu-huaian-2024.pdf'))).pages;
  const real = await rate(corpus('jiangsu-huaian-2024.pdf'), 3);
  const realRate = (real.n * realPages) / real.seconds;
  console.log(`real text-layer PDF pages     ${realRate.toFixed(0).padStart(6)} /s   (淮安市 2024, ${real.n} × ${realPages} pages in ${real.seconds.toFixed(2)} s; target ≥ 50/s ${verdict(realRate >= 50)})`);
  for (const [name, bytes, pages, what] of [
    ['OCR of a scanned page', fixture('003-scan.pdf'), PDF_PAGES, `170 dpi scan of ${PDF_PAGES} pages`],
    ['OCR of a real scanned page', corpus('jiangsu-huaian-2024.scan150.pdf'), realPages, `淮安市 2024 scanned at 150 dpi, ${realPages} pages`],
  ] as const) {
    const start = process.hrtime.bigint();
    await readDocument({ bytes });
    const perPage = Number(process.hrtime.bigint() - start) / 1e9 / pages;
    console.log(`${name.padEnd(29)} ${perPage.toFixed(1).padStart(6)} s    (${what}, worker start included; target ≤ 5 s ${verdict(perPage <= 5)})`);
  }
}
