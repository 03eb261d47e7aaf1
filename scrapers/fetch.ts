// Polite fetching from government sites: one connection per host at a time with a delay
// and jitter between requests, robots.txt honoured, retries with backoff on 429/5xx and
// timeouts, conditional requests, caps on size, time and redirects, http↔https fallback,
// TLS relaxed only for hosts configured so, an HTTP proxy when the deployment or the site
// asks for one, and every answer classified: a page, a page that did not change, a WAF
// challenge (`blocked`), or an error of a named kind.
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { BrowserSession } from './browser.js';
import { decodePage } from './charset.js';

export interface FetchPolicy {
  /** pause between two requests to one host, plus up to `jitterMs` at random */
  delayMs: number;
  jitterMs: number;
  timeoutMs: number;
  maxBytes: number;
  /** further tries after a 429, a 5xx, a timeout or a reset connection */
  retries: number;
  /** first backoff; doubled each try, or the server's Retry-After when it gives one (capped) */
  backoffMs: number;
  maxRedirects: number;
  robots: 'obey' | 'ignore';
  userAgent: string;
  /** hosts whose certificate problems are tolerated (logged on every use) */
  relaxedTls: string[];
  /**
   * the site's own proxy (`http://host:port`), `direct` for none; unset: the environment's
   * HTTP_PROXY / HTTPS_PROXY, except for the hosts NO_PROXY names
   */
  proxy?: string;
}

/** The proxy a request to `url` goes through, if any. */
export function proxyFor(url: URL, proxy: string | undefined, env: NodeJS.ProcessEnv = process.env): URL | null {
  if (proxy === 'direct') return null;
  if (proxy) return new URL(proxy);
  const given = url.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!given) return null;
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of (env.NO_PROXY ?? env.no_proxy ?? '').split(/[\s,]+/).filter(Boolean)) {
    if (raw === '*') return null;
    const [name, p] = raw.toLowerCase().replace(/^\*?\./, '.').split(':') as [string, string | undefined];
    if (p && p !== port) continue;
    if (host === name.replace(/^\./, '') || host.endsWith(name.startsWith('.') ? name : `.${name}`)) return null;
  }
  return new URL(/^\w+:\/\//.test(given) ? given : `http://${given}`);
}

export const DEFAULT_POLICY: FetchPolicy = {
  delayMs: 2000,
  jitterMs: 1000,
  timeoutMs: 20_000,
  maxBytes: 64 * 1024 * 1024,
  retries: 3,
  backoffMs: 5000,
  maxRedirects: 5,
  robots: 'obey',
  userAgent: 'Mozilla/5.0 (compatible; nianjian/0.1; government information disclosure report review)',
  relaxedTls: [],
};

export type ErrorKind = 'timeout' | 'network' | 'http_4xx' | 'http_5xx' | 'too_large' | 'redirects' | 'soft_404' | 'robots';
export type Waf = 'ruishu' | 'jiasule' | 'block_page';

export interface Page {
  kind: 'ok';
  url: string;
  /** after redirects */
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  bytes: Uint8Array;
  /** decoded text for HTML, XML, JSON and plain text; null for other media */
  text: string | null;
  charset: string | null;
  notModified: boolean;
  attempts: number;
}

export type Fetched =
  | Page
  | { kind: 'blocked'; url: string; status: number; waf: Waf; attempts: number }
  | { kind: 'error'; url: string; error: ErrorKind; status?: number; detail: string; attempts: number };

export interface Conditional {
  etag?: string | null;
  lastModified?: string | null;
}

/** A WAF challenge or block page instead of content (detected and reported, never bypassed). */
export function wafOf(status: number, headers: Record<string, string>, text: string): Waf | null {
  const cookie = headers['set-cookie'] ?? '';
  if ((status === 412 || status === 202) && (/\$_ts\s*=|r=['"]m['"]/.test(text) || /\d+S=/.test(cookie) && /FSSBB/.test(cookie))) return 'ruishu';
  if (status >= 520 && status <= 529 && (/__jsl_clearance|__jsluid/.test(text) || /__jsluid/.test(cookie))) return 'jiasule';
  if ((status === 403 || status === 405) && /拦截|访问被拒绝|安全狗|云锁|yunsuo|waf/i.test(text)) return 'block_page';
  return null;
}

const NOT_FOUND = /(?<!\d)404(?!\d)|页面不存在|页面未找到|找不到(?:该|您要的|您访问的)?页面|页面已(?:被)?删除|(?:访问|请求)的页面不存在|not found/i;

/** A page answered 200 that says it is an error page (its title or heading): a soft 404. */
export function notFoundPage(text: string): boolean {
  const head = /<title[^>]*>([^<]{0,200})<\/title>/i.exec(text)?.[1] ?? '';
  const h1 = /<h[12][^>]*>([^<]{0,200})<\/h[12]>/i.exec(text)?.[1] ?? '';
  return NOT_FOUND.test(head) || NOT_FOUND.test(h1);
}

interface Raw {
  status: number;
  headers: Record<string, string>;
  bytes: Uint8Array;
}

class TooLarge extends Error {}

/** Per-host turn-taking: each request waits for the previous one to that host, then the delay. */
class HostQueue {
  private tails = new Map<string, Promise<void>>();
  /** requests to each host in flight at this moment: the test site asserts it never exceeds one */
  constructor(private pause: () => number) {}

  run<T>(host: string, task: () => Promise<T>): Promise<T> {
    const tail = this.tails.get(host) ?? Promise.resolve();
    const result = tail.then(task);
    const next = result.then(
      () => wait(this.pause()),
      () => wait(this.pause()),
    );
    this.tails.set(host, next);
    return result;
  }
}

const wait = (ms: number) => (ms > 0 ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve());

/** robots.txt rules for our agent: the longest matching Allow/Disallow prefix wins. */
export function robotsAllows(robots: string, path: string, agent = 'nianjian'): boolean {
  const groups: Array<{ agents: string[]; rules: Array<{ allow: boolean; prefix: string }> }> = [];
  let current: (typeof groups)[number] | null = null;
  let lastWasAgent = false;
  for (const raw of robots.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (key === 'user-agent') {
      if (!current || !lastWasAgent) groups.push((current = { agents: [], rules: [] }));
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
    } else if ((key === 'disallow' || key === 'allow') && current) {
      lastWasAgent = false;
      if (key === 'disallow' && value === '') continue;
      current.rules.push({ allow: key === 'allow', prefix: value });
    } else lastWasAgent = false;
  }
  const mine = groups.filter((g) => g.agents.some((a) => a !== '*' && agent.toLowerCase().includes(a)));
  const rules = (mine.length ? mine : groups.filter((g) => g.agents.includes('*'))).flatMap((g) => g.rules);
  let best: { allow: boolean; prefix: string } | null = null;
  for (const r of rules) {
    const re = new RegExp('^' + r.prefix.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\\\$$/, '$'));
    if (re.test(path) && (!best || r.prefix.length > best.prefix.length || (r.prefix.length === best.prefix.length && r.allow))) best = r;
  }
  return best ? best.allow : true;
}

export class Fetcher {
  readonly policy: FetchPolicy;
  private queue: HostQueue;
  private agents = new Map<string, http.Agent>();
  private robots = new Map<string, Promise<string | null>>();
  readonly log: string[] = [];
  /** requests sent, by host (retries and robots.txt included) */
  readonly sent = new Map<string, number>();

  constructor(policy: Partial<FetchPolicy> = {}) {
    this.policy = { ...DEFAULT_POLICY, ...policy };
    this.queue = new HostQueue(() => this.policy.delayMs + Math.random() * this.policy.jitterMs);
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }

  private agent(url: URL): http.Agent {
    const key = `${url.protocol}//${url.host}`;
    let a = this.agents.get(key);
    if (!a) {
      const relaxed = this.policy.relaxedTls.includes(url.hostname);
      a = url.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: !relaxed }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
      this.agents.set(key, a);
    }
    return a;
  }

  /** A TLS connection to `url`'s host through the proxy's CONNECT tunnel. */
  private tunnel(proxy: URL, url: URL, done: (e: Error | null, s?: tls.TLSSocket) => void): void {
    const port = url.port || '443';
    const connect = http.request({ host: proxy.hostname, port: Number(proxy.port || 80), method: 'CONNECT', path: `${url.hostname}:${port}`, headers: { host: `${url.hostname}:${port}` }, timeout: this.policy.timeoutMs });
    connect.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        return done(Object.assign(new Error(`代理拒绝建立隧道（HTTP ${res.statusCode}）`), { code: 'ECONNREFUSED' }));
      }
      const secure = tls.connect({ socket, servername: url.hostname, rejectUnauthorized: !this.policy.relaxedTls.includes(url.hostname) });
      secure.once('secureConnect', () => done(null, secure));
      secure.once('error', (e) => done(e));
    });
    connect.on('timeout', () => connect.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    connect.on('error', (e) => done(e));
    connect.end();
  }

  /** One request, no redirects followed, body capped. */
  private request(url: URL, headers: Record<string, string>, maxBytes = this.policy.maxBytes): Promise<Raw> {
    if (url.protocol === 'https:' && this.policy.relaxedTls.includes(url.hostname)) this.log.push(`TLS 校验已放宽：${url.host}`);
    this.sent.set(url.host, (this.sent.get(url.host) ?? 0) + 1);
    const lib = url.protocol === 'https:' ? https : http;
    const proxy = proxyFor(url, this.policy.proxy);
    return new Promise((resolve, reject) => {
      const all = { 'user-agent': this.policy.userAgent, accept: '*/*', ...headers };
      const options: https.RequestOptions = { method: 'GET', headers: all, timeout: this.policy.timeoutMs };
      if (proxy && url.protocol === 'http:') {
        // a plain HTTP proxy takes the absolute address as the request target
        Object.assign(options, { host: proxy.hostname, port: Number(proxy.port || 80), path: url.href, agent: this.agent(proxy), headers: { ...all, host: url.host } });
      } else if (proxy) {
        // HTTPS through the proxy's CONNECT tunnel (no agent: the request makes its own connection); the TLS is still ours, end to end
        Object.assign(options, { createConnection: (_o: unknown, done: (e: Error | null, s?: tls.TLSSocket) => void) => this.tunnel(proxy, url, done) });
      } else options.agent = this.agent(url);
      const req = (proxy && url.protocol === 'http:' ? http.request(options) : lib.request(url, options)).on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > maxBytes) {
          res.destroy();
          return reject(new TooLarge(`${declared} bytes`));
        }
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            res.destroy();
            reject(new TooLarge(`over ${maxBytes} bytes`));
          } else chunks.push(c);
        });
        res.on('end', () => {
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join('; ') : v;
          resolve({ status: res.statusCode ?? 0, headers: h, bytes: new Uint8Array(Buffer.concat(chunks)) });
        });
        res.on('error', reject);
      });
      // the whole exchange, not only the wait for the first byte, is bounded
      const deadline = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), this.policy.timeoutMs);
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.on('close', () => clearTimeout(deadline));
      req.end();
    });
  }

  /** A request of the browser's, sent in the host's turn like the fetcher's own. */
  inTurn<T>(url: URL, task: () => Promise<T>): Promise<T> {
    this.sent.set(url.host, (this.sent.get(url.host) ?? 0) + 1);
    return this.queue.run(url.host, task);
  }

  async allowed(url: URL): Promise<boolean> {
    const robots = await this.robotsFor(url);
    return robots === null || robotsAllows(robots, url.pathname + url.search);
  }

  private async robotsFor(url: URL): Promise<string | null> {
    const key = `${url.protocol}//${url.host}`;
    let p = this.robots.get(key);
    if (!p) {
      p = this.queue
        .run(url.host, () => this.request(new URL('/robots.txt', url), {}))
        .then((r) => (r.status === 200 && !/^\s*</.test(Buffer.from(r.bytes).toString('latin1', 0, 64)) ? Buffer.from(r.bytes).toString('utf8') : null))
        .catch(() => null);
      this.robots.set(key, p);
    }
    return p;
  }

  /** GET a URL politely, through `browser` for a site opted in to it; never throws for what the site does. */
  async get(target: string, opts: { referer?: string; conditional?: Conditional; browser?: BrowserSession; maxBytes?: number } = {}): Promise<Fetched> {
    const maxBytes = Math.min(opts.maxBytes ?? this.policy.maxBytes, this.policy.maxBytes);
    let url = new URL(target);
    if (this.policy.robots === 'obey' && !(await this.allowed(url))) {
      return { kind: 'error', url: target, error: 'robots', detail: `robots.txt 不允许抓取 ${url.pathname}`, attempts: 0 };
    }
    if (opts.browser) return opts.browser.load(target, opts.referer);
    const headers: Record<string, string> = {};
    if (opts.referer) headers.referer = opts.referer;
    if (opts.conditional?.etag) headers['if-none-match'] = opts.conditional.etag;
    if (opts.conditional?.lastModified) headers['if-modified-since'] = opts.conditional.lastModified;
    let attempts = 0;
    let redirects = 0;
    let switched = false;
    for (;;) {
      attempts++;
      let raw: Raw;
      try {
        raw = await this.queue.run(url.host, () => this.request(url, headers, maxBytes));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? '';
        if (e instanceof TooLarge) return { kind: 'error', url: target, error: 'too_large', detail: `超过 ${maxBytes} 字节`, attempts };
        // a host that refuses one scheme often answers on the other
        if (!switched && /ECONNREFUSED|CERT|SSL|EPROTO|ERR_TLS|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code + (e as Error).message)) {
          switched = true;
          url = new URL(url.href.replace(/^https?:/, url.protocol === 'https:' ? 'http:' : 'https:'));
          this.log.push(`改用 ${url.protocol.replace(':', '')}：${url.host}（${code || (e as Error).message}）`);
          attempts--;
          continue;
        }
        const timeout = code === 'ETIMEDOUT';
        if (attempts <= this.policy.retries && (timeout || /ECONNRESET|EPIPE|ECONNABORTED|socket hang up/.test(code + (e as Error).message))) {
          await wait(this.backoff(attempts));
          continue;
        }
        return { kind: 'error', url: target, error: timeout ? 'timeout' : 'network', detail: code || (e as Error).message, attempts };
      }
      const s = raw.status;
      if (s >= 300 && s < 400 && s !== 304 && raw.headers.location) {
        if (++redirects > this.policy.maxRedirects) return { kind: 'error', url: target, error: 'redirects', detail: `重定向超过 ${this.policy.maxRedirects} 次`, status: s, attempts };
        const next = new URL(raw.headers.location, url);
        // a page that sends everything it does not have to the home page is a soft 404
        if (next.pathname === '/' && url.pathname !== '/') return { kind: 'error', url: target, error: 'soft_404', detail: `重定向到首页 ${next.href}`, status: s, attempts };
        url = next;
        continue;
      }
      const waf = wafOf(s, raw.headers, s >= 200 && s < 300 && s !== 202 ? '' : Buffer.from(raw.bytes).toString('utf8'));
      if (waf) return { kind: 'blocked', url: target, status: s, waf, attempts };
      if ((s === 429 || s >= 500) && attempts <= this.policy.retries) {
        await wait(this.backoff(attempts, raw.headers['retry-after']));
        continue;
      }
      if (s === 304) return { ...this.page(target, url, raw, attempts), notModified: true };
      if (s >= 400) return { kind: 'error', url: target, error: s >= 500 || s === 429 ? 'http_5xx' : 'http_4xx', status: s, detail: `HTTP ${s}`, attempts };
      const page = this.page(target, url, raw, attempts);
      if (page.text && notFoundPage(page.text)) return { kind: 'error', url: target, error: 'soft_404', status: s, detail: `页面说它不存在（HTTP ${s}）`, attempts };
      return page;
    }
  }

  private backoff(attempt: number, retryAfter?: string): number {
    const given = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : null;
    const ms = given ?? this.policy.backoffMs * 2 ** (attempt - 1);
    return Math.min(ms, 60_000);
  }

  private page(target: string, url: URL, raw: Raw, attempts: number): Page {
    const type = raw.headers['content-type'] ?? '';
    const textual = /text\/|html|xml|json|javascript/i.test(type) || (!type && /^\s*</.test(Buffer.from(raw.bytes.subarray(0, 64)).toString('latin1')));
    const decoded = textual && raw.bytes.length ? decodePage(raw.bytes, type) : null;
    return {
      kind: 'ok',
      url: target,
      finalUrl: url.href,
      status: raw.status,
      headers: raw.headers,
      bytes: raw.bytes,
      text: decoded?.text ?? (textual ? '' : null),
      charset: decoded?.charset ?? null,
      notModified: false,
      attempts,
    };
  }
}
