import type { AiIntentResult } from './intents.ts';

// What the AI layer needs from a model vendor. Providers are thin: they turn one request into one HTTP
// call and the answer into a checked value. Ordering, timeouts, breakers and bookkeeping are the router's.

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** What the conversation tells the AI about the customer and the moment; no channel, no ids it doesn't need. */
export interface AiContext {
  customerName?: string | null;
  /** Short facts the business knows right now ("Carrito: 2 × camisa roja", "Reserva: 3 noches"). */
  facts?: string[];
  /** The earlier turns of this conversation, oldest first, when the classifier should see them. */
  history?: ChatMessage[];
}

export interface TokenUsage {
  promptTokens?: number;
  completionTokens?: number;
}

export interface CallOptions {
  /** Aborted when the call's time is up: the provider passes it to its HTTP client, so the request is closed. */
  signal: AbortSignal;
  maxTokens: number;
  temperature: number;
  /**
   * Called as soon as the provider knows what the call cost, before the answer is checked: an invalid
   * answer was still paid for, and ai_calls should say so.
   */
  onUsage: (usage: TokenUsage) => void;
}

export interface ClassifyInput extends CallOptions {
  text: string;
  context: AiContext;
}

export interface ReplyInput extends CallOptions {
  messages: ChatMessage[];
  context: AiContext;
}

export interface TranscribeInput extends CallOptions {
  audio: Uint8Array;
  /** Bare type, e.g. audio/ogg. */
  mimeType: string;
}

export interface DescribeImageInput extends CallOptions {
  image: Uint8Array;
  mimeType: string;
  /** What the customer wrote with the picture, if anything. */
  caption?: string;
}

export interface AiProvider {
  /** Matches ai_provider_config.provider_name ('openai', 'deepseek', 'gemini'). */
  readonly name: string;
  /** Throws InvalidAnswerError when the model answered off-contract. */
  classify: (input: ClassifyInput) => Promise<AiIntentResult>;
  reply: (input: ReplyInput) => Promise<string>;
  /** Speech to text, for voice notes; only a provider configured with a transcription model has it. */
  transcribe?: (input: TranscribeInput) => Promise<string>;
  /** What a picture shows, in Spanish; only vision-capable models have it (DeepSeek's chat model does not). */
  describeImage?: (input: DescribeImageInput) => Promise<string>;
}
