// What a send failure means for the caller. The outbound stage decides retries from the class alone,
// so every provider adapter must map its errors onto exactly one of these.

/** The provider throttled us (HTTP 429, Meta 130429/131056/80007). Wait `retryAfterMs`, do not spend an attempt. */
export class ProviderRateLimitedError extends Error {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super(message);
    this.name = 'ProviderRateLimitedError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** The provider refused this message for good (bad number, outside the 24 h window, invalid payload). Do not retry. */
export class ProviderRejectedError extends Error {
  readonly code: number | undefined;
  readonly status: number;
  constructor(message: string, status: number, code?: number) {
    super(message);
    this.name = 'ProviderRejectedError';
    this.status = status;
    this.code = code;
  }
}

/** Network failure, timeout or 5xx: try again later with backoff. */
export class ProviderUnavailableError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'ProviderUnavailableError';
    this.status = status;
  }
}
