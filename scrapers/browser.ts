// Fetching through headless Chromium, for the sites whose config opts in (`fetch.browser`):
// lists written by script, and JS cookie challenges (a 521 `__jsl_clearance` page) that a
// real browser passes by running them. Every request the browser makes goes through the
// fetcher's turn-taking (one request per host at a time, the delay), robots.txt and its
// caps, because each is intercepted and sent by us; redirects are followed hop by hop for
// the same reason (Chromium does not show a redirect's next request to the interceptor).
// One browser per crawl run, launched on the first page it is asked for and closed with
// the run; its profile and the files Chromium writes live in a temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page as BrowserPage, type Route } from 'playwright-core';
import type { FetchPolicy, Fetched, Page } from './fetch.js';
import { notFoundPage, wafOf } from './fetch.js';

export const CHROMIUM = process.env.NIANJIAN_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Not needed to read a page, and each would be one more request to a government host. */
const SKIPPED = new Set(['image', 'media', 'font', 'stylesheet']);

/** What the browser needs of the fetcher so that its requests are as polite as the fetcher's own. */
export interface Turns {
  readonly policy: FetchPolicy;
  /** runs `task` in the host's turn, counted as one request sent */
  inTurn<T>(url: URL, task: () => Promise<T>): Promise<T>;
  allowed(url: URL): Promise<boolean>;
}

interface Captured {
  url: string;
  status: number;
  headers: Record<string, string>;
  bytes: Buffer;
}

const isHtml = (c: Captured) => /html/i.test(c.headers['content-type'] ?? '') || (!c.headers['content-type'] && /^\s*</.test(c.bytes.toString('latin1', 0, 64)));

class Failure extends Error {
  constructor(
    readonly kind: 'timeout' | 'network' | 'too_large' | 'robots' | 'redirects',
    detail: string,
  ) {
    super(detail);
  }
}

export class BrowserSession {
  private context: Promise<{ context: BrowserContext; page: BrowserPage; dirs: string[] }> | null = null;
  /** one page, one load at a time */
  private chain: Promise<unknown> = Promise.resolve();
  /** the main frame's last document as the server sent it, and why a load failed */
  private document: Captured | null = null;
  private failure: Failure | null = null;
  private hops = 0;

  constructor(private turns: Turns) {}

  get launched(): boolean {
    return this.context !== null;
  }

  private open() {
    this.context ??= (async () => {
      const profile = mkdtempSync(join(tmpdir(), 'nianjian-chromium-'));
      const home = mkdtempSync(join(tmpdir(), 'nianjian-chromium-home-'));
      const dirs = [profile, home];
      try {
        // Chromium writes crash reports and dconf under HOME even with a temporary profile
        const context = await chromium.launchPersistentContext(profile, {
          executablePath: CHROMIUM,
          headless: true,
          args: ARGS,
          env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home },
          acceptDownloads: false,
          ignoreHTTPSErrors: this.turns.policy.relaxedTls.length > 0,
        });
        // under tsx, functions handed to the page carry esbuild's helper
        await context.addInitScript('globalThis.__name = f => f');
        await context.route('**/*', (route) => this.intercept(route));
        const page = context.pages()[0] ?? (await context.newPage());
        return { context, page, dirs };
      } catch (e) {
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
        throw e;
      }
    })();
    return this.context;
  }

  private async intercept(route: Route): Promise<void> {
    const req = route.request();
    if (SKIPPED.has(req.resourceType())) return route.abort('blockedbyclient');
    const main = req.isNavigationRequest() && req.frame().parentFrame() === null;
    const { policy } = this.turns;
    let target = new URL(req.url());
    for (let hop = 0; ; hop++) {
      if (!/^https?:$/.test(target.protocol)) return route.abort('blockedbyclient');
      if (policy.robots === 'obey' && !(await this.turns.allowed(target))) {
        if (main) this.failure = new Failure('robots', `robots.txt 不允许抓取 ${target.pathname}`);
        return route.abort('blockedbyclient');
      }
      let res;
      try {
        const at = target;
        res = await this.turns.inTurn(at, () => route.fetch({ url: at.href, maxRedirects: 0, timeout: policy.timeoutMs }));
      } catch (e) {
        const timeout = /timeout/i.test((e as Error).message);
        if (main) this.failure = new Failure(timeout ? 'timeout' : 'network', (e as Error).message.split('\n')[0]!);
        return route.abort(timeout ? 'timedout' : 'failed');
      }
      const headers = res.headers();
      const location = headers.location;
      if (res.status() >= 300 && res.status() < 400 && location) {
        target = new URL(location, target);
        if (main) {
          // the next navigation is the browser's own, and so intercepted again
          if (++this.hops > policy.maxRedirects) {
            this.failure = new Failure('redirects', `重定向超过 ${policy.maxRedirects} 次`);
            return route.abort('blockedbyclient');
          }
          return route.fulfill({ status: 200, contentType: 'text/html', body: `<script>location.replace(${JSON.stringify(target.href)})</script>` });
        }
        if (hop >= policy.maxRedirects) return route.abort('failed');
        continue;
      }
      const body = await res.body();
      if (body.length > policy.maxBytes) {
        if (main) this.failure = new Failure('too_large', `超过 ${policy.maxBytes} 字节`);
        return route.abort('blockedbyclient');
      }
      if (!main) return route.fulfill({ response: res, body });
      this.document = { url: target.href, status: res.status(), headers, bytes: body };
      // a file is kept as sent; the page shows nothing rather than start a download
      if (!isHtml(this.document)) return route.fulfill({ status: 200, contentType: 'text/html', body: '' });
      return route.fulfill({ response: res, body });
    }
  }

  /** A URL as the browser gets it: pages after their scripts ran, other files as sent. */
  load(url: string, referer?: string): Promise<Fetched> {
    const run = this.chain.then(() => this.loadNow(url, referer));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async loadNow(url: string, referer?: string): Promise<Fetched> {
    let page: BrowserPage;
    try {
      ({ page } = await this.open());
    } catch (e) {
      this.context = null;
      return { kind: 'error', url, error: 'network', detail: `浏览器无法启动（${CHROMIUM}）：${(e as Error).message.split('\n')[0]}`, attempts: 1 };
    }
    const { policy } = this.turns;
    this.document = null;
    this.failure = null;
    this.hops = 0;
    try {
      await page.goto(url, { referer, waitUntil: 'load', timeout: policy.timeoutMs * 3 });
      // a challenge page reloads itself and a scripted list fetches its items: both settle here
      if (this.document && isHtml(this.document)) await page.waitForLoadState('networkidle', { timeout: policy.timeoutMs }).catch(() => undefined);
    } catch (e) {
      if (!this.failure && !this.document) this.failure = new Failure(/timeout/i.test((e as Error).message) ? 'timeout' : 'network', (e as Error).message.split('\n')[0]!);
    }
    if (this.failure) return { kind: 'error', url, error: this.failure.kind, detail: `浏览器：${this.failure.message}`, attempts: 1 };
    const doc = this.document as Captured | null;
    if (!doc) return { kind: 'error', url, error: 'network', detail: '浏览器没有得到页面', attempts: 1 };
    const waf = wafOf(doc.status, doc.headers, doc.bytes.toString('utf8'));
    if (waf) return { kind: 'blocked', url, status: doc.status, waf, attempts: 1 };
    if (doc.status >= 400) return { kind: 'error', url, error: doc.status >= 500 || doc.status === 429 ? 'http_5xx' : 'http_4xx', status: doc.status, detail: `HTTP ${doc.status}（浏览器）`, attempts: 1 };
    const finalUrl = new URL(doc.url);
    if (finalUrl.pathname === '/' && new URL(url).pathname !== '/') return { kind: 'error', url, error: 'soft_404', detail: `重定向到首页 ${doc.url}`, status: doc.status, attempts: 1 };
    const html = isHtml(doc);
    const text = html ? await page.content() : null;
    if (text && notFoundPage(text)) return { kind: 'error', url, error: 'soft_404', status: doc.status, detail: `页面说它不存在（HTTP ${doc.status}，浏览器）`, attempts: 1 };
    const bytes = text === null ? doc.bytes : Buffer.from(text, 'utf8');
    return {
      kind: 'ok',
      url,
      finalUrl: doc.url,
      status: doc.status,
      // the bytes kept are the page as the browser rendered it, and the headers say so
      headers: html ? { ...doc.headers, 'content-type': 'text/html; charset=utf-8', 'x-nianjian-rendered': 'chromium' } : doc.headers,
      bytes: new Uint8Array(bytes),
      text,
      charset: html ? 'utf-8' : null,
      notModified: false,
      attempts: 1,
    } satisfies Page;
  }

  async close(): Promise<void> {
    const opened = this.context;
    this.context = null;
    if (!opened) return;
    const launched = await opened.catch(() => null);
    if (!launched) return;
    await launched.context.close();
    for (const d of launched.dirs) rmSync(d, { recursive: true, force: true });
  }
}
