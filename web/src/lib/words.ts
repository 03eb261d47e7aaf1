// The Chinese the app shows for the API's codes (the one dictionary, shared with the exports),
// and how numbers are printed.

export {
  AGENCY_STATUS, auditAction, auditTarget, cellLabel, cellText, crawlError, crawlNote, DATE_SOURCE, HEALTH, KIND, PRESET, ROLE, ruleTitle, SCOPE, SEVERITY, STATE, STATUS,
  statusSummary, TABLE_STATUS, WITH_ERRORS,
} from '../../../server/export/words.ts';

/** Colours of the statuses, the same in the coverage grid and the charts. */
export const STATUS_COLOUR: Record<string, string> = {
  found: '#3a8f5c',
  late: '#d89614',
  errors: '#c8372d',
  image_only: '#7a5bb5',
  missing: '#5b5b5b',
  pending: '#b9c2cc',
};

/** The report year whose deadline has passed most recently (a department's is due by 31 January of the next year), by Beijing dates. */
export function latestYear(now = new Date()): number {
  const beijing = new Date(now.getTime() + 8 * 3600_000);
  return beijing.getUTCMonth() >= 1 ? beijing.getUTCFullYear() - 1 : beijing.getUTCFullYear() - 2;
}

export function num(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : v.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
}

export function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}

export function date(v: string | null | undefined): string {
  if (!v) return '—';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return v;
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function day(v: string | null | undefined): string {
  if (!v) return '—';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
}
