// A fake government site on loopback for the scraper tests: routes answer like the CMSes
// and their obstacles do, and the site records every request and asserts that no client
// ever holds two connections' worth of requests to it at once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => unknown;

export interface Site {
  url: string;
  host: string;
  /** paths requested, in order */
  requests: string[];
  /** the most requests this site was answering at one moment */
  maxConcurrent: number;
  close(): Promise<void>;
}

export async function startSite(routes: Record<string, Handler>, fallback?: Handler): Promise<Site> {
  let inFlight = 0;
  const hits = new Map<string, number>();
  const site: Site = {
    url: '',
    host: '',
    requests: [],
    maxConcurrent: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer(async (req, res) => {
    inFlight++;
    site.maxConcurrent = Math.max(site.maxConcurrent, inFlight);
    res.on('close', () => inFlight--);
    const path = req.url ?? '/';
    site.requests.push(path);
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    const route = routes[path] ?? fallback;
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body>404 页面不存在</body></html>');
      return;
    }
    await route(req, res, hit);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  site.host = `127.0.0.1:${port}`;
  site.url = `http://127.0.0.1:${port}`;
  const close = site.close;
  site.close = () => {
    server.closeAllConnections();
    return close();
  };
  return site;
}

export const html = (body: string, type = 'text/html; charset=utf-8'): Handler => (_req, res) => {
  res.writeHead(200, { 'content-type': type }).end(body);
};
