import { ProviderRateLimitedError, ProviderRejectedError, ProviderUnavailableError } from './errors.ts';

export interface HttpAnswer {
  status: number;
  json: unknown;
  retryAfterMs?: number;
}

/**
 * One provider request with a hard timeout (the AbortSignal really cuts the connection). Network
 * failures and timeouts become ProviderUnavailableError; the caller classifies HTTP answers.
 */
export async function callProvider(url: string, init: { method: string; token: string; body?: unknown; timeoutMs: number }): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method,
      headers: { authorization: `Bearer ${init.token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (error) {
    const e = error as Error;
    const why = e.name === 'TimeoutError' ? `no answer within ${init.timeoutMs} ms` : e.message;
    throw new ProviderUnavailableError(`${init.method} ${new URL(url).pathname}: ${why}`);
  }
  const text = await res.text().catch(() => '');
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  const retryAfter = Number(res.headers.get('retry-after'));
  return { status: res.status, json, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined };
}

/** Default mapping by HTTP status alone (Whapi); Meta refines it with its error codes. */
export function errorFromStatus(answer: HttpAnswer, what: string): Error {
  if (answer.status === 429) return new ProviderRateLimitedError(`${what}: rate limited`, answer.retryAfterMs ?? 1000);
  if (answer.status >= 500 || answer.status === 408) return new ProviderUnavailableError(`${what}: HTTP ${answer.status}`, answer.status);
  return new ProviderRejectedError(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.json ?? '').slice(0, 300)}`, answer.status);
}
