// The media side of the fake OpenAI API: POST /v1/audio/transcriptions (multipart/form-data, as the real
// client uploads a file) and image content parts in chat requests, checked the way OpenAI checks them
// and refused with OpenAI's error bodies.

/** OpenAI's transcription formats, told by the file name's extension. */
const FORMATS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'];

export interface UploadedFile {
  name: string;
  type: string;
  size: number;
  bytes: Buffer;
}

const invalid = (message: string, param: string | null = null, code: string | null = null) => ({ error: { message, type: 'invalid_request_error', param, code } });

/** The form fields of a transcription request (the file as an UploadedFile), or undefined when it is not multipart. */
export async function readTranscriptionForm(contentType: string | undefined, bytes: Buffer): Promise<Record<string, unknown> | undefined> {
  if (!contentType?.startsWith('multipart/form-data')) return undefined;
  try {
    const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
    const fields: Record<string, unknown> = {};
    for (const [key, value] of form) {
      fields[key] = typeof value === 'string' ? value : { name: value.name, type: value.type, size: value.size, bytes: Buffer.from(await value.arrayBuffer()) } satisfies UploadedFile;
    }
    return fields;
  } catch {
    return undefined;
  }
}

/** OpenAI's answer to a transcription request: [status, body]. */
export function transcriptionAnswer(form: Record<string, unknown> | undefined, transcript: (file: UploadedFile) => string): [number, unknown] {
  if (!form) return [400, invalid("Could not parse multipart form")];
  const file = form.file as UploadedFile | undefined;
  if (typeof form.model !== 'string' || !form.model) return [400, invalid("you must provide a model parameter", 'model')];
  if (!file || typeof file !== 'object') return [400, invalid("Missing required parameter: 'file'.", 'file', 'missing_required_parameter')];
  const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
  if (!FORMATS.includes(extension)) return [400, invalid(`Invalid file format. Supported formats: ${JSON.stringify(FORMATS)}`)];
  if (file.size === 0) return [400, invalid('Audio file is too short. Minimum audio length is 0.1 seconds.', 'file', 'audio_too_short')];
  const text = transcript(file);
  const audioTokens = Math.ceil(file.size / 100);
  const outputTokens = Math.ceil(text.length / 4);
  return [200, {
    text,
    usage: { type: 'tokens', input_tokens: audioTokens, input_token_details: { text_tokens: 0, audio_tokens: audioTokens }, output_tokens: outputTokens, total_tokens: audioTokens + outputTokens },
  }];
}

/** Why OpenAI would refuse the image parts of these chat messages, or undefined. */
export function imagePartProblem(messages: unknown[]): unknown {
  for (const m of messages) {
    const content = (m as { content?: unknown })?.content;
    if (!Array.isArray(content)) continue;
    for (const part of content as { type?: string; text?: unknown; image_url?: { url?: unknown } }[]) {
      if (part?.type === 'text' && typeof part.text === 'string') continue;
      if (part?.type !== 'image_url') return invalid(`Invalid content part type: ${String(part?.type)}`, 'messages', 'invalid_value');
      const url = part.image_url?.url;
      if (typeof url !== 'string') return invalid("Missing required parameter: 'messages[].content[].image_url.url'.", 'messages', 'missing_required_parameter');
      const data = /^data:image\/(jpeg|png|webp|gif);base64,([A-Za-z0-9+/=]+)$/.exec(url);
      if (!url.startsWith('https://') && (!data || Buffer.from(data[2], 'base64').length === 0)) {
        return invalid('Invalid image URL: expected a https URL or a base64 data URL of a supported image type.', 'url', 'invalid_image_url');
      }
    }
  }
  return undefined;
}
