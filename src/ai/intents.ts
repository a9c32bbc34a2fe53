import { z } from 'zod';
import { InvalidAnswerError } from './errors.ts';

/** The intents of DESIGN §3, shared by the keyword understanding and the AI providers. */
export const INTENTS = [
  'greeting', 'goodbye', 'thanks', 'help', 'browse_categories', 'search_products', 'add_to_cart', 'view_cart',
  'remove_from_cart', 'clear_cart', 'checkout', 'order_status', 'booking_inquiry', 'human_agent', 'opt_out', 'unknown',
] as const;
export type Intent = (typeof INTENTS)[number];

export interface IntentEntities {
  /** What the customer is looking for ("camisa roja"). */
  query?: string;
  /** How many units, when said. */
  quantity?: number;
  /** An order reference the customer mentioned. */
  order?: string;
}

export interface AiIntentResult {
  intent: Intent;
  entities: IntentEntities;
  /** 0..1, the model's own estimate; the caller decides what is too low to act on. */
  confidence: number;
}

// Models write "no entity" as null, a missing key or an empty string, and numbers sometimes as strings;
// those are the same answer. Anything else off-contract (an intent not in the list, a negative quantity,
// confidence out of range) is an invalid answer: acting on it would be guessing.
const absent = (v: unknown) => (v === null || v === '' ? undefined : v);
const entitiesSchema = z.object({
  query: z.preprocess(absent, z.string().trim().min(1).max(200).optional()),
  quantity: z.preprocess(absent, z.coerce.number().int().positive().max(10_000).optional()),
  order: z.preprocess(absent, z.union([z.string().trim().min(1).max(64), z.number().int().nonnegative().transform(String)]).optional()),
});

export const intentResultSchema = z.object({
  intent: z.enum(INTENTS),
  entities: z.preprocess((v) => v ?? {}, entitiesSchema),
  confidence: z.coerce.number().min(0).max(1),
});

/** Parse a model's JSON answer; anything but a valid intent object throws InvalidAnswerError. */
export function parseIntentAnswer(text: string | null | undefined): AiIntentResult {
  if (!text?.trim()) throw new InvalidAnswerError('empty answer');
  let json: unknown;
  try {
    // some models wrap JSON in a ```json fence even in JSON mode
    json = JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    throw new InvalidAnswerError(`not JSON: ${text.slice(0, 80)}`);
  }
  const parsed = intentResultSchema.safeParse(json);
  if (!parsed.success) throw new InvalidAnswerError(parsed.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`).join('; '));
  const { query, quantity, order } = parsed.data.entities;
  const entities: IntentEntities = {};
  if (query !== undefined) entities.query = query;
  if (quantity !== undefined) entities.quantity = quantity;
  if (order !== undefined) entities.order = order;
  return { intent: parsed.data.intent, entities, confidence: parsed.data.confidence };
}

/** A free-text reply must say something; an empty one is an invalid answer, not a reply. */
export function parseReplyAnswer(text: string | null | undefined): string {
  const reply = text?.trim();
  if (!reply) throw new InvalidAnswerError('empty reply');
  return reply;
}
