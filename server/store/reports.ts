// Reading stored versions back as reports, and the checks that need more than one report:
// across years (XY.*) and of publication (PUB.*), recomputed for an agency and year
// whenever a version arrives for that year or the year before.
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { checkHistory, checkPublication, checkReport, toFinding, RULE_BY_ID } from '../../checks/index.js';
import type { ParsedReport } from '../../parser/types.js';
import type { Db } from '../db/client.js';
import { agencies, auditLog, corrections, fetches, figures, reportVersions, reports } from '../db/schema.js';
import { deadlineFor, MISSING_GRACE_DAYS } from './deadlines.js';
import { decodeFigures, type KeyIds } from './figures.js';
import { saveFindings } from './findings.js';

export const agencyKey = (agencyId: number) => `a${agencyId}`;

/** The parser's reading of a version, with reviewers' corrections applied (latest wins). */
export async function loadVersion(db: Db, keyIds: KeyIds, versionId: number): Promise<ParsedReport | null> {
  const [v] = await db.select().from(reportVersions).where(eq(reportVersions.id, versionId));
  if (!v) return null;
  const [row] = await db.select().from(figures).where(eq(figures.versionId, versionId));
  const decoded = row ? await decodeFigures(row, keyIds) : { values: {}, missing: [], evidence: {} };
  const fixes = await db.select().from(corrections).where(eq(corrections.versionId, versionId)).orderBy(asc(corrections.id));
  for (const c of fixes) {
    if (c.value === null) delete decoded.values[c.key];
    else decoded.values[c.key] = c.value;
  }
  return { ...(v.parsed as unknown as ParsedReport), ...decoded };
}

async function currentVersion(db: Db, agencyId: number, year: number): Promise<{ reportId: number; versionId: number } | null> {
  const [r] = await db
    .select({ reportId: reports.id, versionId: reports.currentVersionId })
    .from(reports)
    .where(and(eq(reports.agencyId, agencyId), eq(reports.year, year)));
  return r?.versionId ? { reportId: r.reportId, versionId: r.versionId } : null;
}

/** Cross-year and publication checks of an agency's report for `year`. */
export async function recheckYear(db: Db, keyIds: KeyIds, agencyId: number, year: number): Promise<void> {
  const cur = await currentVersion(db, agencyId, year);
  if (!cur) return;
  const report = await loadVersion(db, keyIds, cur.versionId);
  if (!report) return;
  const key = agencyKey(agencyId);
  const target = { agencyId, year, reportId: cur.reportId, versionId: cur.versionId };

  const prev = await currentVersion(db, agencyId, year - 1);
  const previous = prev ? await loadVersion(db, keyIds, prev.versionId) : null;
  const history = previous ? checkHistory({ ...report, year }, { ...previous, year: year - 1 }, key).findings : [];
  await saveFindings(db, target, 'history', history);

  const [agency] = await db.select().from(agencies).where(eq(agencies.id, agencyId));
  const versions = await db
    .select({ id: reportVersions.id, sha256: reportVersions.sha256, capturedAt: reportVersions.capturedAt, publishedAt: reportVersions.publishedAt })
    .from(reportVersions)
    .where(eq(reportVersions.reportId, cur.reportId))
    .orderBy(asc(reportVersions.id));
  const sources = await db
    .select({ sha256: fetches.sha256, url: fetches.url })
    .from(fetches)
    .where(inArray(fetches.sha256, versions.map((v) => v.sha256)));
  const publication = checkPublication(
    {
      agency: agency!.name,
      year,
      deadline: deadlineFor(agency!.kind, year, agency!.regionCode),
      report,
      versions: versions.map((v) => ({ ...v, sources: [...new Set(sources.filter((s) => s.sha256 === v.sha256).map((s) => s.url))] })),
    },
    key,
  );
  await saveFindings(db, target, 'publication', publication.findings, ['PUB.LATE', 'PUB.CHANGED', 'PUB.VERSIONS', 'PUB.WRONG_DOCUMENT']);
}

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
    for (let year = FIRST_YEAR; ; year++) {
      const deadline = deadlineFor(a.kind, year, a.regionCode);
      const due = new Date(`${deadline}T23:59:59+08:00`);
      due.setDate(due.getDate() + MISSING_GRACE_DAYS);
      if (due > now) break;
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
export async function correctValue(
  db: Db,
  keyIds: KeyIds,
  input: { versionId: number; key: string; value: number | null; author: string; reason: string },
): Promise<void> {
  if (!input.reason.trim()) throw new Error('更正必须说明理由');
  const [v] = await db.select({ reportId: reportVersions.reportId }).from(reportVersions).where(eq(reportVersions.id, input.versionId));
  if (!v) throw new Error(`没有编号为 ${input.versionId} 的报告版本`);
  await db.transaction(async (tx) => {
    await tx.insert(corrections).values(input);
    await tx.insert(auditLog).values({ actor: input.author, action: 'figure.correct', target: `version:${input.versionId}:${input.key}`, detail: { value: input.value, reason: input.reason } });
  });
  const [r] = await db.select().from(reports).where(eq(reports.id, v.reportId));
  await recheckReport(db, keyIds, r!.agencyId, r!.year);
}

/** Single-report checks of the current version, then the years it touches. */
export async function recheckReport(db: Db, keyIds: KeyIds, agencyId: number, year: number): Promise<void> {
  const cur = await currentVersion(db, agencyId, year);
  if (!cur) return;
  const report = await loadVersion(db, keyIds, cur.versionId);
  if (!report) return;
  await saveFindings(db, { agencyId, year, reportId: cur.reportId, versionId: cur.versionId }, 'report', checkReport(report, agencyKey(agencyId)).findings);
  await recheckYear(db, keyIds, agencyId, year);
  await recheckYear(db, keyIds, agencyId, year + 1);
}

export async function latestVersions(db: Db, all: boolean): Promise<number[]> {
  const rows = all
    ? await db.select({ id: reportVersions.id }).from(reportVersions).orderBy(asc(reportVersions.id))
    : await db.select({ id: reports.currentVersionId }).from(reports).where(sql`${reports.currentVersionId} is not null`).orderBy(desc(reports.id));
  return rows.map((r) => r.id!);
}

