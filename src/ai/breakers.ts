import CircuitBreaker from 'opossum';
import { AiTimeoutError, InvalidAnswerError, httpStatusOf } from './errors.ts';
import type { ProviderConfig } from './provider-config.ts';

/** One call to a provider; `signal` is aborted when the call's time is up. */
export type BreakerJob<T> = (signal: AbortSignal) => Promise<T>;
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface ProviderBreakers {
  /** Run `job` through the provider's breaker: rejects at once (code EOPENBREAKER) while it is open. */
  run: <T>(config: ProviderConfig, job: BreakerJob<T>) => Promise<T>;
  state: (name: string) => BreakerState | undefined;
  shutdown: () => void;
}

export interface BreakerOptions {
  /** Told of every open / half-open / close, for logs and metrics. */
  onStateChange?: (provider: string, state: BreakerState) => void;
}

/**
 * Errors that say "this request was refused", not "this provider is unwell": an input too long or
 * otherwise rejected is answered fast and would be refused by any provider, so it must not shut one out
 * for every other customer. Everything else counts: 5xx, 429, auth failures, network errors, timeouts
 * (which abort the request) and answers that came back unusable (InvalidAnswerError), because a
 * provider answering garbage is as useless as a silent one.
 */
export function isRequestSpecific(error: unknown): boolean {
  if (error instanceof InvalidAnswerError || error instanceof AiTimeoutError) return false;
  const status = httpStatusOf(error);
  return status === 400 || status === 413 || status === 422;
}

// The breaker's action: the job gets the call's own signal. Opossum's built-in abortController is one
// controller shared by every call of the breaker, so one timeout would abort the calls beside it;
// a controller per call, aborted when opossum's timer fires, aborts exactly the call that ran late.
const action = (signal: AbortSignal, job: BreakerJob<unknown>) => job(signal);

const optionsKey = (c: ProviderConfig) => `${c.timeoutMs}/${c.volumeThreshold}/${c.errorThresholdPercentage}/${c.resetTimeoutMs}`;

export function createProviderBreakers({ onStateChange }: BreakerOptions = {}): ProviderBreakers {
  const breakers = new Map<string, { key: string; breaker: CircuitBreaker<[AbortSignal, BreakerJob<unknown>], unknown> }>();

  // One breaker per provider, rebuilt when its row's limits change (a fresh breaker starts closed: a
  // changed configuration deserves a fresh try).
  function breakerFor(config: ProviderConfig) {
    const key = optionsKey(config);
    const existing = breakers.get(config.name);
    if (existing?.key === key) return existing.breaker;
    existing?.breaker.shutdown();
    const breaker = new CircuitBreaker(action, {
      name: config.name,
      timeout: config.timeoutMs,
      errorThresholdPercentage: config.errorThresholdPercentage,
      volumeThreshold: config.volumeThreshold,
      resetTimeout: config.resetTimeoutMs,
      errorFilter: isRequestSpecific,
      // nobody listens to snapshots; skip the timer
      enableSnapshots: false,
    });
    if (onStateChange) {
      breaker.on('open', () => onStateChange(config.name, 'open'));
      breaker.on('halfOpen', () => onStateChange(config.name, 'half_open'));
      breaker.on('close', () => onStateChange(config.name, 'closed'));
    }
    breakers.set(config.name, { key, breaker });
    return breaker;
  }

  return {
    run: async <T>(config: ProviderConfig, job: BreakerJob<T>): Promise<T> => {
      const controller = new AbortController();
      try {
        return (await breakerFor(config).fire(controller.signal, job as BreakerJob<unknown>)) as T;
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ETIMEDOUT') throw new AiTimeoutError(config.name, config.timeoutMs);
        throw error;
      } finally {
        // closes the HTTP request if it is still open (timed out); a no-op once it has finished
        controller.abort(new AiTimeoutError(config.name, config.timeoutMs));
      }
    },
    state: (name) => {
      const b = breakers.get(name)?.breaker;
      return !b ? undefined : b.opened ? 'open' : b.halfOpen ? 'half_open' : 'closed';
    },
    shutdown: () => {
      for (const { breaker } of breakers.values()) breaker.shutdown();
      breakers.clear();
    },
  };
}
