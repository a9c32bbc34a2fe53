import type { NewEvent } from '../db/events.ts';
import { classify } from './keywords/classify.ts';
import type { CustomerTurn } from './turn.ts';
import { burstWords, type Understanding } from './understand.ts';

/**
 * The `intent_detected` event of one answered burst. Beside what was understood and by whom, it keeps
 * the signals the dashboard judges the AI by: what the keywords read in the same words (agreement is a
 * cheap accuracy proxy with no labelled data), the model's confidence, whether it was too unsure to be
 * used; and whether the session came from the cache.
 */
export function burstEvent(
  chatId: string,
  burst: CustomerTurn[],
  handled: { intent: string; source: string },
  understanding: Understanding | undefined,
  cache: string | undefined,
): NewEvent<'intent_detected'> {
  const aiRead = understanding && (understanding.source === 'ai' || understanding.lowConfidence);
  return {
    type: 'intent_detected',
    chatId,
    data: {
      intent: handled.intent,
      source: handled.source,
      ...(aiRead ? { keywordIntent: classify(burstWords(burst)).intent } : {}),
      ...(understanding?.confidence !== undefined ? { confidence: understanding.confidence } : {}),
      ...(understanding?.lowConfidence ? { lowConfidence: true } : {}),
      ...(cache ? { cache } : {}),
    },
  };
}
