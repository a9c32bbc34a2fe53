import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidAnswerError } from '../../src/ai/errors.ts';
import { createGeminiProvider } from '../../src/ai/gemini.ts';
import { createOpenAiCompatibleProvider } from '../../src/ai/openai-compatible.ts';
import type { CallOptions, TokenUsage } from '../../src/ai/provider.ts';
import { startFakeGemini, type FakeGemini } from '../support/fake-gemini.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { eventually, intentJson } from './support.ts';

// The real clients (openai, @google/genai) against fakes that speak the vendors' wire formats.

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

const call = (usage: TokenUsage[], signal: AbortSignal): CallOptions => ({ signal, maxTokens: 120, temperature: 0.7, onUsage: (u) => usage.push(u) });
const never = () => new AbortController().signal;

describe('OpenAI through the openai client', () => {
  const provider = () => createOpenAiCompatibleProvider({ name: 'openai', apiKey: 'sk-test', baseURL: openai.url, model: 'gpt-4o-mini' });

  it('classifies with JSON mode, temperature 0 and the configured max_tokens, and reports usage', async () => {
    openai.reply(intentJson('search_products', { query: 'camisa roja' }, 0.93));
    const usage: TokenUsage[] = [];
    const result = await provider().classify({ ...call(usage, never()), text: 'busco una camisa roja', context: { customerName: 'Ana' } });
    expect(result).toEqual({ intent: 'search_products', entities: { query: 'camisa roja' }, confidence: 0.93 });
    const [req] = openai.requests;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.auth).toBe('Bearer sk-test');
    expect(req.body).toMatchObject({ model: 'gpt-4o-mini', response_format: { type: 'json_object' }, max_tokens: 120, temperature: 0 });
    const messages = req.body!.messages as { role: string; content: string }[];
    expect(messages[0].role).toBe('system');
    expect(messages[0].content).toContain('search_products');
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'busco una camisa roja' });
    expect(usage).toHaveLength(1);
    expect(usage[0].promptTokens).toBeGreaterThan(0);
    expect(usage[0].completionTokens).toBeGreaterThan(0);
  });

  it('replies in free text with the configured temperature, no JSON mode', async () => {
    openai.reply('¡Hola Ana! ¿Qué estás buscando hoy?');
    const text = await provider().reply({ ...call([], never()), messages: [{ role: 'user', content: 'hola' }], context: { customerName: 'Ana' } });
    expect(text).toBe('¡Hola Ana! ¿Qué estás buscando hoy?');
    expect(openai.requests[0].body).toMatchObject({ temperature: 0.7, max_tokens: 120 });
    expect(openai.requests[0].body).not.toHaveProperty('response_format');
  });

  it('does not retry a failed call (the router falls back instead)', async () => {
    openai.failNext(1, { status: 503 });
    await expect(provider().classify({ ...call([], never()), text: 'hola', context: {} })).rejects.toMatchObject({ status: 503 });
    expect(openai.requests).toHaveLength(1);
  });

  it('treats garbage and an HTML page answered with 200 as invalid, still reporting what was spent', async () => {
    openai.reply('Claro, te ayudo con eso.');
    const usage: TokenUsage[] = [];
    await expect(provider().classify({ ...call(usage, never()), text: 'hola', context: {} })).rejects.toBeInstanceOf(InvalidAnswerError);
    expect(usage).toHaveLength(1);
    openai.failNext(1, { status: 200, raw: '<html><body>Bad gateway</body></html>' });
    await expect(provider().classify({ ...call([], never()), text: 'hola', context: {} })).rejects.toBeInstanceOf(InvalidAnswerError);
  });

  it('closes the HTTP request when the signal aborts', async () => {
    openai.hang();
    const controller = new AbortController();
    const pending = provider().classify({ ...call([], controller.signal), text: 'hola', context: {} });
    await eventually(() => openai.requests.length === 1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await eventually(() => openai.aborted() === 1);
  });
});

describe('DeepSeek through the same client', () => {
  it('posts to {DEEPSEEK_BASE_URL}/chat/completions with its own key and model', async () => {
    openai.reply(intentJson('view_cart'));
    const provider = createOpenAiCompatibleProvider({ name: 'deepseek', apiKey: 'ds-key', baseURL: openai.origin, model: 'deepseek-chat' });
    expect(provider.name).toBe('deepseek');
    const result = await provider.classify({ ...call([], never()), text: 'qué tengo en el carrito', context: {} });
    expect(result.intent).toBe('view_cart');
    expect(openai.requests[0]).toMatchObject({ path: '/chat/completions', auth: 'Bearer ds-key', body: { model: 'deepseek-chat', response_format: { type: 'json_object' } } });
  });
});

describe('Gemini through @google/genai', () => {
  const provider = () => createGeminiProvider({ apiKey: 'g-key', baseUrl: gemini.url, model: 'gemini-2.0-flash' });

  it('classifies with responseMimeType application/json and a system instruction, and reports usage', async () => {
    gemini.reply(intentJson('add_to_cart', { query: 'gorra', quantity: 2 }));
    const usage: TokenUsage[] = [];
    const result = await provider().classify({ ...call(usage, never()), text: 'agrega 2 gorras', context: { history: [{ role: 'assistant', content: '¿Qué deseas?' }] } });
    expect(result).toEqual({ intent: 'add_to_cart', entities: { query: 'gorra', quantity: 2 }, confidence: 0.9 });
    const [req] = gemini.requests;
    expect(req.path).toBe('/v1beta/models/gemini-2.0-flash:generateContent');
    expect(req.apiKey).toBe('g-key');
    expect(req.body).toMatchObject({ generationConfig: { responseMimeType: 'application/json', maxOutputTokens: 120, temperature: 0 } });
    expect(JSON.stringify(req.body!.systemInstruction)).toContain('add_to_cart');
    expect(req.body!.contents).toEqual([
      { role: 'model', parts: [{ text: '¿Qué deseas?' }] },
      { role: 'user', parts: [{ text: 'agrega 2 gorras' }] },
    ]);
    expect(usage[0].promptTokens).toBeGreaterThan(0);
    expect(usage[0].completionTokens).toBeGreaterThan(0);
  });

  it('replies in free text', async () => {
    gemini.reply('Con gusto te ayudo.');
    expect(await provider().reply({ ...call([], never()), messages: [{ role: 'user', content: 'hola' }], context: {} })).toBe('Con gusto te ayudo.');
    expect(gemini.requests[0].body).toMatchObject({ generationConfig: { temperature: 0.7 } });
    expect(gemini.requests[0].body!.generationConfig).not.toHaveProperty('responseMimeType');
  });

  it('rejects an intent outside the list as invalid, and does not retry errors', async () => {
    gemini.reply(intentJson('order_pizza'));
    await expect(provider().classify({ ...call([], never()), text: 'hola', context: {} })).rejects.toBeInstanceOf(InvalidAnswerError);
    gemini.failNext(1, { status: 503 });
    await expect(provider().classify({ ...call([], never()), text: 'hola', context: {} })).rejects.toMatchObject({ status: 503 });
    expect(gemini.requests).toHaveLength(2);
  });

  it('closes the HTTP request when the signal aborts', async () => {
    gemini.hang();
    const controller = new AbortController();
    const pending = provider().classify({ ...call([], controller.signal), text: 'hola', context: {} });
    await eventually(() => gemini.requests.length === 1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await eventually(() => gemini.aborted() === 1);
  });
});
