// Running the catalogue. A rule whose tables were not read with confidence is reported as
// not checked, with the reason: never passed, never failed.
import { createHash } from 'node:crypto';
import { parseDocument } from '../parser/report.js';
import type { DocumentInput, Finding, NotChecked, ParsedReport } from '../parser/types.js';
import { RULE_BY_ID, RULES, type RuleDef } from './catalogue.js';
import { REPORT_CHECKS, type Violation } from './report-rules.js';

export { RULES, RULE_BY_ID, type RuleDef, type Scope, type Severity } from './catalogue.js';
export type { Violation, CheckResult } from './report-rules.js';

const TABLE_NAMES = { s2: '第二部分', s3: '第三部分', s4: '第四部分' } as const;

/** Stable across re-runs: a reviewer's decision on a finding follows its fingerprint. */
export function fingerprint(rule: string, agency: string | null, year: number | null, cells: string[]): string {
  return createHash('sha256').update(`${rule}|${agency ?? ''}|${year ?? ''}|${cells.join(',')}`).digest('hex').slice(0, 24);
}

export function fillMessage(template: string, params: Record<string, string | number | null>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] === undefined || params[k] === null ? '' : String(params[k])));
}

/** A finding from a rule's violation; used by single-report and history checks alike. */
export function toFinding(rule: RuleDef, v: Violation, agency: string | null, year: number | null): Finding {
  const actualCells = v.actualCells ?? [];
  const cells = [...v.cells, ...actualCells];
  return {
    rule: rule.id,
    severity: rule.severity,
    cells,
    ...(actualCells.length ? { sides: { expected: v.cells, actual: actualCells } } : {}),
    expected: v.expected,
    actual: v.actual,
    message: fillMessage(rule.message, { expected: v.expected, actual: v.actual, agency, year, ...v.params }),
    fingerprint: fingerprint(rule.id, agency, year, cells),
  };
}

export function checkReport(report: ParsedReport): { findings: Finding[]; notChecked: NotChecked[] } {
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  for (const rule of RULES) {
    const check = REPORT_CHECKS[rule.id];
    if (!check) continue;
    const unsure = (rule.needs ?? []).filter((t) => report.tables[t] !== 'ok');
    if (unsure.length) {
      notChecked.push({
        rule: rule.id,
        reason: unsure.map((t) => `${TABLE_NAMES[t]}表格${report.tables[t] === 'absent' ? '未找到' : '读取存疑'}`).join('；'),
      });
      continue;
    }
    const result = check(report);
    if ('notChecked' in result) notChecked.push({ rule: rule.id, reason: result.notChecked });
    else for (const v of result) findings.push(toFinding(rule, v, report.agency, report.year));
  }
  return { findings, notChecked };
}

/** Parse a text or HTML document and run the single-report checks. */
export function analyse(input: DocumentInput): ParsedReport {
  const report = parseDocument(input);
  return { ...report, ...checkReport(report) };
}

