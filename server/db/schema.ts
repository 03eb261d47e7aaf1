// The one typed schema of the store (drizzle). Nothing the office saw is ever deleted:
// documents are kept by content hash, every capture of a report is a version, findings
// keep their review state across re-parsing, people's changes go to the audit log.
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  doublePrecision,
  serial,
  smallint,
  smallserial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });
const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** GB/T 2260 divisions: province (2-digit code), city (4), county (6). */
export const regions = pgTable('regions', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  level: text('level', { enum: ['province', 'city', 'county'] }).notNull(),
  parentCode: text('parent_code'),
});

export const agencies = pgTable(
  'agencies',
  {
    id: serial('id').primaryKey(),
    regionCode: text('region_code').references(() => regions.code),
    name: text('name').notNull(),
    /** 人民政府 (its own report is due 31 March) / 部门 / 乡镇街道 / other */
    kind: text('kind', { enum: ['government', 'department', 'township', 'other'] }).notNull(),
    /** unconfirmed: created by an import from a name nobody has confirmed yet */
    status: text('status', { enum: ['confirmed', 'unconfirmed', 'merged'] }).notNull().default('unconfirmed'),
    mergedInto: integer('merged_into'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('agencies_name').on(t.name), index('agencies_region').on(t.regionCode.op('text_pattern_ops'))],
);

/** Other names an agency is known by: renames (偃师市 → 偃师区), OCR and typing variants. */
export const agencyAliases = pgTable('agency_aliases', {
  alias: text('alias').primaryKey(),
  agencyId: integer('agency_id')
    .notNull()
    .references(() => agencies.id),
  reason: text('reason').notNull(),
});

/** Original bytes, stored once per content hash. */
export const documents = pgTable('documents', {
  sha256: text('sha256').primaryKey(),
  bytes: bytea('bytes').notNull(),
  mediaType: text('media_type').notNull(),
  size: integer('size').notNull(),
  firstSeenAt: at('first_seen_at').notNull().defaultNow(),
});

/**
 * What the reader saw of a document (one line of text per extracted line or table row,
 * numbered as evidence names them), in gzipped pages of TEXT_PAGE_LINES lines: written at
 * import so that the API serves it a page at a time without ever reading a document itself.
 */
export const documentTexts = pgTable(
  'document_texts',
  {
    sha256: text('sha256')
      .notNull()
      .references(() => documents.sha256),
    page: integer('page').notNull(),
    parser: text('parser').notNull(),
    /** lines of the whole text */
    lines: integer('lines').notNull(),
    textGz: bytea('text_gz').notNull(),
  },
  (t) => [uniqueIndex('document_texts_page').on(t.sha256, t.page)],
);

/**
 * Pages of PDFs and pictures rendered as PNG for the evidence view: rendered once, in the
 * reader pool, and kept while the cache stays under its size cap (oldest use evicted first).
 */
export const pageImages = pgTable(
  'page_images',
  {
    sha256: text('sha256')
      .notNull()
      .references(() => documents.sha256),
    page: smallint('page').notNull(),
    png: bytea('png').notNull(),
    size: integer('size').notNull(),
    usedAt: at('used_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('page_images_page').on(t.sha256, t.page), index('page_images_used').on(t.usedAt)],
);

/** Every fetch or file read that produced a document (or failed to). */
export const fetches = pgTable(
  'fetches',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    url: text('url').notNull(),
    sha256: text('sha256').references(() => documents.sha256),
    status: integer('status'),
    headers: jsonb('headers').$type<Record<string, string>>(),
    error: text('error'),
    fetchedAt: at('fetched_at').notNull().defaultNow(),
  },
  (t) => [index('fetches_url').on(t.url), index('fetches_sha').on(t.sha256)],
);

/** Which parser produced what: `reparse` compares runs. */
export const parserRuns = pgTable('parser_runs', {
  id: serial('id').primaryKey(),
  parser: text('parser').notNull(),
  kind: text('kind', { enum: ['import', 'reparse'] }).notNull(),
  startedAt: at('started_at').notNull().defaultNow(),
  finishedAt: at('finished_at'),
  counts: jsonb('counts').$type<Record<string, number>>(),
});

/** One agency's report for one year; its versions are every content captured. */
export const reports = pgTable(
  'reports',
  {
    id: serial('id').primaryKey(),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id),
    year: smallint('year').notNull(),
    currentVersionId: integer('current_version_id'),
  },
  (t) => [uniqueIndex('reports_agency_year').on(t.agencyId, t.year)],
);

export const reportVersions = pgTable(
  'report_versions',
  {
    id: serial('id').primaryKey(),
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id),
    sha256: text('sha256')
      .notNull()
      .references(() => documents.sha256),
    /** the parser's reading of the document (report-json.md) less the figures, which live in `figures` */
    parsed: jsonb('parsed').notNull().$type<Record<string, unknown>>(),
    parser: text('parser').notNull(),
    parserRunId: integer('parser_run_id').references(() => parserRuns.id),
    status: text('status').notNull(),
    format: text('format').notNull(),
    publishedAt: at('published_at'),
    capturedAt: at('captured_at').notNull().defaultNow(),
  },
  // captured: what arrived since the last crawl (总览)
  (t) => [uniqueIndex('versions_report_sha').on(t.reportId, t.sha256), index('versions_report').on(t.reportId), index('versions_captured').on(t.capturedAt)],
);

/** Canonical keys (format.md) numbered once, so that figures are stored as small ids. */
export const figureKeys = pgTable('figure_keys', {
  id: smallserial('id').primaryKey(),
  key: text('key').notNull().unique(),
});

/**
 * All figures of a version in one row of aligned arrays (a million reports hold some
 * 200 million figures: a row each would not fit the 10 GB the office has). Position i of
 * every array is figure `keys[i]`; TOAST compresses the mostly-zero arrays.
 */
export const figures = pgTable('figures', {
  versionId: integer('version_id')
    .primaryKey()
    .references(() => reportVersions.id),
  keys: smallint('keys').array().notNull(),
  /** null where the document left the cell blank or "—" */
  vals: doublePrecision('vals').array().notNull().$type<(number | null)[]>(),
  /** one character per figure: n number, b blank, d "—", s "/", z "无" */
  semantics: text('semantics').notNull(),
  /** the printed text where it is not simply the number */
  printed: jsonb('printed').notNull().$type<Record<string, string>>(),
  /**
   * Evidence per figure, six integers each: line, page, table, row, col (0 = none) and the
   * index of its printed row in `context`.
   */
  positions: integer('positions').array().notNull(),
  /** printed rows and sentences the figures were read from */
  context: jsonb('context').notNull().$type<string[]>(),
  /** per figure where present: bounding box on the page, extraction confidence below 1 */
  extra: jsonb('extra').$type<Record<string, { box?: number[]; confidence?: number }>>(),
});

/** A reviewer's correction, kept beside the original, never over it. */
export const corrections = pgTable(
  'corrections',
  {
    id: serial('id').primaryKey(),
    versionId: integer('version_id')
      .notNull()
      .references(() => reportVersions.id),
    key: text('key').notNull(),
    value: doublePrecision('value'),
    author: text('author').notNull(),
    reason: text('reason').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [index('corrections_version').on(t.versionId)],
);

/**
 * Findings by fingerprint: re-checking updates them in place, so a reviewer's decision
 * survives; a finding no longer raised is kept, marked inactive.
 */
export const findings = pgTable(
  'findings',
  {
    id: serial('id').primaryKey(),
    fingerprint: text('fingerprint').notNull().unique(),
    agencyId: integer('agency_id')
      .notNull()
      .references(() => agencies.id),
    year: smallint('year').notNull(),
    /** null for a report that was never published (PUB.MISSING) */
    reportId: integer('report_id').references(() => reports.id),
    versionId: integer('version_id').references(() => reportVersions.id),
    rule: text('rule').notNull(),
    severity: text('severity').notNull(),
    cells: text('cells').array().notNull(),
    expected: jsonb('expected'),
    actual: jsonb('actual'),
    message: text('message').notNull(),
    active: boolean('active').notNull().default(true),
    state: text('state', { enum: ['open', 'confirmed', 'dismissed'] }).notNull().default('open'),
    reviewer: text('reviewer'),
    comment: text('comment'),
    reviewedAt: at('reviewed_at'),
    firstSeenAt: at('first_seen_at').notNull().defaultNow(),
    lastSeenAt: at('last_seen_at').notNull().defaultNow(),
  },
  (t) => [
    index('findings_report').on(t.reportId),
    index('findings_agency_year').on(t.agencyId, t.year),
    index('findings_rule').on(t.rule),
    index('findings_year_active').on(t.year).where(sql`${t.active}`),
    index('findings_first_seen').on(t.firstSeenAt).where(sql`${t.active}`),
  ],
);

/** What a re-parse changed in a version's reading: figures and findings, before → after. */
export const reparseChanges = pgTable(
  'reparse_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => parserRuns.id),
    versionId: integer('version_id')
      .notNull()
      .references(() => reportVersions.id),
    /** a figure key, or `finding:RULE` */
    item: text('item').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [index('reparse_changes_run').on(t.runId)],
);

/** Documents that could not be read or imported: the failure stays visible. */
export const importFailures = pgTable('import_failures', {
  id: serial('id').primaryKey(),
  source: text('source').notNull(),
  sha256: text('sha256').references(() => documents.sha256),
  reason: text('reason').notNull(),
  at: at('at').notNull().defaultNow(),
});

/**
 * The figures the league tables and metrics are computed from, one row per report for
 * its current version (written in the same statement as the version).
 */
export const reportFacts = pgTable(
  'report_facts',
  {
    reportId: integer('report_id')
      .primaryKey()
      .references(() => reports.id),
    versionId: integer('version_id').notNull(),
    agencyId: integer('agency_id').notNull(),
    year: smallint('year').notNull(),
    /** county (6 digits) or city (4) of the agency; province and city are its prefixes */
    regionCode: text('region_code'),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    format: text('format').notNull(),
    /** tables read with confidence: rates built on a doubtful table are not shown */
    s2Ok: boolean('s2_ok').notNull(),
    s3Ok: boolean('s3_ok').notNull(),
    s4Ok: boolean('s4_ok').notNull(),
    deadline: text('deadline').notNull(),
    publishedAt: at('published_at'),
    newTotal: doublePrecision('new_total'),
    carriedIn: doublePrecision('carried_in'),
    granted: doublePrecision('granted'),
    partial: doublePrecision('partial'),
    denied: doublePrecision('denied'),
    unable: doublePrecision('unable'),
    refused: doublePrecision('refused'),
    otherHandled: doublePrecision('other_handled'),
    closed: doublePrecision('closed'),
    carriedOut: doublePrecision('carried_out'),
    reviewTotal: doublePrecision('review_total'),
    reviewCorrected: doublePrecision('review_corrected'),
    suitTotal: doublePrecision('suit_total'),
    suitCorrected: doublePrecision('suit_corrected'),
    rulesIssued: doublePrecision('rules_issued'),
    normativeIssued: doublePrecision('normative_issued'),
    licensing: doublePrecision('licensing'),
    penalty: doublePrecision('penalty'),
    coercion: doublePrecision('coercion'),
    fees: doublePrecision('fees'),
    proactiveItems: doublePrecision('proactive_items'),
    /** active findings not dismissed, kept current whenever the agency-year's findings change */
    errors: integer('errors').notNull().default(0),
    warnings: integer('warnings').notNull().default(0),
  },
  (t) => [index('facts_year_region').on(t.year, t.regionCode), index('facts_agency').on(t.agencyId, t.year)],
);

/** People who use nianjian; a reviewer may be limited to a region (a city reviewer sees only their city). */
export const accounts = pgTable('accounts', {
  id: serial('id').primaryKey(),
  username: text('username').notNull().unique(),
  /** scrypt: salt and hash, hex, "salt:hash" */
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['viewer', 'reviewer', 'admin'] }).notNull(),
  regionCode: text('region_code').references(() => regions.code),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: at('created_at').notNull().defaultNow(),
});

/** Login sessions; the cookie holds the token, the table only its hash. */
export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  accountId: integer('account_id')
    .notNull()
    .references(() => accounts.id),
  expiresAt: at('expires_at').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
});

/** Every change made by a person. */
export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: at('at').notNull().defaultNow(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  target: text('target').notNull(),
  detail: jsonb('detail'),
});

/** A site the scrapers crawl (its config is a file under scrapers/sources/), and its health. */
export const crawlSources = pgTable('crawl_sources', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  regionCode: text('region_code'),
  preset: text('preset').notNull(),
  baseUrl: text('base_url').notNull(),
  verified: boolean('verified').notNull().default(false),
  lastRunId: integer('last_run_id'),
  /** a lease: the process crawling the source now, so that no two ever crawl it at once */
  runningSince: at('running_since'),
  runner: text('runner'),
  /** renewed every minute by the crawl holding the lease: a lease not renewed is its dead process's */
  leaseRenewedAt: at('lease_renewed_at'),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/** One crawl of one source: what it saw, what it stored, what went wrong by kind. */
export const crawlRuns = pgTable(
  'crawl_runs',
  {
    id: serial('id').primaryKey(),
    sourceId: text('source_id')
      .notNull()
      .references(() => crawlSources.id),
    startedAt: at('started_at').notNull().defaultNow(),
    finishedAt: at('finished_at'),
    dryRun: boolean('dry_run').notNull().default(false),
    status: text('status', { enum: ['running', 'ok', 'empty', 'drifted', 'blocked', 'failed'] }).notNull().default('running'),
    pages: integer('pages').notNull().default(0),
    candidates: integer('candidates').notNull().default(0),
    inserted: integer('inserted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    gone: integer('gone').notNull().default(0),
    /** error kind → count (timeout, http_5xx, blocked:ruishu, not_report, …) */
    errors: jsonb('errors').$type<Record<string, number>>().notNull().default({}),
    /** what the run noticed, in Chinese, for the 抓取 page */
    notes: jsonb('notes').$type<string[]>().notNull().default([]),
  },
  (t) => [index('crawl_runs_source').on(t.sourceId, t.id)],
);

/** Every report candidate a source's lists showed: kept when it disappears, flagged gone. */
export const crawlItems = pgTable(
  'crawl_items',
  {
    id: serial('id').primaryKey(),
    sourceId: text('source_id')
      .notNull()
      .references(() => crawlSources.id),
    url: text('url').notNull(),
    title: text('title').notNull(),
    unit: text('unit'),
    year: smallint('year'),
    listedAt: text('listed_at'),
    firstSeenRun: integer('first_seen_run').notNull(),
    lastSeenRun: integer('last_seen_run').notNull(),
    /** the run whose lists no longer showed it */
    goneRun: integer('gone_run'),
    etag: text('etag'),
    lastModified: text('last_modified'),
    /** the document the item's report was read from (the page, or its attachment) */
    sha256: text('sha256').references(() => documents.sha256),
    outcome: text('outcome'),
  },
  (t) => [uniqueIndex('crawl_items_source_url').on(t.sourceId, t.url)],
);
