// nianbao: the annual-report parser. Pure: a document in, the canonical report out.
export { documentText, parseDocument, parseLines, sha256, type LinesInput } from './report.js';
export { UnreadableDocumentError, MAX_BYTES } from './decode.js';
export { readCell, type CellValue } from './values.js';
export { PARSER, PARSER_VERSION } from './version.js';
export * from './layout.js';
export type * from './types.js';
export { readDocument, readDocumentText, sniff, type ReadOptions } from './read.js';
export { renderPdfPage } from './extract/pdf.js';
export { MAX_IMAGE_PIXELS } from './extract/ocr.js';
