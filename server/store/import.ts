// Import of one document: raw first (the bytes and where they came from are kept before
// anything can fail), then parsed, then written in one transaction (report, version,
// figures, findings), then the checks that need neighbouring years. The outcome is one of
// Open States' counts: inserted (a new report), updated (a new version), noop, failed.
import { sql, type SQL } from 'drizzle-orm';
import { checkReport, RULES } from '../../checks/index.js';
import { agencyForm } from '../../parser/normalize.js';
import { sha256, sniff, UnreadableDocumentError, type ParsedReport } from '../../parser/index.js';
import type { Db } from '../db/client.js';
import { documents, fetches, importFailures } from '../db/schema.js';
import { resolveAgency, type AgencyRow } from './agencies.js';
import { factsOf } from './facts.js';
import { encodeFigures, readingOf, type StoreMemo } from './figures.js';
import { agencyKey, currentOf, makeCurrent, recheckAround } from './reports.js';
import { readerPool } from '../reading/pool.js';
import type { ReaderText } from '../reading/text.js';
import { storeText } from './texts.js';
import { writeVersion } from './write.js';

const SINGLE_REPORT_RULES = RULES.filter((r) => r.scope === 'report').map((r) => r.id);

export interface ImportInput {
  bytes: Uint8Array;
  /** file path or URL the document came from */
  source: string;
  mediaType?: string;
  publishedAt?: string;
  /** overrides of what the document says */
  agency?: string;
  year?: number;
  /** the agency its site names (the list's column, the page's metadata), for a document that names none */
  unit?: string;
  runId: number;
  /** HTTP status and headers when fetched */
  status?: number;
  headers?: Record<string, string>;
  /** fetches what a page links to, for a page whose report is its pictures (the scrapers pass their fetcher) */
  resolve?: (url: string) => Promise<Uint8Array | null>;
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

type RawInput = Pick<ImportInput, 'bytes' | 'source' | 'mediaType' | 'status' | 'headers'>;

/** Documents larger than this are written in slices of it, before the statement that records them. */
const SLICE = 2 * 1024 * 1024;

const mediaTypeOf = (input: RawInput) => input.mediaType ?? sniff(input.bytes).mediaType ?? 'application/octet-stream';

/**
 * A large document's bytes, written in slices in one transaction: the embedded PGlite holds
 * some 60 times a value handed to it in one piece (1.2 GB for a 20 MB page).
 */
async function writeLarge(db: Db, input: RawInput, sha: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(documents)
      .values({ sha256: sha, bytes: new Uint8Array(), mediaType: mediaTypeOf(input), size: input.bytes.length })
      .onConflictDoNothing()
      .returning({ sha256: documents.sha256 });
    if (!created) return;
    for (let i = 0; i < input.bytes.length; i += SLICE) {
      await tx.execute(sql`update ${documents} set bytes = bytes || ${input.bytes.subarray(i, i + SLICE)} where sha256 = ${sha}`);
    }
  });
}

/** The bytes (once per hash) and where they came from, as the CTEs of one statement; a large document's bytes are written first. */
async function rawDocument(db: Db, input: RawInput, sha: string): Promise<SQL> {
  const large = input.bytes.length > SLICE;
  if (large) await writeLarge(db, input, sha);
  return sql`
    doc as (
      ${large ? sql`select 1` : sql`insert into ${documents} (sha256, bytes, media_type, size) values (${sha}, ${input.bytes}, ${mediaTypeOf(input)}, ${input.bytes.length})
      on conflict do nothing`}
    ), fetched as (
      insert into ${fetches} (url, sha256, status, headers)
      values (${input.source}, ${sha}, ${input.status ?? null}, ${input.headers ? JSON.stringify(input.headers) : null}::jsonb)
    )`;
}

/** A file a report was read from but that is not the version's document (a page's pictures or attachment), kept as it came. */
export async function keepDocument(db: Db, input: RawInput): Promise<string> {
  const sha = sha256(input.bytes);
  await db.execute(sql`with ${await rawDocument(db, input, sha)} select 1`);
  return sha;
}

export async function importDocument(db: Db, memo: StoreMemo, input: ImportInput, agencyCache?: Map<string, AgencyRow>): Promise<ImportResult> {
  const sha = sha256(input.bytes);
  // written with the version in one statement, or on their own when the document cannot
  // be imported, so nothing is lost
  const raw = await rawDocument(db, input, sha);
  const failed = async (reason: string) => {
    await db.execute(sql`with ${raw} select 1`);
    return fail(db, input.source, sha, reason);
  };

  let report: ParsedReport;
  let text: ReaderText;
  try {
    // in the reader pool: a document that exhausts a reader's memory or time ends here with its reason
    ({ report, text } = await readerPool().read(
      { bytes: input.bytes, file: input.source, url: /^https?:/.test(input.source) ? input.source : undefined, mediaType: input.mediaType, publishedAt: input.publishedAt },
      { resolve: input.resolve },
    ));
  } catch (e) {
    return failed(e instanceof UnreadableDocumentError ? e.message : `解析失败（内部错误：${briefly(e)}）`);
  }
  const name = input.agency ?? report.agency ?? input.unit;
  const year = input.year ?? report.year;
  if (report.status === 'not_report' && !(input.agency && input.year)) return failed('不是政府信息公开工作年度报告');
  if (!name) return failed('无法从文档确定机构名称（可用 --agency 指定）');
  if (!year) return failed('无法从文档确定报告年度（可用 --year 指定）');

  const agency = await resolveAgency(db, agencyForm(name), agencyCache);
  const agencyId = agency.id;
  const row = await encodeFigures(report, memo);
  // findings belong to the year the report is filed under, also when --year overrides it
  const single = checkReport(year === report.year ? report : { ...report, year }, agencyKey(agencyId));
  const publishedAt = chinaTime(input.publishedAt ?? report.source.publishedAt);

  crashPoint('before-write');
  const write = {
    agencyId,
    year,
    sha256: sha,
    parsed: readingOf(report, single.notChecked),
    parser: report.parser,
    runId: input.runId,
    status: report.status,
    format: report.format,
    publishedAt,
    figures: row,
    findings: single.findings,
    rules: SINGLE_REPORT_RULES,
    facts: factsOf(report, agency, year, publishedAt, single.findings),
  };
  let written;
  try {
    written = await writeVersion(db, write, raw);
  } catch (e) {
    await db.execute(sql`with ${raw} select 1`);
    throw e;
  }
  crashPoint('after-write');
  await storeText(db, sha, report.parser, text);
  const result: ImportResult = {
    outcome: written.versionId === null ? 'noop' : written.created ? 'inserted' : 'updated',
    reportId: written.reportId,
    versionId: written.versionId ?? undefined,
    agencyId,
    year,
  };
  if (result.outcome === 'noop') {
    // captured again: a site that went back to earlier content makes that content current
    // again; and the checks run anyway (a new source, or a run that crashed before them)
    if (await makeCurrent(db, memo, result.reportId!, sha)) result.outcome = 'updated';
    const current = await currentOf(db, memo, result.reportId!);
    if (current) await recheckAround(db, memo, agency, year, current);
  } else {
    memo.remember(result.versionId!, report);
    const current = { reportId: result.reportId!, versionId: result.versionId!, report, fresh: result.outcome === 'inserted' };
    // a new report has exactly this one version, from this one source
    const versions = result.outcome === 'inserted' ? [{ sha256: sha, sources: [input.source], capturedAt: new Date(), publishedAt }] : undefined;
    await recheckAround(db, memo, agency, year, current, versions);
  }
  return result;
}

/**
 * Test hook: NIANJIAN_CRASH_AT names a point of the import where the process kills
 * itself, so that a test can prove no half-written report survives a crash.
 */
function crashPoint(name: string): void {
  if (process.env.NIANJIAN_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}

/** Documents imported at once on PostgreSQL (its pool holds five connections); PGlite has one. */
export const IMPORT_PARALLELISM = 4;

/** Runs `work` on every item with at most `limit` running at once. */
export async function inParallel<T>(items: Iterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const it = items[Symbol.iterator]();
  const lane = async () => {
    for (let next = it.next(); !next.done; next = it.next()) await work(next.value);
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

/**
 * A publication time: with its own offset as given, else (a bare date or "2025-02-01
 * 07:59", as sites print them) in Beijing time.
 */
export function chinaTime(text: string | undefined): Date | null {
  if (!text) return null;
  const t = text.trim().replace(' ', 'T');
  const withZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(t) ? t : /T/.test(t) ? `${t}+08:00` : `${t}T00:00:00+08:00`;
  const d = new Date(withZone);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** An error's own words, without the SQL and parameters a database error carries. */
export function briefly(e: unknown): string {
  const err = e as { cause?: { message?: string }; message?: string };
  const text = err.cause?.message ?? err.message ?? String(e);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
