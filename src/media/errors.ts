// Why a voice note or picture could not be understood. Each is recorded on the message
// (details.mediaOutcome) and none of them stops the message: the customer is still answered, with a
// polite request to write instead.
export type MediaProblem =
  | 'not_configured' // no provider credentials to fetch it with, or no AI that can read it
  | 'too_large' // over MEDIA_MAX_BYTES, by the provider's word or by the bytes that came
  | 'type_refused' // not an audio or image type we accept
  | 'download_failed' // the provider did not give the bytes (error, timeout, checksum mismatch)
  | 'ai_unavailable' // every capable provider failed, is switched off or its breaker is open
  | 'failed'; // anything unexpected: recorded, never fatal

/** A media fetch that cannot succeed as things stand: `problem` says which, the message says what exactly. */
export class MediaError extends Error {
  readonly problem: MediaProblem;
  constructor(problem: MediaProblem, message: string) {
    super(message);
    this.name = 'MediaError';
    this.problem = problem;
  }
}
