// The polite fetcher against fake sites on loopback: one request per host at a time,
// robots.txt, retries within bounds, WAF pages classified, encodings, soft 404s, caps, proxies.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../scrapers/browser.js';
import { decodePage } from '../scrapers/charset.js';
import { Fetcher, robotsAllows, type FetchPolicy } from '../scrapers/fetch.js';
import { gbk } from './web/gbk.js';
import { html, startSite, type Site } from './web/site.js';

const FAST: Partial<FetchPolicy> = { delayMs: 0, jitterMs: 0, backoffMs: 1, timeoutMs: 400, retries: 2 };
const sites: Site[] = [];
const fetchers: Fetcher[] = [];
const open = async (...args: Parameters<typeof startSite>) => {
  const s = await startSite(...args);
  sites.push(s);
  return s;
};
const fetcher = (p: Partial<FetchPolicy> = {}) => {
  const f = new Fetcher({ ...FAST, ...p });
  fetchers.push(f);
  return f;
};

afterEach(async () => {
  for (const f of fetchers.splice(0)) f.close();
  for (const s of sites.splice(0)) await s.close();
});

describe('polite fetching', () => {
  it('sends one request at a time to a host, and serves two hosts side by side', async () => {
    const a = await open({}, async (_req, res) => {
      await new Promise<void>((r) => setImmediate(r));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('a');
    });
    const b = await open({}, html('b', 'text/plain'));
    const f = fetcher({ robots: 'ignore' });
    const all = await Promise.all([...Array.from({ length: 6 }, (_, i) => f.get(`${a.url}/p${i}.html`)), f.get(`${b.url}/x.html`)]);
    expect(all.every((r) => r.kind === 'ok')).toBe(true);
    expect(a.requests).toHaveLength(6);
    expect(a.maxConcurrent).toBe(1);
    expect(b.requests).toEqual(['/x.html']);
  });

  it('honours robots.txt: Disallow: / stops every page, and says so', async () => {
    const s = await open({ '/robots.txt': html('User-agent: *\nDisallow: /\n', 'text/plain'), '/zwgk/index.html': html('<p>list</p>') });
    const r = await fetcher().get(`${s.url}/zwgk/index.html`);
    expect(r).toMatchObject({ kind: 'error', error: 'robots' });
    expect(s.requests).toEqual(['/robots.txt']);
    expect(robotsAllows('User-agent: *\nDisallow: /zwgk/\nAllow: /zwgk/zfxxgknb/\n', '/zwgk/zfxxgknb/index.html')).toBe(true);
    expect(robotsAllows('User-agent: *\nDisallow: /zwgk/\nAllow: /zwgk/zfxxgknb/\n', '/zwgk/other.html')).toBe(false);
    expect(robotsAllows('User-agent: nianjian\nDisallow: /\n\nUser-agent: *\nDisallow:\n', '/a')).toBe(false);
  });

  it('retries 429 and 5xx within bounds, honouring Retry-After, then gives up with the kind', async () => {
    const s = await open({
      '/busy.html': (_req, res, hit) => (hit < 3 ? res.writeHead(429, { 'retry-after': '0' }).end() : html('<p>ok</p>')(_req, res, hit)),
      '/down.html': (_req, res) => res.writeHead(503).end(),
    });
    const f = fetcher({ robots: 'ignore' });
    expect(await f.get(`${s.url}/busy.html`)).toMatchObject({ kind: 'ok', attempts: 3 });
    expect(await f.get(`${s.url}/down.html`)).toMatchObject({ kind: 'error', error: 'http_5xx', status: 503, attempts: 3 });
    expect(s.requests.filter((p) => p === '/down.html')).toHaveLength(3);
  });

  it('times out a site that never answers, after its retries', async () => {
    const s = await open({ '/slow.html': () => {} });
    const r = await fetcher({ robots: 'ignore', retries: 1, timeoutMs: 150 }).get(`${s.url}/slow.html`);
    expect(r).toMatchObject({ kind: 'error', error: 'timeout', attempts: 2 });
  });

  it('recognises a Ruishu-like 412, a Jiasule-like 521 and a block page as blocked, without retrying them', async () => {
    const s = await open({
      '/rs.html': (_req, res) =>
        res.writeHead(412, { 'set-cookie': 'FSSBBIl1UgzbN7N80S=abc; path=/', 'content-type': 'text/html' }).end(`<meta id="x" content="tok" r='m'><script r='m'>$_ts=window['$_ts'];$_ts.lcd();</script>`),
      '/jsl.html': (_req, res) => res.writeHead(521, { 'set-cookie': '__jsluid_h=1f; path=/' }).end(`<script>document.cookie=('__jsl_clearance=1');location.href=location.pathname+location.search</script>`),
      '/deny.html': (_req, res) => res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' }).end('<h1>您的访问被拦截</h1>'),
    });
    const f = fetcher({ robots: 'ignore' });
    expect(await f.get(`${s.url}/rs.html`)).toMatchObject({ kind: 'blocked', waf: 'ruishu', attempts: 1 });
    expect(await f.get(`${s.url}/jsl.html`)).toMatchObject({ kind: 'blocked', waf: 'jiasule', attempts: 1 });
    expect(await f.get(`${s.url}/deny.html`)).toMatchObject({ kind: 'blocked', waf: 'block_page' });
  });

  it('decodes GBK served without a charset, and a page whose meta says gb2312', async () => {
    const body = gbk('<html><head><title>郏县人民政府</title></head><body>郏县2024年政府信息公开工作年度报告</body></html>');
    const meta = gbk('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>郏县人民政府</body></html>');
    const s = await open({
      '/gbk.html': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(body),
      '/meta.html': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(meta),
    });
    const f = fetcher({ robots: 'ignore' });
    const a = await f.get(`${s.url}/gbk.html`);
    expect(a.kind === 'ok' && a.text).toContain('郏县2024年政府信息公开工作年度报告');
    const b = await f.get(`${s.url}/meta.html`);
    expect(b).toMatchObject({ kind: 'ok', charset: 'gb18030' });
    expect(b.kind === 'ok' && b.text).toContain('郏县人民政府');
    expect(decodePage(Buffer.from('<meta charset="utf-8">郏县', 'utf8')).text).toContain('郏县');
  });

  it('calls a redirect to the home page or a 200 page that says it is missing a soft 404, and stops a redirect loop', async () => {
    const s = await open({
      '/old/nb/': (_req, res) => res.writeHead(301, { location: '/' }).end(),
      '/gone/nb/': html('<html><head><title>404 页面不存在_某县人民政府</title></head><body><p>您访问的页面不存在或已删除</p></body></html>'),
      '/loop': (_req, res) => res.writeHead(302, { location: '/loop' }).end(),
      '/moved.html': (_req, res) => res.writeHead(301, { location: '/new.html' }).end(),
      '/new.html': html('<p>新地址</p>'),
    });
    const f = fetcher({ robots: 'ignore' });
    expect(await f.get(`${s.url}/old/nb/`)).toMatchObject({ kind: 'error', error: 'soft_404' });
    expect(await f.get(`${s.url}/gone/nb/`)).toMatchObject({ kind: 'error', error: 'soft_404', status: 200 });
    expect(await f.get(`${s.url}/loop`)).toMatchObject({ kind: 'error', error: 'redirects' });
    expect(await f.get(`${s.url}/moved.html`)).toMatchObject({ kind: 'ok', finalUrl: `${s.url}/new.html` });
  });

  it('asks conditionally and knows an unchanged page; refuses a body over the cap', async () => {
    const s = await open({
      '/list.html': (req, res) =>
        req.headers['if-none-match'] === '"v1"' ? res.writeHead(304).end() : res.writeHead(200, { etag: '"v1"', 'content-type': 'text/html' }).end('<p>list</p>'),
      '/big.pdf': (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(Buffer.alloc(300_000)),
    });
    const f = fetcher({ robots: 'ignore', maxBytes: 100_000 });
    const first = await f.get(`${s.url}/list.html`);
    expect(first).toMatchObject({ kind: 'ok', notModified: false, headers: { etag: '"v1"' } });
    expect(await f.get(`${s.url}/list.html`, { conditional: { etag: '"v1"' } })).toMatchObject({ kind: 'ok', notModified: true });
    expect(await f.get(`${s.url}/big.pdf`)).toMatchObject({ kind: 'error', error: 'too_large' });
  });

  it('falls back from https to http on a host that only speaks http', async () => {
    const s = await open({ '/nb.html': html('<p>年报</p>') });
    const f = fetcher({ robots: 'ignore' });
    const secure = new URL('/nb.html', s.url);
    secure.protocol = 'https:';
    const r = await f.get(secure.href);
    expect(r).toMatchObject({ kind: 'ok', finalUrl: `${s.url}/nb.html` });
    expect(f.log.some((l) => l.startsWith('改用 http'))).toBe(true);
  });
});

describe('fetching through the browser', () => {
  // a temporary folder of this test's own, where the browser's profile must come and go
  const own = mkdtempSync(join(tmpdir(), 'nianjian-fetch-'));
  const outer = process.env.TMPDIR;
  beforeAll(() => void (process.env.TMPDIR = own));
  afterAll(() => {
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    rmSync(own, { recursive: true, force: true });
  });

  it('sends every request the page makes in the host’s turn, keeps robots.txt, skips pictures, and leaves nothing behind', async () => {
    const script = (name: string) => async (_req: unknown, res: import('node:http').ServerResponse) => {
      // an answer that takes a turn of the event loop, so that requests sent together would overlap here
      await new Promise<void>((r) => setImmediate(r));
      res.writeHead(200, { 'content-type': 'application/javascript' }).end(`document.getElementById('out').textContent += '${name}';`);
    };
    const s = await open({
      '/robots.txt': html('User-agent: *\nDisallow: /private/\n', 'text/plain'),
      '/nb.html': html(
        `<html><head><title>年报</title></head><body><div id="out"></div><img src="/logo.png"><script src="/a.js"></script><script src="/b.js"></script><script src="/c.js"></script>
<script>Promise.all(['/x1.json', '/x2.json', '/x3.json'].map(function (u) { return fetch(u).then(function (r) { return r.text(); }); })).then(function (t) { document.getElementById('out').textContent += t.join(''); });
fetch('/private/list.json').then(function () { document.title = 'fetched'; }, function () { document.title = 'refused'; });</script></body></html>`,
      ),
      ...Object.fromEntries([1, 2, 3].map((n) => [`/x${n}.json`, async (_req: unknown, res: import('node:http').ServerResponse) => {
        await new Promise<void>((r) => setImmediate(r));
        res.writeHead(200, { 'content-type': 'application/json' }).end(String(n));
      }])),
      '/a.js': script('a'),
      '/b.js': script('b'),
      '/c.js': script('c'),
      '/private/list.json': html('[]', 'application/json'),
      '/rs.html': (_req, res) => res.writeHead(412, { 'content-type': 'text/html' }).end(`<meta id="x" content="tok" r='m'><script r='m'>$_ts=window['$_ts'];</script>`),
    });
    const f = fetcher();
    const browser = new BrowserSession(f);
    try {
      expect(browser.launched).toBe(false);
      const page = await f.get(`${s.url}/nb.html`, { browser });
      expect(page).toMatchObject({ kind: 'ok', status: 200, charset: 'utf-8', headers: { 'x-nianjian-rendered': 'chromium' } });
      expect(page.kind === 'ok' && page.text).toContain('<div id="out">abc123</div>');
      expect(page.kind === 'ok' && page.text).toContain('<title>refused</title>');
      expect([...s.requests].sort()).toEqual(['/a.js', '/b.js', '/c.js', '/nb.html', '/robots.txt', '/x1.json', '/x2.json', '/x3.json']);
      // the three fetches the page sends at once reached the site one after another
      expect(s.maxConcurrent).toBe(1);
      expect(f.sent.get(s.host)).toBe(8);
      // a challenge the browser cannot pass is still a block, reported as such
      expect(await f.get(`${s.url}/rs.html`, { browser })).toMatchObject({ kind: 'blocked', waf: 'ruishu', status: 412 });
      expect(readdirSync(own).length).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
    expect(browser.launched).toBe(false);
    expect(readdirSync(own)).toEqual([]);
  }, 30_000);
});

describe('through an HTTP proxy', () => {
  /** A loopback proxy: absolute-form GETs answered from `site`, CONNECT tunnels to loopback ports; what it was asked, kept. */
  async function startProxy(site: Site): Promise<{ url: string; asked: string[]; close(): Promise<void> }> {
    const asked: string[] = [];
    const server = http.createServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      const target = new URL(req.url ?? '/');
      const up = http.request(`${site.url}${target.pathname}${target.search}`, { headers: { ...req.headers, host: site.host } }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.writeHead(502).end());
      req.pipe(up);
    });
    const tunnels: net.Socket[] = [];
    server.on('connect', (req, socket: net.Socket) => {
      asked.push(`CONNECT ${req.url}`);
      tunnels.push(socket);
      const [, port] = (req.url ?? '').split(':');
      const up = net.connect(Number(port), '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.pipe(socket);
        socket.pipe(up);
      });
      up.on('error', () => socket.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const close = () => {
      for (const t of tunnels) t.destroy();
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    };
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked, close };
  }

  it('asks for a site under its own name through the proxy, robots.txt too, and goes direct where NO_PROXY says', async () => {
    const s = await open({ '/nb/index.html': html('<html><body><ul><li>年报</li></ul></body></html>') });
    const proxy = await startProxy(s);
    try {
      const env = { ...process.env };
      process.env.HTTP_PROXY = proxy.url;
      process.env.NO_PROXY = 'direct.example';
      try {
        const page = await fetcher().get('http://www.zhecheng.gov.cn/nb/index.html');
        expect(page).toMatchObject({ kind: 'ok', status: 200, finalUrl: 'http://www.zhecheng.gov.cn/nb/index.html' });
        expect(proxy.asked).toEqual(['GET http://www.zhecheng.gov.cn/robots.txt', 'GET http://www.zhecheng.gov.cn/nb/index.html']);
        // NO_PROXY: straight to the host, which does not exist here
        expect(await fetcher({ retries: 0 }).get('http://direct.example/nb/index.html')).toMatchObject({ kind: 'error', error: 'network' });
        expect(proxy.asked).toHaveLength(2);
      } finally {
        process.env.HTTP_PROXY = env.HTTP_PROXY;
        process.env.NO_PROXY = env.NO_PROXY;
        if (env.HTTP_PROXY === undefined) delete process.env.HTTP_PROXY;
        if (env.NO_PROXY === undefined) delete process.env.NO_PROXY;
      }
    } finally {
      await proxy.close();
    }
  });

  it.skipIf(!existsSync('/usr/bin/openssl'))('tunnels HTTPS through CONNECT, the TLS end to end with the site', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianjian-tls-'));
    try {
      execFileSync('/usr/bin/openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=localhost', '-days', '1'], { stdio: 'ignore' });
      const tls = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<html><body>${req.url}</body></html>`));
      await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
      const port = (tls.address() as AddressInfo).port;
      const s = await open({});
      const proxy = await startProxy(s);
      try {
        // the certificate is our own, not a CA's: relaxed for this host only
        const f = fetcher({ proxy: proxy.url, relaxedTls: ['localhost'], robots: 'ignore' });
        const page = await f.get(`https://localhost:${port}/nb/index.html`);
        expect(page).toMatchObject({ kind: 'ok', status: 200 });
        expect(page.kind === 'ok' && page.text).toContain('/nb/index.html');
        expect(proxy.asked).toEqual([`CONNECT localhost:${port}`]);
      } finally {
        await proxy.close();
        tls.closeAllConnections();
        await new Promise<void>((r) => tls.close(() => r()));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
