import { MediaError } from './errors.ts';

// The types worth downloading: what WhatsApp sends as voice notes and audio (ogg/opus above all) and the
// picture formats vision models read. Anything else (video, documents, stickers as animated webp of
// unknown size…) is not fetched at all.

export const AUDIO_TYPES = ['audio/ogg', 'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/amr', 'audio/webm'] as const;
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** "audio/ogg; codecs=opus" → "audio/ogg": parameters say how, not what. */
export const baseMimeType = (mimeType: string): string => mimeType.split(';')[0].trim().toLowerCase();

/** The bare type when it is one of `allowed`; throws MediaError('type_refused') otherwise. */
export function acceptedType(mimeType: string | undefined, allowed: readonly string[]): string {
  const type = mimeType ? baseMimeType(mimeType) : '';
  if (!allowed.includes(type)) throw new MediaError('type_refused', `media type ${JSON.stringify(mimeType ?? '(none)')} is not one of ${allowed.join(', ')}`);
  return type;
}
