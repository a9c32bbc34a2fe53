/** A dependency the request needs is down: answer 503 so the provider retries later (it does, for days). */
export class DependencyUnavailableError extends Error {
  readonly dependency: string;
  constructor(dependency: string, cause: unknown) {
    super(`${dependency} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DependencyUnavailableError';
    this.dependency = dependency;
  }
}
