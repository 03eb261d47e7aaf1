// The API, as JSON. A 401 means the session has ended: the app shows the login page.
import { session } from './session.svelte.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | null | undefined>;

export function apiUrl(path: string, query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `/api${path}${s ? `?${s}` : ''}`;
}

async function call<T>(method: string, path: string, query: Query, body?: unknown): Promise<T> {
  // every write is JSON, an empty object when there is nothing to say: the server takes
  // writes only as JSON from our own pages
  const write = method !== 'GET';
  const res = await fetch(apiUrl(path, query), {
    method,
    headers: write ? { 'content-type': 'application/json' } : {},
    body: write ? JSON.stringify(body ?? {}) : undefined,
    credentials: 'same-origin',
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    if (res.status === 401 && path !== '/session') session.account = null;
    throw new ApiError(res.status, data?.error ?? 'error', data?.message ?? `请求失败（${res.status}）`);
  }
  return data as T;
}

export const get = <T>(path: string, query: Query = {}) => call<T>('GET', path, query);
export const post = <T>(path: string, body: unknown = {}) => call<T>('POST', path, {}, body);
export const del = <T>(path: string, body: unknown = {}) => call<T>('DELETE', path, {}, body);
