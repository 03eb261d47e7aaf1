// Re-reading stored documents with the current parser. Each version's reading is replaced
// by the new one, and every difference (figures and findings, before → after) is kept in
// `reparse_changes` under the run, so that nothing the office saw silently changes.
import { eq, sql } from 'drizzle-orm';
import { checkReport } from '../../checks/index.js';
import { PARSER, UnreadableDocumentError, type ParsedReport } from '../../parser/index.js';
import type { Db } from '../db/client.js';
import { agencies, documents, figures, importFailures, parserRuns, reparseChanges, reportVersions, reports } from '../db/schema.js';
import { readerPool } from '../reading/pool.js';
import { briefly } from './import.js';
import { encodeFigures, readingOf, type StoreMemo } from './figures.js';
import { saveFindings } from './findings.js';
import { agencyKey, applyCorrections, versionsToReread, loadVersion, recheckAround, refreshFacts } from './reports.js';
import { storeText } from './texts.js';

export interface ReparseSummary {
  runId: number;
  read: number;
  changed: number;
  failed: number;
  changes: Array<{ versionId: number; item: string; before: unknown; after: unknown }>;
}

function diff(before: ParsedReport, after: ParsedReport): Array<{ item: string; before: unknown; after: unknown }> {
  const out: Array<{ item: string; before: unknown; after: unknown }> = [];
  for (const key of new Set([...Object.keys(before.evidence), ...Object.keys(after.evidence)])) {
    const b = before.values[key] ?? (key in before.evidence ? null : undefined);
    const a = after.values[key] ?? (key in after.evidence ? null : undefined);
    if (b !== a) out.push({ item: key, before: b ?? null, after: a ?? null });
  }
  const rules = (r: ParsedReport) => new Map(checkReport(r).findings.map((f) => [`${f.rule}|${f.cells.join(',')}`, f.message]));
  const fb = rules(before);
  const fa = rules(after);
  for (const k of new Set([...fb.keys(), ...fa.keys()])) {
    if (fb.get(k) !== fa.get(k)) out.push({ item: `finding:${k.split('|')[0]}`, before: fb.get(k) ?? null, after: fa.get(k) ?? null });
  }
  return out;
}

/** `all`: every version, not only current ones; `force`: also versions already read by this parser. */
export async function reparse(db: Db, memo: StoreMemo, opts: { all?: boolean; force?: boolean } = {}): Promise<ReparseSummary> {
  const [run] = await db.insert(parserRuns).values({ parser: PARSER, kind: 'reparse' }).returning({ id: parserRuns.id });
  const summary: ReparseSummary = { runId: run!.id, read: 0, changed: 0, failed: 0, changes: [] };
  for (const versionId of await versionsToReread(db, Boolean(opts.all))) {
    const [v] = await db
      .select({ parser: reportVersions.parser, sha256: reportVersions.sha256, reportId: reportVersions.reportId, mediaType: documents.mediaType, bytes: documents.bytes })
      .from(reportVersions)
      .innerJoin(documents, eq(documents.sha256, reportVersions.sha256))
      .where(eq(reportVersions.id, versionId));
    if (!v || (v.parser === PARSER && !opts.force)) continue;
    summary.read++;
    // compare the parser's readings as they were and are, without reviewers' corrections
    const before = await loadVersion(db, memo, versionId, true);
    let after: ParsedReport;
    try {
      const read = await readerPool().read({ bytes: v.bytes, mediaType: v.mediaType === 'application/octet-stream' ? undefined : v.mediaType, file: before?.source.file });
      after = read.report;
      await storeText(db, v.sha256, after.parser, read.text);
    } catch (e) {
      // the version keeps its reading; the refusal is recorded like an import's
      summary.failed++;
      await db.insert(importFailures).values({ source: `重新解析：版本 ${versionId}`, sha256: v.sha256, reason: e instanceof UnreadableDocumentError ? e.message : `解析失败（内部错误：${briefly(e)}）` });
      continue;
    }
    const changes = before ? diff(before, after) : [];
    const [r] = await db.select().from(reports).where(eq(reports.id, v.reportId));
    // the checks see the new reading with the corrections reviewers made to it
    const corrected = await applyCorrections(db, versionId, { ...after, year: r!.year });
    const single = checkReport(corrected, agencyKey(r!.agencyId));
    const row = await encodeFigures(after, memo);
    const [old] = await db.select().from(figures).where(eq(figures.versionId, versionId));
    const [oldReading] = await db.select({ parsed: reportVersions.parsed }).from(reportVersions).where(eq(reportVersions.id, versionId));
    await db.transaction(async (tx) => {
      await tx
        .update(reportVersions)
        .set({ parsed: readingOf(after, single.notChecked), parser: PARSER, parserRunId: run!.id, status: after.status, format: after.format })
        .where(eq(reportVersions.id, versionId));
      await tx.update(figures).set(row).where(eq(figures.versionId, versionId));
      // the reading replaced is kept whole, not only the figures that changed
      if (changes.length) await tx.insert(reparseChanges).values({ runId: run!.id, versionId, item: 'reading', before: { parsed: oldReading?.parsed ?? null, figures: old ?? null }, after: null });
      for (const c of changes) await tx.insert(reparseChanges).values({ runId: run!.id, versionId, ...c });
      if (r!.currentVersionId === versionId) {
        await saveFindings(tx as unknown as Db, { agencyId: r!.agencyId, year: r!.year, reportId: r!.id, versionId }, 'report', single.findings);
      }
    });
    memo.remember(versionId, corrected);
    if (r!.currentVersionId === versionId) {
      const [agency] = await db.select().from(agencies).where(eq(agencies.id, r!.agencyId));
      await refreshFacts(db, memo, r!.id);
      await recheckAround(db, memo, agency!, r!.year, { reportId: r!.id, versionId, report: corrected, fresh: false });
    }
    if (changes.length) summary.changed++;
    for (const c of changes) summary.changes.push({ versionId, ...c });
  }
  await db
    .update(parserRuns)
    .set({ finishedAt: sql`now()`, counts: { read: summary.read, changed: summary.changed, failed: summary.failed } })
    .where(eq(parserRuns.id, run!.id));
  return summary;
}
