// Running the catalogue. A rule whose tables were not read with confidence is reported as
// not checked, with the reason: never passed, never failed. One runner serves the three
// families of checks: one report, two consecutive years, publication.
import { createHash } from 'node:crypto';
import { readDocument, type ReadOptions } from '../parser/read.js';
import { parseDocument } from '../parser/report.js';
import type { DocumentInput, Finding, NotChecked, ParsedReport, TableId } from '../parser/types.js';
import { RULES, type RuleDef } from './catalogue.js';
import { HISTORY_CHECKS } from './history-rules.js';
import { PUBLICATION_CHECKS, type PublicationContext } from './publication-rules.js';
import { REPORT_CHECKS, type CheckResult, type Violation } from './report-rules.js';

export { RULES, RULE_BY_ID, SEVERITY_LABEL, type RuleDef, type Scope, type Severity } from './catalogue.js';
export type { Violation, CheckResult } from './report-rules.js';
export type { PublicationContext } from './publication-rules.js';

const TABLE_NAMES = { s2: '第二部分', s3: '第三部分', s4: '第四部分' } as const;

export interface Checked {
  findings: Finding[];
  notChecked: NotChecked[];
}

/** Stable across re-runs: a reviewer's decision on a finding follows its fingerprint. */
export function fingerprint(rule: string, agency: string | null, year: number | null, cells: string[]): string {
  return createHash('sha256').update(`${rule}|${agency ?? ''}|${year ?? ''}|${cells.join(',')}`).digest('hex').slice(0, 24);
}

export function fillMessage(template: string, params: Record<string, string | number | null>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] === undefined || params[k] === null ? '' : String(params[k])));
}

/** A finding from a rule's violation. `agencyKey` identifies the agency in the fingerprint. */
export function toFinding(rule: RuleDef, v: Violation, agencyKey: string | null, year: number | null, agencyName = agencyKey): Finding {
  const actualCells = v.actualCells ?? [];
  const cells = [...v.cells, ...actualCells];
  return {
    rule: rule.id,
    severity: v.severity ?? rule.severity,
    cells,
    ...(actualCells.length ? { sides: { expected: v.cells, actual: actualCells } } : {}),
    expected: v.expected,
    actual: v.actual,
    message: fillMessage(rule.message, { expected: v.expected, actual: v.actual, agency: agencyName, year, ...v.params }),
    fingerprint: fingerprint(rule.id, agencyKey, year, cells),
  };
}

/** Why `rule` cannot run on these reports' tables, or null when it can. */
function tableDoubt(rule: RuleDef, reports: ParsedReport[]): string | null {
  const reasons = reports.flatMap((r) =>
    (rule.needs ?? [])
      .filter((t) => r.tables[t] !== 'ok')
      .map((t) => `${reports.length > 1 ? `${r.year}年` : ''}${TABLE_NAMES[t]}表格${r.tables[t] === 'absent' ? '未找到' : `读取存疑${r.doubts?.[t] ? `（${r.doubts[t]}）` : ''}`}`),
  );
  return reasons.length ? reasons.join('；') : null;
}

/** Why no rule of the current format applies: a report for a year before 2019, in the format of its time. */
function oldFormat(reports: ParsedReport[]): string | null {
  const old = reports.find((r) => r.format === 'old');
  return old ? `${old.year ?? ''}年度报告为 2019 年以前的旧格式，不适用现行格式的检查` : null;
}

function run(
  checks: Record<string, () => CheckResult>,
  reports: ParsedReport[],
  agencyKey: string | null,
  year: number | null,
  agencyName: string | null,
): Checked {
  const out: Checked = { findings: [], notChecked: [] };
  for (const rule of RULES) {
    const check = checks[rule.id];
    if (!check) continue;
    const doubt = oldFormat(reports) ?? tableDoubt(rule, reports);
    const result = doubt ? { notChecked: doubt } : check();
    if ('notChecked' in result) out.notChecked.push({ rule: rule.id, reason: result.notChecked });
    else for (const v of result) out.findings.push(fromImage(rule, toFinding(rule, v, agencyKey, year, agencyName), reports));
  }
  return out;
}

/**
 * An error among figures read from an image may be OCR's rather than the agency's: it is
 * shown as a warning to be verified against the image, never as the agency's error.
 */
function fromImage(rule: RuleDef, f: Finding, reports: ParsedReport[]): Finding {
  if (f.severity !== 'error') return f;
  const read = (k: string) => reports.some((r) => r.evidence[k]?.confidence !== undefined);
  const tableRead = (t: TableId) => reports.some((r) => Object.entries(r.evidence).some(([k, e]) => k.startsWith(`${t}.`) && e.confidence !== undefined));
  const ocr = f.cells.some(read) || (rule.layoutOf ?? []).some(tableRead);
  return ocr ? { ...f, severity: 'warning', message: `【图像识别，需对照原件核对】${f.message}` } : f;
}

const bind = <C>(checks: Record<string, (...a: C[]) => CheckResult>, ...args: C[]) =>
  Object.fromEntries(Object.entries(checks).map(([id, f]) => [id, () => f(...args)]));

export function checkReport(report: ParsedReport, agencyKey: string | null = report.agency): Checked {
  return run(bind(REPORT_CHECKS, report), [report], agencyKey, report.year, report.agency);
}

/** Checks between a report and the same agency's report for the year before. */
export function checkHistory(current: ParsedReport, previous: ParsedReport, agencyKey: string): Checked {
  return run(bind(HISTORY_CHECKS, current, previous), [current, previous], agencyKey, current.year, current.agency);
}

/** Checks of how and when the report was published. */
export function checkPublication(ctx: PublicationContext, agencyKey: string): Checked {
  return run(bind(PUBLICATION_CHECKS, ctx), [], agencyKey, ctx.year, ctx.agency);
}

/** Parse a text or HTML document and run the single-report checks. */
export function analyse(input: DocumentInput): ParsedReport {
  const report = parseDocument(input);
  return { ...report, ...checkReport(report) };
}

/** Read a document of any form (PDF, Word, images by OCR, text, HTML) and run the single-report checks. */
export async function analyseDocument(input: DocumentInput, opts?: ReadOptions): Promise<ParsedReport> {
  const report = await readDocument(input, opts);
  return { ...report, ...checkReport(report) };
}
