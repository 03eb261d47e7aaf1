// Pages and their filters live in the address (shareable, the back button works): the path
// picks the page, the query string holds the filters. Links inside the app are ordinary
// <a href>s, taken over here so the page is not reloaded.

export const route = $state({ path: location.pathname, query: new URLSearchParams(location.search) });

function update(): void {
  route.path = location.pathname;
  route.query = new URLSearchParams(location.search);
}

export function go(href: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  update();
  if (!opts.replace) window.scrollTo(0, 0);
}

/** The current address with some filters changed (null or '' removes one). */
export function withQuery(changes: Record<string, string | number | null | undefined>, path = route.path): string {
  const q = new URLSearchParams(route.query);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') q.delete(k);
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Changes filters; a filter change is a step the back button undoes. */
export function setQuery(changes: Record<string, string | number | null | undefined>, opts: { replace?: boolean } = {}): void {
  go(withQuery(changes), opts);
}

export function param(name: string): string | null {
  return route.query.get(name);
}

export function intParam(name: string): number | null {
  const v = route.query.get(name);
  return v !== null && /^\d+$/.test(v) ? Number(v) : null;
}

window.addEventListener('popstate', update);
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element).closest?.('a');
  if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
  if (a.pathname.startsWith('/api/') || a.pathname.startsWith('/docs')) return;
  e.preventDefault();
  go(a.pathname + a.search);
});
