// The boundary between extraction and reading. Every document form (text, HTML, and in
// later work PDF geometry, DOCX, OCR) is turned into `Line`s: either a line of running
// text (split into whitespace tokens by the reader) or one row of a table grid whose
// cells are kept apart. Positions travel with every cell so that each figure can be
// traced back to where it was printed.

export interface SourcePos {
  /** 1-based line of the decoded text (text documents) or of the extracted line stream */
  line?: number;
  /** 1-based page (PDF, scans) */
  page?: number;
  /** 1-based table index in the document, then 1-based row and column of the expanded grid */
  table?: number;
  row?: number;
  col?: number;
  /** bounding box on the page, [x0, y0, x1, y1] in PDF points */
  box?: [number, number, number, number];
}

export interface Cell {
  text: string;
  pos: SourcePos;
  /** grid rows a merged cell spans (rowspan), when more than one; the rows below carry no copy of it */
  rows?: number;
  /** grid columns a merged cell spans (colspan), when more than one */
  cols?: number;
  /** 0..1; extraction by OCR gives less than 1 */
  confidence?: number;
}

export interface Line {
  /** `row`: one row of a table grid, cells kept apart; `text`: a line of running text */
  kind: 'text' | 'row';
  cells: Cell[];
  pos: SourcePos;
}

/** What is known about a document besides its content. */
export interface DocumentMeta {
  file?: string;
  url?: string;
  pageTitle?: string;
  publishedAt?: string;
  mediaType: string;
  sha256?: string;
}

export interface DocumentInput extends Omit<DocumentMeta, 'mediaType' | 'sha256'> {
  bytes: Uint8Array;
  mediaType?: string;
}

/** How a value was printed. */
export type Semantics = 'number' | 'blank' | 'dash' | 'slash' | 'none';

export interface Evidence extends SourcePos {
  /** the printed text of the cell */
  printed: string;
  /** the printed row or line the cell sits in */
  text: string;
  semantics?: Exclude<Semantics, 'number'>;
  confidence?: number;
}

export type TableId = 's2' | 's3' | 's4';
export type TableStatus = 'ok' | 'doubtful' | 'absent';

export interface Finding {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  /** every cell involved, expected side first */
  cells: string[];
  /** the cells on each side of the comparison */
  sides?: { expected: string[]; actual: string[] };
  expected: number | string | null;
  actual: number | string | null;
  message: string;
  fingerprint: string;
}

export interface NotChecked {
  rule: string;
  reason: string;
}

export interface ParsedReport {
  parser: string;
  /**
   * `via`: the page that linked to this document when the report was read from its attachment;
   * `pictures`: for a page read from its pictures, each page's picture (evidence `page` n is pictures[n - 1])
   */
  source: { file?: string; url?: string; sha256?: string; mediaType: string; publishedAt?: string; via?: string; pictures?: string[] };
  /** `report`: a report was read; `partial`: a report with parts missing; `not_report`: no report found */
  status: 'report' | 'partial' | 'not_report';
  title: string | null;
  agency: string | null;
  year: number | null;
  /** `old`: a report for a year before 2019, in the format of its time (none of the current tables) */
  format: '2021' | '2019' | 'old' | 'unknown';
  sections: string[];
  /** narrative text of each section found, whitespace-collapsed, for text checks and copy detection */
  narrative: Record<string, string>;
  values: Record<string, number>;
  missing: string[];
  evidence: Record<string, Evidence>;
  /** the unit printed for a value where it differs from the one the format fixes */
  units?: Record<string, string>;
  tables: Record<TableId, TableStatus>;
  /** why a doubtful table is doubtful, where a reviewer should be told (e.g. 表格数字粘连) */
  doubts?: Partial<Record<TableId, string>>;
  /** sections whose heading was not recognised although their content appears to be there */
  unrecognisedSections: string[];
  /** the layout each table was printed in, and § 三's columns in printed order */
  layout: { s2: '2021' | '2019' | null; s3: '2021' | '2019' | null; s3Columns: string[] | null };
  findings: Finding[];
  notChecked: NotChecked[];
  warnings: string[];
}
