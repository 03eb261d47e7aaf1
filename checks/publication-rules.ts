// Checks of how and when a report was published: pure functions over what the store knows
// of an agency's report for a year (its versions, where they came from, dates).
import type { ParsedReport } from '../parser/types.js';
import type { CheckResult } from './report-rules.js';

export interface PublicationContext {
  agency: string;
  year: number;
  /** the deadline that applies to this agency and year, yyyy-mm-dd */
  deadline: string;
  /** the current reading of the report */
  report: ParsedReport;
  /** every version captured, oldest first */
  versions: Array<{ sha256: string; sources: string[]; capturedAt: Date; publishedAt: Date | null }>;
}

export type PublicationCheck = (ctx: PublicationContext) => CheckResult;

/** The calendar day in Beijing: deadlines are Chinese dates. */
const BEIJING_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const day = (d: Date) => BEIJING_DAY.format(d);

const late: PublicationCheck = (ctx) => {
  const published = ctx.versions.map((v) => v.publishedAt).find((d) => d !== null);
  if (!published) return { notChecked: '发布日期未知' };
  return day(published) > ctx.deadline ? [{ cells: ['meta.published'], expected: ctx.deadline, actual: day(published) }] : [];
};

/** The same source later served other content. */
const changed: PublicationCheck = (ctx) => {
  const bySource = new Map<string, string[]>();
  for (const v of ctx.versions) for (const s of v.sources) bySource.set(s, [...(bySource.get(s) ?? []), v.sha256]);
  const repeated = [...bySource.values()].some((shas) => new Set(shas).size > 1);
  if (!repeated) return [];
  const first = ctx.versions[0]!;
  const last = ctx.versions[ctx.versions.length - 1]!;
  return [{ cells: ['document'], expected: day(first.capturedAt), actual: day(last.capturedAt) }];
};

/** Different documents from different sources for the same agency and year. */
const versions: PublicationCheck = (ctx) => {
  const sources = new Set(ctx.versions.flatMap((v) => v.sources));
  const shas = new Set(ctx.versions.map((v) => v.sha256));
  return shas.size >= 2 && sources.size >= 2 ? [{ cells: ['document'], expected: 1, actual: shas.size, params: { agency: ctx.agency, year: ctx.year } }] : [];
};

const wrongDocument: PublicationCheck = (ctx) =>
  ctx.report.status === 'not_report' ? [{ cells: ['document'], expected: null, actual: ctx.report.title ?? ctx.report.source.file ?? '' }] : [];

/**
 * Read from an image: only OCR gives a cell a confidence, so a reading whose every figure
 * carries one came from a scan or a picture.
 */
const imageOnly: PublicationCheck = (ctx) => {
  const evidence = Object.values(ctx.report.evidence);
  return evidence.length && evidence.every((e) => e.confidence !== undefined) ? [{ cells: ['document'], expected: null, actual: ctx.report.source.mediaType }] : [];
};

export const PUBLICATION_CHECKS: Record<string, PublicationCheck> = {
  'PUB.IMAGE_ONLY': imageOnly,
  'PUB.LATE': late,
  'PUB.CHANGED': changed,
  'PUB.VERSIONS': versions,
  'PUB.WRONG_DOCUMENT': wrongDocument,
};
