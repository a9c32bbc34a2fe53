/**
 * The provider answered, but not with something usable (not JSON, an intent outside the list, an empty
 * reply). It counts against the provider's breaker like an outage: a provider that keeps answering
 * garbage is as useless as one that does not answer, and the router moves on to the next one.
 */
export class InvalidAnswerError extends Error {
  constructor(reason: string) {
    super(`invalid answer: ${reason}`);
    this.name = 'InvalidAnswerError';
  }
}

/** The call took longer than the provider's timeout_ms and was aborted (the HTTP request is closed). */
export class AiTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(provider: string, ms: number) {
    super(`${provider}: no answer within ${ms} ms`);
    this.name = 'AiTimeoutError';
  }
}

export type AiCallOutcome = 'ok' | 'timeout' | 'error' | 'invalid' | 'breaker_open';

const codeOf = (error: unknown) => (typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined);

/** How a failed call is recorded in ai_calls. */
export function outcomeOf(error: unknown): AiCallOutcome {
  if (error instanceof InvalidAnswerError) return 'invalid';
  const code = codeOf(error);
  if (code === 'EOPENBREAKER') return 'breaker_open';
  if (code === 'ETIMEDOUT' || error instanceof AiTimeoutError) return 'timeout';
  return 'error';
}

/** HTTP status of a client error (openai's APIError and @google/genai's ApiError both carry `status`). */
export function httpStatusOf(error: unknown): number | undefined {
  const status = typeof error === 'object' && error !== null && 'status' in error ? (error as { status: unknown }).status : undefined;
  return typeof status === 'number' ? status : undefined;
}
