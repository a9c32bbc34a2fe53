import { GoogleGenAI, type Content, type GenerateContentResponse } from '@google/genai';
import { parseIntentAnswer, parseReplyAnswer } from './intents.ts';
import { classifyInstructions, describeImageInstructions, imageRequestText, replyInstructions } from './prompts.ts';
import type { AiProvider, CallOptions, ChatMessage } from './provider.ts';

// Google's Gemini API through @google/genai (generateContent).

export interface GeminiOptions {
  apiKey: string;
  /** Defaults to https://generativelanguage.googleapis.com; tests point it at a fake on loopback. */
  baseUrl?: string;
  model: string;
}

export function createGeminiProvider({ apiKey, baseUrl, model }: GeminiOptions): AiProvider {
  const client = new GoogleGenAI({
    apiKey,
    // Pinned: the SDK's default for the Gemini API changed to v1 in 3.x; v1beta is the version Google's
    // REST reference documents JSON mode and system instructions on, and pinning it keeps the wire path
    // from moving under us on an SDK upgrade.
    apiVersion: 'v1beta',
    // No retryOptions: the SDK only retries when they are given, and the router falls back instead.
    httpOptions: baseUrl ? { baseUrl } : undefined,
  });

  async function generate(contents: Content[], systemInstruction: string, options: CallOptions, json: boolean): Promise<string | undefined> {
    const response: GenerateContentResponse = await client.models.generateContent({
      model,
      contents,
      config: {
        systemInstruction,
        maxOutputTokens: options.maxTokens,
        temperature: options.temperature,
        abortSignal: options.signal,
        ...(json ? { responseMimeType: 'application/json' } : {}),
      },
    });
    const usage = response.usageMetadata;
    if (usage) options.onUsage({ promptTokens: usage.promptTokenCount, completionTokens: usage.candidatesTokenCount });
    return response.text;
  }

  return {
    name: 'gemini',
    classify: async (input) => {
      const contents = [...toContents(input.context.history ?? []), { role: 'user', parts: [{ text: input.text }] }];
      // temperature 0: a label wants the model's most likely answer, not variety
      return parseIntentAnswer(await generate(contents, classifyInstructions(input.context), { ...input, temperature: 0 }, true));
    },
    reply: async (input) => parseReplyAnswer(await generate(toContents(input.messages), replyInstructions(input.context), input, false)),
    // every Gemini model reads images: the picture goes inline, base64, beside the words
    describeImage: async (input) => {
      const parts = [{ inlineData: { mimeType: input.mimeType, data: Buffer.from(input.image).toString('base64') } }, { text: imageRequestText(input.caption) }];
      return parseReplyAnswer(await generate([{ role: 'user', parts }], describeImageInstructions(), input, false));
    },
  };
}

// Gemini calls the assistant's side 'model'.
const toContents = (messages: ChatMessage[]): Content[] =>
  messages.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] }));
