import type { AiRouter } from '../ai/router.ts';
import type { Logger } from '../logger.ts';
import { AUDIO_TYPES, IMAGE_TYPES } from './allowed-types.ts';
import { MediaError, type MediaProblem } from './errors.ts';
import type { MediaFetcher, MediaMessage } from './fetch-media.ts';

/** What became of a voice note or picture: its words or description, or why there are none. */
export type MediaUnderstanding =
  | { outcome: 'transcribed' | 'described'; text: string; provider: string }
  | { outcome: MediaProblem };

export interface UnderstandMediaMessage extends MediaMessage {
  id: number;
  kind: string;
  /** A picture's caption, handed to the vision model as context. */
  text: string | null;
}

export type UnderstandMedia = (message: UnderstandMediaMessage) => Promise<MediaUnderstanding>;

export interface MediaUnderstandingOptions {
  fetchMedia: MediaFetcher;
  ai: Pick<AiRouter, 'transcribe' | 'describeImage' | 'supports'>;
  log?: Logger;
}

/** Only these kinds are read; everything else is answered as it always was. */
export const UNDERSTOOD_KINDS = ['audio', 'image'] as const;

/**
 * A voice note becomes its transcript, a picture its description. The bytes live only for the length
 * of this call. Never throws: every failure is a reason the caller records, and the customer is then
 * asked (politely) to write instead.
 */
export function createMediaUnderstanding({ fetchMedia, ai, log }: MediaUnderstandingOptions): UnderstandMedia {
  return async (message) => {
    const audio = message.kind === 'audio';
    if (!audio && message.kind !== 'image') return { outcome: 'type_refused' };
    // no AI could read it: not even worth the download
    if (!ai.supports(audio ? 'transcribe' : 'describeImage')) return { outcome: 'not_configured' };
    try {
      const media = await fetchMedia(message, audio ? AUDIO_TYPES : IMAGE_TYPES);
      const answer = audio
        ? await ai.transcribe(media.bytes, media.mimeType)
        : await ai.describeImage(media.bytes, media.mimeType, message.text ?? undefined);
      if (!answer) return { outcome: 'ai_unavailable' };
      return { outcome: audio ? 'transcribed' : 'described', text: answer.text, provider: answer.provider };
    } catch (error) {
      const outcome = error instanceof MediaError ? error.problem : 'failed';
      log?.warn({ inboundId: message.id, kind: message.kind, outcome, err: error instanceof Error ? error.message : String(error) }, 'could not read media');
      return { outcome };
    }
  };
}
