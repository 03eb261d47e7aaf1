// Import of one document: raw first (the bytes and where they came from are kept before
// anything can fail), then parsed, then written in one transaction (report, version,
// figures, findings), then the checks that need neighbouring years. The outcome is one of
// Open States' counts: inserted (a new report), updated (a new version), noop, failed.
import { and, eq } from 'drizzle-orm';
import { checkReport } from '../../checks/index.js';
import { agencyForm } from '../../parser/normalize.js';
import { parseDocument, sha256, UnreadableDocumentError, type ParsedReport } from '../../parser/index.js';
import type { Db } from '../db/client.js';
import { documents, fetches, figures, importFailures, reportVersions, reports } from '../db/schema.js';
import { resolveAgency } from './agencies.js';
import { encodeFigures, readingOf, type KeyIds } from './figures.js';
import { saveFindings } from './findings.js';
import { agencyKey, recheckYear } from './reports.js';

export interface ImportInput {
  bytes: Uint8Array;
  /** file path or URL the document came from */
  source: string;
  mediaType?: string;
  publishedAt?: string;
  /** overrides of what the document says */
  agency?: string;
  year?: number;
  runId: number;
  /** HTTP status and headers when fetched */
  status?: number;
  headers?: Record<string, string>;
}

export type Outcome = 'inserted' | 'updated' | 'noop' | 'failed';

export interface ImportResult {
  outcome: Outcome;
  reason?: string;
  reportId?: number;
  versionId?: number;
  agencyId?: number;
  year?: number;
}

async function fail(db: Db, source: string, sha: string, reason: string): Promise<ImportResult> {
  await db.insert(importFailures).values({ source, sha256: sha, reason });
  return { outcome: 'failed', reason };
}

export async function importDocument(db: Db, keyIds: KeyIds, input: ImportInput): Promise<ImportResult> {
  const sha = sha256(input.bytes);
  const mediaType = input.mediaType ?? 'application/octet-stream';
  await db.insert(documents).values({ sha256: sha, bytes: input.bytes, mediaType, size: input.bytes.length }).onConflictDoNothing();
  await db.insert(fetches).values({ url: input.source, sha256: sha, status: input.status ?? null, headers: input.headers ?? null });

  let report: ParsedReport;
  try {
    report = parseDocument({ bytes: input.bytes, file: input.source, mediaType: input.mediaType, publishedAt: input.publishedAt });
  } catch (e) {
    if (e instanceof UnreadableDocumentError) return fail(db, input.source, sha, e.message);
    return fail(db, input.source, sha, `解析失败（内部错误：${(e as Error).message}）`);
  }
  const name = input.agency ?? report.agency;
  const year = input.year ?? report.year;
  if (report.status === 'not_report' && !(input.agency && input.year)) return fail(db, input.source, sha, '不是政府信息公开工作年度报告');
  if (!name) return fail(db, input.source, sha, '无法从文档确定机构名称（可用 --agency 指定）');
  if (!year) return fail(db, input.source, sha, '无法从文档确定报告年度（可用 --year 指定）');

  const { id: agencyId } = await resolveAgency(db, agencyForm(name));
  const row = await encodeFigures(report, keyIds);
  const single = checkReport(report, agencyKey(agencyId));
  const published = input.publishedAt ?? report.source.publishedAt;
  const publishedAt = published && !Number.isNaN(Date.parse(published)) ? new Date(published.replace(' ', 'T')) : null;

  const result = await db.transaction(async (tx): Promise<ImportResult> => {
    const created = await tx.insert(reports).values({ agencyId, year }).onConflictDoNothing().returning({ id: reports.id });
    const [r] = created.length ? created : await tx.select({ id: reports.id }).from(reports).where(and(eq(reports.agencyId, agencyId), eq(reports.year, year)));
    const reportId = r!.id;
    const [version] = await tx
      .insert(reportVersions)
      .values({
        reportId,
        sha256: sha,
        parsed: readingOf(report, single.notChecked),
        parser: report.parser,
        parserRunId: input.runId,
        status: report.status,
        format: report.format,
        publishedAt,
      })
      .onConflictDoNothing()
      .returning({ id: reportVersions.id });
    if (!version) return { outcome: 'noop', reportId, agencyId, year };
    await tx.insert(figures).values({ versionId: version.id, ...row });
    crashPoint('after-figures');
    await tx.update(reports).set({ currentVersionId: version.id }).where(eq(reports.id, reportId));
    await saveFindings(tx as unknown as Db, { agencyId, year, reportId, versionId: version.id }, 'report', single.findings);
    return { outcome: created.length ? 'inserted' : 'updated', reportId, versionId: version.id, agencyId, year };
  });
  if (result.outcome !== 'noop') {
    await recheckYear(db, keyIds, agencyId, year);
    await recheckYear(db, keyIds, agencyId, year + 1);
  }
  return result;
}

/**
 * Test hook: NIANJIAN_CRASH_AT names a point inside the import transaction where the
 * process kills itself, so that a test can prove no half-written report survives.
 */
function crashPoint(name: string): void {
  if (process.env.NIANJIAN_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
