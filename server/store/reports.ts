// Reading stored versions back as reports, and the checks that need more than one report:
// across years (XY.*) and of publication (PUB.*), recomputed for an agency and year
// whenever a version arrives for that year or the year before.
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { checkHistory, checkPublication, checkReport, toFinding, RULE_BY_ID, type Checked } from '../../checks/index.js';
import { PUBLICATION_CHECKS } from '../../checks/publication-rules.js';
import { AMOUNT_KEYS, SIGNED_KEYS } from '../../parser/layout.js';
import type { NotChecked, ParsedReport } from '../../parser/types.js';
import type { Db } from '../db/client.js';
import { agencies, auditLog, corrections, fetches, figures, reportVersions, reports } from '../db/schema.js';
import { deadlineFor, missingAfter } from './deadlines.js';
import { decodeFigures, type StoreMemo } from './figures.js';
import type { AgencyRow } from './agencies.js';
import { factsOf, writeFacts } from './facts.js';
import { refreshCounts, saveFindings } from './findings.js';

export const agencyKey = (agencyId: number) => `a${agencyId}`;

/**
 * The parser's reading of a version, with reviewers' corrections applied (latest wins)
 * unless `raw` asks for the reading as the parser left it.
 */
export async function loadVersion(db: Db, memo: StoreMemo, versionId: number, raw = false): Promise<ParsedReport | null> {
  const [v] = await db
    .select({ parsed: reportVersions.parsed, figures, corrected: sql<boolean>`exists (select 1 from ${corrections} where ${corrections.versionId} = ${reportVersions.id})` })
    .from(reportVersions)
    .leftJoin(figures, eq(figures.versionId, reportVersions.id))
    .where(eq(reportVersions.id, versionId));
  return v ? withFigures(db, memo, versionId, v.parsed, v.figures, v.corrected && !raw) : null;
}

async function withFigures(
  db: Db,
  memo: StoreMemo,
  versionId: number,
  parsed: Record<string, unknown>,
  row: typeof figures.$inferSelect | null,
  corrected: boolean,
): Promise<ParsedReport> {
  const decoded = row ? await decodeFigures(row, memo) : { values: {}, missing: [], evidence: {} };
  const reading = { ...(parsed as unknown as ParsedReport), ...decoded };
  return corrected ? applyCorrections(db, versionId, reading) : reading;
}

/** A reading with the reviewers' corrections of its version applied (latest wins). */
export async function applyCorrections(db: Db, versionId: number, reading: ParsedReport): Promise<ParsedReport> {
  const fixes = await db.select().from(corrections).where(eq(corrections.versionId, versionId)).orderBy(asc(corrections.id));
  if (!fixes.length) return reading;
  const values = { ...reading.values };
  const missing = new Set(reading.missing);
  for (const c of fixes) {
    if (c.value === null) {
      delete values[c.key];
      missing.add(c.key);
    } else {
      values[c.key] = c.value;
      missing.delete(c.key);
    }
  }
  return { ...reading, values, missing: [...missing] };
}

/** The current versions of an agency's reports for some years, by year. */
async function currentVersions(db: Db, agencyId: number, years: number[]): Promise<Map<number, { reportId: number; versionId: number; corrected: boolean }>> {
  const rows = await db
    .select({
      year: reports.year,
      reportId: reports.id,
      versionId: reports.currentVersionId,
      corrected: sql<boolean>`exists (select 1 from ${corrections} where ${corrections.versionId} = ${reports.currentVersionId})`,
    })
    .from(reports)
    .where(and(eq(reports.agencyId, agencyId), inArray(reports.year, years)));
  return new Map(rows.filter((r) => r.versionId !== null).map((r) => [r.year, { reportId: r.reportId, versionId: r.versionId!, corrected: r.corrected }]));
}

/** A current version's reading: from memory when this run has it, else from the store. */
async function readCurrent(db: Db, memo: StoreMemo, v: { reportId: number; versionId: number; corrected: boolean }): Promise<Current | null> {
  const known = v.corrected ? undefined : memo.recall(v.versionId);
  const report = known ?? (await loadVersion(db, memo, v.versionId));
  if (!report) return null;
  if (!v.corrected) memo.remember(v.versionId, report);
  return { reportId: v.reportId, versionId: v.versionId, report, fresh: false };
}

async function currentReport(db: Db, memo: StoreMemo, agencyId: number, year: number): Promise<Current | null> {
  const v = (await currentVersions(db, agencyId, [year])).get(year);
  return v ? readCurrent(db, memo, v) : null;
}

export interface Current {
  reportId: number;
  versionId: number;
  report: ParsedReport;
  /** a report stored just now, for which no finding can exist yet */
  fresh: boolean;
}

/** The versions of some reports, oldest first, each with every source that served it. */
export function versionsOf(db: Db, reportIds: number[]) {
  return db
    .select({
      id: reportVersions.id,
      reportId: reportVersions.reportId,
      sha256: reportVersions.sha256,
      capturedAt: reportVersions.capturedAt,
      publishedAt: reportVersions.publishedAt,
      parser: reportVersions.parser,
      sources: sql<string[]>`coalesce(array_agg(distinct ${fetches.url}) filter (where ${fetches.url} is not null), '{}')`,
    })
    .from(reportVersions)
    .leftJoin(fetches, eq(fetches.sha256, reportVersions.sha256))
    .where(inArray(reportVersions.reportId, reportIds))
    .groupBy(reportVersions.id)
    .orderBy(asc(reportVersions.id));
}

export interface VersionInfo {
  sha256: string;
  sources: string[];
  capturedAt: Date;
  publishedAt: Date | null;
}

/**
 * Cross-year and publication checks of an agency's report for `year`. What the caller
 * already knows is passed in and not read again: the current version, the year before
 * (null: none), the versions of the report with their sources.
 */
export async function recheckYear(
  db: Db,
  memo: StoreMemo,
  agency: AgencyRow,
  year: number,
  known: { current?: Current; previous?: Current | null; versions?: VersionInfo[] } = {},
): Promise<void> {
  const checked = await acrossYears(db, memo, agency, year, known);
  if (!checked) return;
  const { cur, history, publication } = checked;
  const target = { agencyId: agency.id, year, reportId: cur.reportId, versionId: cur.versionId };
  // a report stored just now has no findings of these families yet to retire
  if (history.findings.length || !cur.fresh) await saveFindings(db, target, 'history', history.findings);
  if (publication.findings.length || !cur.fresh) await saveFindings(db, target, 'publication', publication.findings, PUBLICATION_RULES);
}

/** The cross-year and publication checks of an agency's current report for a year. */
async function acrossYears(
  db: Db,
  memo: StoreMemo,
  agency: AgencyRow,
  year: number,
  known: { current?: Current; previous?: Current | null; versions?: VersionInfo[] } = {},
): Promise<{ cur: Current; history: Checked; publication: Checked } | null> {
  const cur = known.current ?? (await currentReport(db, memo, agency.id, year));
  if (!cur) return null;
  const key = agencyKey(agency.id);
  const prev = known.previous !== undefined ? known.previous : await currentReport(db, memo, agency.id, year - 1);
  const history = prev
    ? checkHistory({ ...cur.report, year }, { ...prev.report, year: year - 1 }, key)
    : { findings: [], notChecked: [{ rule: 'XY.*', reason: `没有 ${year - 1} 年度报告可比较` }] };
  const versions = known.versions ?? (await versionsOf(db, [cur.reportId]));
  const publication = checkPublication(
    { agency: agency.name, year, deadline: deadlineFor(agency.kind, year, agency.regionCode), report: cur.report, versions },
    key,
  );
  return { cur, history, publication };
}

/**
 * After a new version of `current` (for `year`): its own cross-year and publication
 * checks, and the next year's, whose "year before" it now is. One query finds both neighbours.
 */
export async function recheckAround(db: Db, memo: StoreMemo, agency: AgencyRow, year: number, current: Current, versions?: VersionInfo[]): Promise<void> {
  const neighbours = await currentVersions(db, agency.id, [year - 1, year + 1]);
  const before = neighbours.get(year - 1);
  const after = neighbours.get(year + 1);
  await recheckYear(db, memo, agency, year, { current, previous: before ? await readCurrent(db, memo, before) : null, versions });
  if (after) {
    const next = await readCurrent(db, memo, after);
    if (next) await recheckYear(db, memo, agency, year + 1, { current: next, previous: current });
  }
}

/**
 * The cross-year and publication rules that could not run on an agency's report for a
 * year, with the reason (a doubtful table, no publication date, …), as of now.
 */
export async function notCheckedAcrossYears(db: Db, memo: StoreMemo, agency: AgencyRow, year: number): Promise<NotChecked[]> {
  const checked = await acrossYears(db, memo, agency, year);
  return checked ? [...checked.history.notChecked, ...checked.publication.notChecked] : [];
}

/** The publication rules a report's versions are checked by (PUB.MISSING is checked without one). */
const PUBLICATION_RULES = Object.keys(PUBLICATION_CHECKS);

/** First reporting year PUB.MISSING looks at (the 2021 format's first year by default). */
export const FIRST_YEAR = Number(process.env.NIANJIAN_FIRST_YEAR ?? 2021);

/**
 * PUB.MISSING: every confirmed agency without a report for a year whose deadline (plus
 * grace) has passed by `now`. A report arriving later makes the finding inactive.
 */
export async function checkMissing(db: Db, now: Date): Promise<number> {
  const rule = RULE_BY_ID.get('PUB.MISSING')!;
  const confirmed = await db.select().from(agencies).where(and(eq(agencies.status, 'confirmed'), isNull(agencies.mergedInto)));
  let raised = 0;
  for (const a of confirmed) {
    const have = new Set(
      (await db.select({ year: reports.year }).from(reports).where(eq(reports.agencyId, a.id))).map((r) => r.year),
    );
    for (let year = FIRST_YEAR; year < now.getFullYear(); year++) {
      const deadline = deadlineFor(a.kind, year, a.regionCode);
      if (missingAfter(a.kind, year, a.regionCode) > now) break;
      const target = { agencyId: a.id, year, reportId: null, versionId: null };
      if (have.has(year)) {
        await saveFindings(db, target, 'publication', [], ['PUB.MISSING']);
        continue;
      }
      const f = toFinding(rule, { cells: ['document'], expected: deadline, actual: null }, agencyKey(a.id), year, a.name);
      await saveFindings(db, target, 'publication', [f], ['PUB.MISSING']);
      raised++;
    }
  }
  return raised;
}

/** A reviewer's correction of a figure, kept beside the original; the checks are re-run. */
/** Counts and amounts a correction may set: what a county agency can print, and no more. */
const MAX_FIGURE = 1e9;

/** Why a corrected value cannot stand for this cell (in Chinese), or null when it can. */
export function correctionProblem(key: string, value: number | null): string | null {
  if (value === null) return null;
  if (!Number.isFinite(value)) return '更正值必须是数字';
  if (AMOUNT_KEYS.has(key)) {
    if (value < 0 || value > MAX_FIGURE) return `金额（万元）应在 0 到 ${MAX_FIGURE} 之间`;
    // amounts are printed to the 分 at most: 6 decimals of 万元
    if (Math.abs(Math.round(value * 1e6) - value * 1e6) > 1e-6 * Math.max(1, value)) return '金额（万元）最多保留 6 位小数';
    return null;
  }
  if (!Number.isInteger(value)) return '件数必须是整数';
  if (SIGNED_KEYS.has(key) ? Math.abs(value) > MAX_FIGURE : value < 0 || value > MAX_FIGURE) {
    return SIGNED_KEYS.has(key) ? `增减数应在 -${MAX_FIGURE} 到 ${MAX_FIGURE} 之间` : `件数应在 0 到 ${MAX_FIGURE} 之间`;
  }
  return null;
}

export async function correctValue(
  db: Db,
  memo: StoreMemo,
  input: { versionId: number; key: string; value: number | null; author: string; reason: string },
): Promise<void> {
  if (!input.reason.trim()) throw new Error('更正必须说明理由');
  const problem = correctionProblem(input.key, input.value);
  if (problem) throw new Error(problem);
  const [v] = await db.select({ reportId: reportVersions.reportId }).from(reportVersions).where(eq(reportVersions.id, input.versionId));
  if (!v) throw new Error(`没有编号为 ${input.versionId} 的报告版本`);
  await db.transaction(async (tx) => {
    await tx.insert(corrections).values(input);
    await tx.insert(auditLog).values({ actor: input.author, action: 'figure.correct', target: `version:${input.versionId}:${input.key}`, detail: { value: input.value, reason: input.reason } });
  });
  const [r] = await db.select().from(reports).where(eq(reports.id, v.reportId));
  await refreshFacts(db, memo, v.reportId);
  await recheckReport(db, memo, r!.agencyId, r!.year);
}

/** The facts of a report's current version, from its reading with corrections applied. */
export async function refreshFacts(db: Db, memo: StoreMemo, reportId: number): Promise<void> {
  const [r] = await db
    .select({ versionId: reports.currentVersionId, year: reports.year, agency: agencies, publishedAt: reportVersions.publishedAt })
    .from(reports)
    .innerJoin(agencies, eq(agencies.id, reports.agencyId))
    .innerJoin(reportVersions, eq(reportVersions.id, reports.currentVersionId))
    .where(eq(reports.id, reportId));
  if (!r?.versionId) return;
  const reading = await loadVersion(db, memo, r.versionId);
  if (!reading) return;
  await writeFacts(db, reportId, r.versionId, factsOf(reading, r.agency, r.year, r.publishedAt, []));
  await refreshCounts(db, r.agency.id, r.year);
}

/** Single-report checks of the current version, then the years it touches. */
export async function recheckReport(db: Db, memo: StoreMemo, agencyId: number, year: number): Promise<void> {
  const cur = await currentReport(db, memo, agencyId, year);
  if (!cur) return;
  const [agency] = await db.select().from(agencies).where(eq(agencies.id, agencyId));
  await saveFindings(db, { agencyId, year, reportId: cur.reportId, versionId: cur.versionId }, 'report', checkReport(cur.report, agencyKey(agencyId)).findings);
  await recheckAround(db, memo, agency!, year, cur);
}

/** The current version of a report, by id. */
export async function currentOf(db: Db, memo: StoreMemo, reportId: number): Promise<Current | null> {
  const [r] = await db.select({ agencyId: reports.agencyId, year: reports.year }).from(reports).where(eq(reports.id, reportId));
  return r ? currentReport(db, memo, r.agencyId, r.year) : null;
}

/**
 * Makes the version holding `sha` current again (a site went back to earlier content):
 * its facts and its own findings become the report's. True when the current version changed.
 */
export async function makeCurrent(db: Db, memo: StoreMemo, reportId: number, sha: string): Promise<boolean> {
  const [r] = await db
    .select({ current: reports.currentVersionId, agencyId: reports.agencyId, year: reports.year, versionId: reportVersions.id })
    .from(reports)
    .innerJoin(reportVersions, and(eq(reportVersions.reportId, reports.id), eq(reportVersions.sha256, sha)))
    .where(eq(reports.id, reportId));
  if (!r || r.current === r.versionId) return false;
  await db.update(reports).set({ currentVersionId: r.versionId }).where(eq(reports.id, reportId));
  await refreshFacts(db, memo, reportId);
  const reading = await loadVersion(db, memo, r.versionId);
  await saveFindings(db, { agencyId: r.agencyId, year: r.year, reportId, versionId: r.versionId }, 'report', checkReport({ ...reading!, year: r.year }, agencyKey(r.agencyId)).findings);
  return true;
}

/** The current versions (or with `all`, every version) of all reports. */
export async function versionsToReread(db: Db, all: boolean): Promise<number[]> {
  const rows = all
    ? await db.select({ id: reportVersions.id }).from(reportVersions).orderBy(asc(reportVersions.id))
    : await db.select({ id: reports.currentVersionId }).from(reports).where(sql`${reports.currentVersionId} is not null`).orderBy(desc(reports.id));
  return rows.map((r) => r.id!);
}

