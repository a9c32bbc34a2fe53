// Errors a stage handler throws to tell the queue adapter what to do. Handlers stay plain functions:
// they never see a Job, only these classes.

/** Retrying cannot help (malformed payload, a row that cannot exist). The job fails at once with this reason. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/** Someone else holds the chat right now (a stalled job being re-run). Retry after the backoff. */
export class ChatBusyError extends Error {
  constructor(chatId: string) {
    super(`chat ${chatId} is being handled by another worker`);
    this.name = 'ChatBusyError';
  }
}

/** What a handler may return besides a summary: "come back later" (the burst window is still open). */
export interface RetryLater {
  retryInMs: number;
}
export const isRetryLater = (v: unknown): v is RetryLater =>
  typeof v === 'object' && v !== null && typeof (v as RetryLater).retryInMs === 'number';
