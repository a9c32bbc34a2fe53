// The sixteen intents of DESIGN §3, and how the weighted rules of rules.ts pick one of the ordinary
// intents. The safety intents (opt_out, human_agent) are decided before this, in safety.ts.
import { isBusinessQuestion } from './business-questions.ts';
import { RULES } from './rules.ts';
import type { Intent } from './intent-names.ts';

export { INTENTS, isIntent, type Intent } from './intent-names.ts';

/**
 * On equal scores the earlier intent wins: a customer who says two things at once most needs the one
 * with consequences (stop messaging me, a person, emptying the cart) over small talk.
 */
export const PRECEDENCE: readonly Intent[] = [
  'opt_out', 'human_agent', 'clear_cart', 'remove_from_cart', 'checkout', 'order_status', 'booking_inquiry',
  'view_cart', 'add_to_cart', 'search_products', 'browse_categories', 'help', 'goodbye', 'thanks', 'greeting', 'unknown',
];

/** Below this no intent is believed: the message is "unknown". */
export const MIN_SCORE = 4;

export type Scores = Partial<Record<Intent, number>>;

// A question about the business ("aceptan nequi?", "hacen envios a pasto?") is answered from the
// business's facts, not by a shop action: these intents lose this much, which no single rule outweighs.
const SHOP_INTENTS: readonly Intent[] = ['search_products', 'add_to_cart', 'view_cart', 'checkout', 'browse_categories', 'order_status'];
const BUSINESS_QUESTION_PENALTY = 10;

/** Every intent that any rule recognises in the normalised text, with its summed weight. */
export function scoreIntents(text: string): Scores {
  const scores: Scores = {};
  for (const { intent, weight, pattern } of RULES) {
    if (pattern.test(text)) scores[intent] = (scores[intent] ?? 0) + weight;
  }
  if (isBusinessQuestion(text)) {
    for (const intent of SHOP_INTENTS) if (scores[intent] !== undefined) scores[intent] -= BUSINESS_QUESTION_PENALTY;
  }
  return scores;
}

/** The best-scoring intent (precedence breaks ties), with its score and the runner-up's. */
export function pickIntent(scores: Scores): { intent: Intent; score: number; runnerUp: number } {
  let intent: Intent = 'unknown';
  let score = 0;
  let runnerUp = 0;
  for (const candidate of PRECEDENCE) {
    const s = scores[candidate] ?? 0;
    if (s > score) [intent, score, runnerUp] = [candidate, s, score];
    else if (s > runnerUp) runnerUp = s;
  }
  return score >= MIN_SCORE ? { intent, score, runnerUp } : { intent: 'unknown', score: 0, runnerUp: score };
}
