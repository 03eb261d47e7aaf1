// One crawl of one source: its lists (every page, in the family's numbering) → report
// candidates → each detail page → its attachments or pictures when the page itself holds
// no report → the raw document stored and imported. Every run records what it saw; a
// list that used to give reports and gives none marks the source `drifted`, and a run
// that finds nothing says so. Items that leave their list are flagged gone, never deleted.
import { hostname } from 'node:os';
import { and, eq, isNull, lt, not, sql } from 'drizzle-orm';
import { pageLinks } from '../parser/extract/links.js';
import { PARSER, sha256 } from '../parser/index.js';
import type { Db } from '../server/db/client.js';
import { crawlItems, crawlRuns, crawlSources, parserRuns } from '../server/db/schema.js';
import type { StoreMemo } from '../server/store/figures.js';
import { importDocument, keepDocument, type ImportResult } from '../server/store/import.js';
import { endRunningRuns, LEASE_RENEW_MS, leaseLive, LOST } from '../server/store/abandoned-runs.js';
import { yearOf } from '../parser/meta.js';
import { BrowserSession } from './browser.js';
import type { Entry, SiteConfig } from './config.js';
import { walkable } from './depth.js';
import { readDetail } from './detail.js';
import { Fetcher, type Conditional, type Fetched, type Page } from './fetch.js';
import type { Refused } from './discover.js';
import type { Candidate } from './list.js';
import { walkSite, type Column } from './walk.js';

/** Of a detail page, what its title, date and unit are read from: they come first, and the crawl's own thread never parses megabytes. */
const DETAIL_HEAD = 512 * 1024;

/** What a page says of itself; nothing from a page too deep to walk (the import says why it is refused). */
function detailOf(html: string, spec: SiteConfig['detail']): ReturnType<typeof readDetail> | null {
  const head = html.length > DETAIL_HEAD ? html.slice(0, DETAIL_HEAD) : html;
  return walkable(head) ? readDetail(head, spec) : null;
}

export interface CrawlOptions {
  /** only reports of this year */
  year?: number;
  /** only reports of this year and later */
  since?: number;
  /** list and report what would be fetched; nothing stored */
  dryRun?: boolean;
  fetcher?: Fetcher;
}

export type RunStatus = 'ok' | 'empty' | 'drifted' | 'blocked' | 'failed';

export interface CrawlSummary {
  sourceId: string;
  runId: number | null;
  status: RunStatus;
  pages: number;
  candidates: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
  gone: number;
  errors: Record<string, number>;
  notes: string[];
  /** the candidates found (what a dry run would fetch) */
  found: Candidate[];
  /** the lists walked: columns and sub-columns, how each was found */
  columns: Column[];
  /** report-like links not taken, each with its reason */
  refused: Refused[];
  /** report-like items seen on the lists, taken or refused */
  listed: number;
}

export class SourceBusy extends Error {
  constructor(id: string, runner: string | null) {
    super(`站点 ${id} 正在由 ${runner ?? '另一进程'} 抓取`);
    this.name = 'SourceBusy';
  }
}

const MAX_ATTACHMENTS = 5;

type Get = (url: string, opts?: { referer?: string; conditional?: Conditional; maxBytes?: number }) => Promise<Fetched>;

/** A fetcher with the politeness a site's config asks for. */
export function fetcherFor(config: SiteConfig): Fetcher {
  const f = config.fetch;
  return new Fetcher({ delayMs: f.delayMs, jitterMs: f.jitterMs, robots: f.robots, timeoutMs: f.timeoutMs, retries: f.retries, relaxedTls: f.relaxedTls ? [new URL(config.baseUrl).hostname] : [], proxy: f.proxy });
}

function errorKey(f: Exclude<Fetched, Page>): string {
  return f.kind === 'blocked' ? `blocked:${f.waf}` : f.error;
}

/**
 * The source for this process alone, or SourceBusy. A lease its holder stopped renewing is
 * taken over, and the runs its dead process left "running" are ended with the reason.
 * Returns the timer that renews the lease until the crawl ends.
 */
async function takeLease(db: Db, config: SiteConfig): Promise<NodeJS.Timeout> {
  const runner = `${hostname()}:${process.pid}`;
  await db
    .insert(crawlSources)
    .values({ id: config.id, name: config.name, regionCode: config.regionCode, preset: config.preset, baseUrl: config.baseUrl, verified: config.verified })
    .onConflictDoUpdate({ target: crawlSources.id, set: { name: config.name, regionCode: config.regionCode, preset: config.preset, baseUrl: config.baseUrl, verified: config.verified } });
  const taken = await db.transaction(async (tx) => {
    const got = await tx
      .update(crawlSources)
      .set({ runningSince: sql`now()`, runner, leaseRenewedAt: sql`now()` })
      .where(and(eq(crawlSources.id, config.id), not(leaseLive)))
      .returning({ id: crawlSources.id });
    // no run of this source can be running now but a dead process's
    if (got.length) await endRunningRuns(tx as unknown as Db, [config.id], LOST);
    return got.length > 0;
  });
  if (!taken) {
    const [row] = await db.select({ runner: crawlSources.runner }).from(crawlSources).where(eq(crawlSources.id, config.id));
    throw new SourceBusy(config.id, row?.runner ?? null);
  }
  const renew = setInterval(() => {
    // a renewal that fails is retried at the next tick; ten missed ones give the source up
    db.update(crawlSources)
      .set({ leaseRenewedAt: sql`now()` })
      .where(and(eq(crawlSources.id, config.id), eq(crawlSources.runner, runner)))
      .catch(() => undefined);
  }, LEASE_RENEW_MS);
  renew.unref();
  return renew;
}

export async function crawlSource(db: Db, memo: StoreMemo, config: SiteConfig, opts: CrawlOptions = {}): Promise<CrawlSummary> {
  const own = !opts.fetcher;
  const fetcher = opts.fetcher ?? fetcherFor(config);
  // launched by the first page asked of it, closed with the run
  const browser = config.fetch.browser ? new BrowserSession(fetcher) : undefined;
  const get: Get = (url, o = {}) => fetcher.get(url, { ...o, browser });
  const s: CrawlSummary = { sourceId: config.id, runId: null, status: 'ok', pages: 0, candidates: 0, inserted: 0, updated: 0, unchanged: 0, failed: 0, gone: 0, errors: {}, notes: [], found: [], columns: [], refused: [], listed: 0 };
  const count = (key: string) => (s.errors[key] = (s.errors[key] ?? 0) + 1);
  const lease = opts.dryRun ? null : await takeLease(db, config);
  try {
    // the lists: from the start pages to every column, sub-column and page of each
    const walk = await walkSite(config, get, { browser: !!browser });
    s.pages = walk.pages;
    s.notes.push(...walk.notes);
    for (const [k, n] of Object.entries(walk.errors)) s.errors[k] = (s.errors[k] ?? 0) + n;
    let { blocked } = walk;
    const { listsComplete } = walk;
    s.columns = walk.columns;
    s.refused = walk.refused;
    s.listed = walk.listed;
    for (const c of walk.columns) if (c.how !== '站点配置') s.notes.push(`栏目：${c.label}（${c.how}）${c.url}，${c.pages} 页，年度报告 ${c.reports} 份${c.total !== null ? `（分页显示共 ${c.total} 条）` : ''}`);
    const reasons = new Map<string, number>();
    for (const r of walk.refused) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    if (reasons.size) s.notes.push(`未取的链接：${[...reasons].map(([r, n]) => `${r} ${n}`).join('，')}`);
    const wanted = [...walk.found.values()].filter((c) => (opts.year ? c.year === opts.year : true) && (opts.since ? (c.year ?? 0) >= opts.since : true));
    s.candidates = wanted.length;
    s.found = wanted;

    if (opts.dryRun) {
      s.status = blocked ? 'blocked' : !listsComplete ? 'failed' : wanted.length ? 'ok' : 'empty';
      return s;
    }
    const [run] = await db.insert(crawlRuns).values({ sourceId: config.id }).returning({ id: crawlRuns.id });
    const runId = run!.id;
    s.runId = runId;
    const [importRun] = await db.insert(parserRuns).values({ parser: PARSER, kind: 'import' }).returning({ id: parserRuns.id });

    let bare = 0;
    for (const c of wanted) {
      const [item] = await db.select().from(crawlItems).where(and(eq(crawlItems.sourceId, config.id), eq(crawlItems.url, c.url)));
      const f = await get(c.url, { referer: c.referer, conditional: item?.sha256 ? { etag: item.etag, lastModified: item.lastModified } : undefined });
      let outcome: string;
      let sha: string | null = item?.sha256 ?? null;
      if (f.kind !== 'ok') {
        count(errorKey(f));
        s.failed++;
        outcome = errorKey(f);
        if (f.kind === 'blocked') blocked = true;
        s.notes.push(`${c.title}：${f.kind === 'blocked' ? `被网站防护拦截（${f.waf}）` : f.detail}`);
      } else if (f.notModified) {
        s.unchanged++;
        outcome = 'unchanged';
      } else {
        const html = f.text !== null && /html/i.test(f.headers['content-type'] ?? 'html');
        // what the page says of itself fills what its list item did not
        const info = html ? detailOf(f.text!, config.detail) : null;
        if (info && !info.container) bare++;
        // the publication date is the earlier of the list's and the page's own (a list may show when an item was last edited)
        const known = { date: [c.date, info?.date].filter((d): d is string => !!d).sort()[0] ?? null, year: c.year ?? yearOf(info?.title) ?? null, unit: c.unit ?? info?.unit ?? null };
        const r = await importPage(db, memo, get, f, { ...c, ...known }, importRun!.id);
        outcome = r.outcome === 'failed' ? `failed:${r.reason ?? ''}` : r.outcome;
        // the page is stored (raw first) whatever its import gave
        sha = sha256(f.bytes);
        if (r.outcome === 'inserted') s.inserted++;
        else if (r.outcome === 'updated') s.updated++;
        else if (r.outcome === 'noop') s.unchanged++;
        else {
          s.failed++;
          count('not_imported');
          s.notes.push(`${c.title}：${r.reason}`);
        }
      }
      const values = {
        sourceId: config.id,
        url: c.url,
        title: c.title,
        unit: c.unit,
        year: c.year,
        listedAt: c.date,
        firstSeenRun: item?.firstSeenRun ?? runId,
        lastSeenRun: runId,
        goneRun: null,
        etag: f.kind === 'ok' && !f.notModified ? (f.headers.etag ?? null) : (item?.etag ?? null),
        lastModified: f.kind === 'ok' && !f.notModified ? (f.headers['last-modified'] ?? null) : (item?.lastModified ?? null),
        sha256: sha,
        outcome,
      };
      await db.insert(crawlItems).values(values).onConflictDoUpdate({ target: [crawlItems.sourceId, crawlItems.url], set: { ...values, firstSeenRun: sql`${crawlItems.firstSeenRun}` } });
    }

    // gone: no longer in complete lists (a year's filter leaves other years alone)
    if (listsComplete && !blocked && !opts.year && !opts.since) {
      const gone = await db
        .update(crawlItems)
        .set({ goneRun: runId })
        .where(and(eq(crawlItems.sourceId, config.id), lt(crawlItems.lastSeenRun, runId), isNull(crawlItems.goneRun)))
        .returning({ url: crawlItems.url, title: crawlItems.title });
      s.gone = gone.length;
      for (const g of gone) s.notes.push(`已从列表中消失：${g.title}（${g.url}）`);
    }
    if (bare) s.notes.push(`${bare} 个详情页找不到正文（既无配置的容器 ${config.detail.container.slice(0, 3).join('、')}…，也无成段的正文）：标题、日期、单位取自页面 <meta>，页面模板可能已改版`);
    if (browser?.launched) s.notes.push('本站经浏览器（Chromium）抓取');
    const seenBefore = (
      await db
        .select({ n: sql<number>`count(*)::int` })
        .from(crawlItems)
        .where(eq(crawlItems.sourceId, config.id))
    )[0]!.n;
    s.status = blocked ? 'blocked' : !listsComplete ? 'failed' : wanted.length ? 'ok' : seenBefore > 0 ? 'drifted' : 'empty';
    if (s.status === 'drifted') s.notes.push('列表以前有年度报告，这次一个也没有：栏目可能改版或迁移');
    if (s.status === 'empty') s.notes.push('列表中没有找到任何年度报告');
    await db.transaction(async (tx) => {
      await tx
        .update(crawlRuns)
        .set({ finishedAt: sql`now()`, status: s.status, pages: s.pages, candidates: s.candidates, inserted: s.inserted, updated: s.updated, unchanged: s.unchanged, failed: s.failed, gone: s.gone, errors: s.errors, notes: [...fetcher.log, ...s.notes] })
        .where(eq(crawlRuns.id, runId));
      await tx.update(crawlSources).set({ lastRunId: runId, updatedAt: sql`now()` }).where(eq(crawlSources.id, config.id));
      await tx.update(parserRuns).set({ finishedAt: sql`now()`, counts: { inserted: s.inserted, updated: s.updated, noop: s.unchanged, failed: s.failed } }).where(eq(parserRuns.id, importRun!.id));
    });
    return s;
  } catch (e) {
    // a run that cannot finish says so: never left "running"
    if (s.runId !== null) {
      const note = `抓取中断：${(e as Error).message.slice(0, 200)}`;
      await db
        .update(crawlRuns)
        .set({ finishedAt: sql`now()`, status: 'failed', inserted: s.inserted, updated: s.updated, unchanged: s.unchanged, failed: s.failed, errors: { ...s.errors, interrupted: 1 }, notes: [...s.notes, note] })
        .where(eq(crawlRuns.id, s.runId));
    }
    throw e;
  } finally {
    if (lease) {
      clearInterval(lease);
      await db.update(crawlSources).set({ runningSince: null, runner: null, leaseRenewedAt: null }).where(eq(crawlSources.id, config.id));
    }
    await browser?.close();
    if (own) fetcher.close();
  }
}

/**
 * A detail page imported; when it holds no report, its attachments in turn (the report's
 * file first) are fetched, stored and imported, and then its pictures are read by OCR.
 * Every file the page's report is read from is kept as it came, beside the page.
 */
async function importPage(db: Db, memo: StoreMemo, get: Get, page: Page, c: Candidate, runId: number): Promise<ImportResult> {
  const base = { publishedAt: c.date ?? undefined, year: c.year ?? undefined, unit: c.unit ?? undefined, runId };
  const resolve = async (url: string) => {
    const f = await get(url, { referer: page.finalUrl });
    if (f.kind !== 'ok') return null;
    // the form from the bytes: servers send pictures and attachments as octet-stream
    await keepDocument(db, { bytes: f.bytes, source: f.finalUrl, status: f.status, headers: f.headers });
    return f.bytes;
  };
  const html = page.text !== null && /html/i.test(page.headers['content-type'] ?? 'html');
  const first = await importDocument(db, memo, {
    ...base,
    bytes: page.bytes,
    source: page.finalUrl,
    mediaType: page.headers['content-type']?.split(';')[0],
    status: page.status,
    headers: page.headers,
    // pictures are fetched through the same polite fetcher, only if the page needs them
    resolve: html ? resolve : undefined,
  });
  // a page too large or too deep to walk here: its import has said why it is refused
  if (first.outcome !== 'failed' || !html || page.text!.length > DETAIL_HEAD || !walkable(page.text!)) return first;
  for (const a of pageLinks(page.text!, page.finalUrl).attachments.slice(0, MAX_ATTACHMENTS)) {
    const f = await get(a.url, { referer: page.finalUrl });
    if (f.kind !== 'ok') continue;
    const r = await importDocument(db, memo, { ...base, bytes: f.bytes, source: f.finalUrl, status: f.status, headers: f.headers });
    if (r.outcome !== 'failed') return r;
  }
  return first;
}
