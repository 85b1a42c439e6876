import autocannon from 'autocannon';
import { Agent, request } from 'undici';

export const agent = new Agent({ connections: 64, keepAliveTimeout: 10_000 });

export async function json<T>(url: string, init: { method?: 'GET' | 'POST' | 'PUT'; headers?: Record<string, string>; body?: unknown } = {}): Promise<T> {
  const res = await request(url, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    dispatcher: agent,
  });
  const text = await res.body.text();
  if (res.statusCode >= 400) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.statusCode} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** autocannon with the given connections and duration; latency percentiles in ms. */
export async function load(url: string, headers: Record<string, string>, connections = 20, seconds = 10): Promise<LoadResult> {
  const result = await autocannon({ url, headers, connections, duration: seconds, pipelining: 1 });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
