import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidAnswerError } from '../../src/ai/errors.ts';
import { createAiProviders } from '../../src/ai/create-ai.ts';
import { createGeminiProvider } from '../../src/ai/gemini.ts';
import { createOpenAiCompatibleProvider } from '../../src/ai/openai-compatible.ts';
import type { CallOptions, TokenUsage } from '../../src/ai/provider.ts';
import { loadConfig } from '../../src/config/load.ts';
import { startFakeGemini, type FakeGemini } from '../support/fake-gemini.ts';
import type { UploadedFile } from '../support/fake-openai-media.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';

// Transcription and vision through the real clients (openai, @google/genai) against fakes speaking the
// vendors' wire formats: multipart uploads, image_url data URLs, inlineData parts.

let openai: FakeOpenAi;
let gemini: FakeGemini;
beforeAll(async () => {
  [openai, gemini] = await Promise.all([startFakeOpenAi(), startFakeGemini()]);
});
afterAll(async () => {
  await Promise.all([openai?.close(), gemini?.close()]);
});
beforeEach(() => {
  openai.recover();
  gemini.recover();
  openai.requests.length = 0;
  gemini.requests.length = 0;
});

const options = (usage: TokenUsage[] = []): CallOptions => ({ signal: new AbortController().signal, maxTokens: 150, temperature: 0.7, onUsage: (u) => usage.push(u) });
const openAi = () => createOpenAiCompatibleProvider({ name: 'openai', apiKey: 'sk-media', baseURL: openai.url, model: 'gpt-4o-mini', transcribeModel: 'gpt-4o-mini-transcribe', vision: true });
const voice = randomBytes(3000);
const photo = randomBytes(2000);

describe('transcription through the openai client', () => {
  it('uploads the voice note as multipart with the model, Spanish and a file name that tells the format', async () => {
    openai.transcript((file) => `${file.size} bytes: quiero dos camisas`);
    const usage: TokenUsage[] = [];
    const text = await openAi().transcribe!({ ...options(usage), audio: voice, mimeType: 'audio/ogg' });
    expect(text).toBe('3000 bytes: quiero dos camisas');
    const [req] = openai.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/v1/audio/transcriptions', auth: 'Bearer sk-media', status: 200 });
    expect(req.body).toMatchObject({ model: 'gpt-4o-mini-transcribe', language: 'es' });
    const file = req.body!.file as UploadedFile;
    expect(file).toMatchObject({ name: 'voice-note.ogg', type: 'audio/ogg', size: 3000 });
    expect(file.bytes.equals(voice)).toBe(true);
    expect(usage[0].promptTokens).toBeGreaterThan(0);
  });

  it('treats an empty transcript as an invalid answer, and lets a refused format surface as the 400 it is', async () => {
    openai.transcript('   ');
    await expect(openAi().transcribe!({ ...options(), audio: voice, mimeType: 'audio/mpeg' })).rejects.toBeInstanceOf(InvalidAnswerError);
    expect((openai.requests[0].body!.file as UploadedFile).name).toBe('voice-note.mp3');
    // AMR is among WhatsApp's audio types but not OpenAI's formats
    await expect(openAi().transcribe!({ ...options(), audio: voice, mimeType: 'audio/amr' })).rejects.toMatchObject({ status: 400 });
  });

  it('is offered by OpenAI only: DeepSeek neither transcribes nor sees, Gemini sees', () => {
    const providers = createAiProviders(loadConfig({ OPENAI_API_KEY: 'sk', DEEPSEEK_API_KEY: 'ds', GEMINI_API_KEY: 'g' }));
    const abilities = providers.map((p) => [p.name, Boolean(p.transcribe), Boolean(p.describeImage)]);
    expect(abilities).toEqual([['openai', true, true], ['deepseek', false, false], ['gemini', false, true]]);
  });
});

describe('image description', () => {
  it('OpenAI: a chat completion with the caption and the picture as a base64 data URL', async () => {
    openai.reply('Una camisa roja de manga corta, talla M visible en la etiqueta.');
    const text = await openAi().describeImage!({ ...options(), image: photo, mimeType: 'image/jpeg', caption: 'la tienen en azul?' });
    expect(text).toBe('Una camisa roja de manga corta, talla M visible en la etiqueta.');
    const [req] = openai.requests;
    expect(req).toMatchObject({ path: '/v1/chat/completions', status: 200, body: { model: 'gpt-4o-mini', max_tokens: 150 } });
    const [system, user] = req.body!.messages as { role: string; content: unknown }[];
    expect(system.role).toBe('system');
    expect(user.content).toEqual([
      { type: 'text', text: 'El cliente escribió con la imagen: "la tienen en azul?"' },
      { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${photo.toString('base64')}` } },
    ]);
  });

  it('Gemini: the picture as an inlineData part beside the words', async () => {
    gemini.reply('Un comprobante de transferencia por $85.000.');
    const provider = createGeminiProvider({ apiKey: 'g-key', baseUrl: gemini.url, model: 'gemini-2.0-flash' });
    expect(await provider.describeImage!({ ...options(), image: photo, mimeType: 'image/png' })).toBe('Un comprobante de transferencia por $85.000.');
    const [req] = gemini.requests;
    expect(req.status).toBe(200);
    expect(req.body!.contents).toEqual([{ role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: photo.toString('base64') } }, { text: 'El cliente envió esta imagen sin texto.' }] }]);
    expect(JSON.stringify(req.body!.systemInstruction)).toContain('imagen');
  });

  it('the fakes refuse what the vendors refuse: a broken data URL, an unsupported inline type', async () => {
    const raw = createOpenAiCompatibleProvider({ name: 'openai', apiKey: 'sk', baseURL: openai.url, model: 'gpt-4o-mini', vision: true });
    await expect(raw.describeImage!({ ...options(), image: new Uint8Array(), mimeType: 'image/jpeg' })).rejects.toMatchObject({ status: 400 });
    const provider = createGeminiProvider({ apiKey: 'g-key', baseUrl: gemini.url, model: 'gemini-2.0-flash' });
    await expect(provider.describeImage!({ ...options(), image: photo, mimeType: 'image/tiff' })).rejects.toMatchObject({ status: 400 });
  });
});
