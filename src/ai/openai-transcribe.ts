import OpenAI, { toFile } from 'openai';
import { InvalidAnswerError } from './errors.ts';
import type { TranscribeInput } from './provider.ts';

// OpenAI's speech-to-text endpoint (POST /audio/transcriptions, multipart). It tells the format by the
// file name's extension, so the name must say what the bytes are.

const EXTENSIONS: Record<string, string> = {
  'audio/ogg': 'ogg', // WhatsApp voice notes: ogg/opus
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac', // not among OpenAI's formats: refused with a 400, which the breaker does not count
  'audio/amr': 'amr', // likewise
  'audio/webm': 'webm',
};

export function createOpenAiTranscriber(client: OpenAI, model: string): (input: TranscribeInput) => Promise<string> {
  return async (input) => {
    const file = await toFile(input.audio, `voice-note.${EXTENSIONS[input.mimeType] ?? 'ogg'}`, { type: input.mimeType });
    // language 'es': the customers write (and speak) Spanish; saying so is faster and more accurate than detection
    const result: unknown = await client.audio.transcriptions.create({ file, model, language: 'es' }, { signal: input.signal });
    if (typeof result !== 'object' || result === null || !('text' in result)) throw new InvalidAnswerError('not a transcription');
    const { text, usage } = result as OpenAI.Audio.Transcription;
    if (usage?.type === 'tokens') input.onUsage({ promptTokens: usage.input_tokens, completionTokens: usage.output_tokens });
    const transcript = typeof text === 'string' ? text.trim() : '';
    if (!transcript) throw new InvalidAnswerError('empty transcript');
    return transcript;
  };
}
