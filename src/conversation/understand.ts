import type { AiRouter } from '../ai/router.ts';
import type { AiContext, ChatMessage } from '../ai/provider.ts';
import { classify, type Entities, type Intent } from './keywords/classify.ts';
import type { CustomerTurn } from './turn.ts';

// The AI side of understanding a burst. It runs BEFORE the conversation's transaction (a model may take
// seconds; a transaction holding a pooled connection and the chat's lock must not), and its result is
// handed to `respond`, which stays a pure function. Whatever fails here, the keyword path answers.

/** What was understood of a burst, and by whom. */
export interface Understanding {
  intent: Intent;
  entities: Entities;
  source: 'ai' | 'keywords';
  /** The provider that classified it (source 'ai'). */
  provider?: string;
  /** A reply written by the AI for a question no flow answers; absent when no provider answered. */
  aiReply?: string;
  /** The AI's own confidence in its reading, when a provider answered. */
  confidence?: number;
  /** A provider answered but below MIN_AI_CONFIDENCE, so the keywords' reading stands (an accuracy signal). */
  lowConfidence?: boolean;
}

/** Intents no fixed flow answers well: the AI writes the reply, with the customer's history and the business's facts. */
export const AI_REPLY_INTENTS: ReadonlySet<Intent> = new Set(['unknown', 'booking_inquiry']);

/**
 * Short social messages and the customer's safety words are understood by keywords alone: "hola",
 * "gracias", "no me escriban más" need no model, cost nothing and must never depend on one (an opt-out
 * must work even with every provider down). Anything else is worth asking the AI.
 */
const KEYWORDS_SUFFICE: ReadonlySet<Intent> = new Set(['greeting', 'thanks', 'goodbye', 'opt_out', 'human_agent']);
const KEYWORD_CONFIDENCE = 0.45;

/** Below this the AI's own estimate is ignored and the keyword reading stands. */
export const MIN_AI_CONFIDENCE = 0.5;

/** The words of a burst as one message: text and captions, a picture's description when there is no caption. */
export function burstWords(turns: CustomerTurn[]): string {
  return turns
    .map((t) => t.text ?? (typeof t.details.imageDescription === 'string' ? `(foto: ${t.details.imageDescription})` : ''))
    .join(' ')
    .trim();
}

/** Whether this burst would be sent to the AI; a tapped button or a message without words never is. */
export function wantsAi(turns: CustomerTurn[]): boolean {
  const last = turns[turns.length - 1];
  if (last.replyId) return false;
  const words = burstWords(turns);
  if (!words) return false;
  const kw = classify(words);
  return !(KEYWORDS_SUFFICE.has(kw.intent) && kw.confidence >= KEYWORD_CONFIDENCE);
}

export interface UnderstandDeps {
  ai: AiRouter;
  /** Called once, just before the first AI call, so the customer sees "typing…" while the model thinks. */
  beforeAi?: () => void;
  /** The chat so far, oldest first (the burst's own messages included). */
  history: () => Promise<ChatMessage[]>;
  /** The business's written facts about this question (the relevant entries, see src/facts); '' when none. */
  knowledge: (question: string) => Promise<string>;
  /** Short facts about this guest from their profile ("Etiquetas: vip"). */
  guestFacts: () => Promise<string[]>;
}

/**
 * Classify the burst with the AI (keywords when it does not answer or is unsure) and, for questions no
 * flow answers, have it write the reply. Returns undefined when the burst is not one for the AI.
 * Never throws: the router never does, and the context readers fall back to nothing.
 */
export async function understandWithAi(turns: CustomerTurn[], deps: UnderstandDeps): Promise<Understanding | undefined> {
  if (!wantsAi(turns) || !(await deps.ai.available())) return undefined;
  const words = burstWords(turns);
  const customerName = turns.find((t) => t.customerName)?.customerName ?? null;
  deps.beforeAi?.();

  const ai = await deps.ai.classify(words, { customerName });
  const understood: Understanding =
    ai && ai.confidence >= MIN_AI_CONFIDENCE
      ? { intent: ai.intent, entities: ai.entities, source: 'ai', provider: ai.provider, confidence: ai.confidence }
      : { ...pick(classify(words)), source: 'keywords', ...(ai ? { confidence: ai.confidence, lowConfidence: true } : {}) };
  if (!AI_REPLY_INTENTS.has(understood.intent)) return understood;

  const [history, knowledge, guestFacts] = await Promise.all([
    deps.history().catch(() => [] as ChatMessage[]),
    deps.knowledge(words).catch(() => ''),
    deps.guestFacts().catch(() => [] as string[]),
  ]);
  const context: AiContext = {
    customerName,
    facts: [...guestFacts, ...(knowledge ? [`Información del negocio (úsala, no inventes nada más):\n${knowledge}`] : [])],
  };
  const reply = await deps.ai.reply(conversationFor(history, words), context);
  return reply ? { ...understood, aiReply: reply.text } : understood;
}

const pick = ({ intent, entities }: { intent: Intent; entities: Entities }) => ({ intent, entities });

/** Models expect alternating turns ending with the customer: merge neighbours, and end with this burst. */
export function conversationFor(history: ChatMessage[], words: string, maxTurns = 12): ChatMessage[] {
  const merged: ChatMessage[] = [];
  for (const m of history) {
    const last = merged[merged.length - 1];
    if (last?.role === m.role) last.content = `${last.content}\n${m.content}`;
    else merged.push({ ...m });
  }
  const last = merged[merged.length - 1];
  if (!last || last.role !== 'user') merged.push({ role: 'user', content: words });
  else if (!last.content.includes(words)) last.content = `${last.content}\n${words}`;
  // bounded, and opening with the customer (Gemini refuses a conversation that starts with the model)
  const window = merged.slice(-maxTurns);
  while (window[0].role !== 'user') window.shift();
  return window;
}
