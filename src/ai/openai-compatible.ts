import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { InvalidAnswerError } from './errors.ts';
import { parseIntentAnswer, parseReplyAnswer } from './intents.ts';
import { createOpenAiTranscriber } from './openai-transcribe.ts';
import { classifyInstructions, describeImageInstructions, imageRequestText, replyInstructions } from './prompts.ts';
import type { AiProvider, CallOptions, ChatMessage, DescribeImageInput } from './provider.ts';

// OpenAI's Chat Completions protocol, spoken by OpenAI and by DeepSeek (and most others): one client,
// a different base URL, key and model.

export interface OpenAiCompatibleOptions {
  /** 'openai' or 'deepseek': the row in ai_provider_config. */
  name: string;
  apiKey: string;
  /** OpenAI: https://api.openai.com/v1 (the client's default); DeepSeek: https://api.deepseek.com. */
  baseURL?: string;
  model: string;
  /** Voice notes: the transcription model (OpenAI only; DeepSeek has no speech endpoint). */
  transcribeModel?: string;
  /** Whether `model` reads images (gpt-4o-mini does; deepseek-chat does not, and must not claim to). */
  vision?: boolean;
}

export function createOpenAiCompatibleProvider({ name, apiKey, baseURL, model, transcribeModel, vision = false }: OpenAiCompatibleOptions): AiProvider {
  const client = new OpenAI({
    apiKey,
    baseURL,
    // The router falls back to the next provider instead; a client retry would spend the time budget on
    // the provider that just failed. The client's own timeout is only a backstop: the router's signal
    // aborts the request at the configured timeout_ms.
    maxRetries: 0,
    timeout: 60_000,
  });

  async function complete(messages: ChatMessageParams, options: CallOptions, json: boolean): Promise<string | null | undefined> {
    const completion: unknown = await client.chat.completions.create(
      {
        model,
        messages,
        // max_tokens, not max_completion_tokens: DeepSeek and the gpt-4o family take it; only OpenAI's
        // reasoning models insist on the newer name, and they are too slow for a chat turn anyway.
        max_tokens: options.maxTokens,
        temperature: options.temperature,
        ...(json ? { response_format: { type: 'json_object' as const } } : {}),
      },
      { signal: options.signal },
    );
    // The client hands back the body as text when the server's content type is not JSON (a proxy's
    // HTML error page with 200): that is an answer, just not one we can use.
    if (typeof completion !== 'object' || completion === null || !('choices' in completion)) throw new InvalidAnswerError('not a chat completion');
    const { choices, usage } = completion as OpenAI.Chat.ChatCompletion;
    if (usage) options.onUsage({ promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens });
    return choices?.[0]?.message?.content;
  }

  return {
    name,
    classify: async (input) => {
      const messages: ChatMessageParams = [
        { role: 'system', content: classifyInstructions(input.context) },
        ...toParams(input.context.history ?? []),
        { role: 'user', content: input.text },
      ];
      // temperature 0: a label wants the model's most likely answer, not variety
      return parseIntentAnswer(await complete(messages, { ...input, temperature: 0 }, true));
    },
    reply: async (input) => {
      const messages: ChatMessageParams = [{ role: 'system', content: replyInstructions(input.context) }, ...toParams(input.messages)];
      return parseReplyAnswer(await complete(messages, input, false));
    },
    transcribe: transcribeModel ? createOpenAiTranscriber(client, transcribeModel) : undefined,
    describeImage: vision ? (input: DescribeImageInput) => {
      const image = `data:${input.mimeType};base64,${Buffer.from(input.image).toString('base64')}`;
      const messages: ChatMessageParams = [
        { role: 'system', content: describeImageInstructions() },
        { role: 'user', content: [{ type: 'text', text: imageRequestText(input.caption) }, { type: 'image_url', image_url: { url: image } }] },
      ];
      return complete(messages, input, false).then(parseReplyAnswer);
    } : undefined,
  };
}

type ChatMessageParams = ChatCompletionMessageParam[];
const toParams = (messages: ChatMessage[]): ChatMessageParams => messages.map((m) => ({ role: m.role, content: m.content }));
