import { classify } from './keywords/classify.ts';
import { looksLikeQuestion } from '../lib/asking.ts';

export { looksLikeQuestion };
import type { CustomerTurn } from './turn.ts';

// Several questions sent together ("hola" / "tienen licuadoras?" / "y hacen envíos" / "a bogota") each
// deserve an answer, in order, instead of one answer to the words run together. A message starts a new
// question when it stands on its own and so does what came before it; fragments ("a bogota", "quiero" /
// "una camisa roja") and greetings join their neighbours.

/** At most this many answers to one burst: a longer run of questions is answered in its first few. */
const MAX_QUESTIONS = 4;

const SOCIAL = new Set(['greeting', 'thanks', 'goodbye']);
const NEEDS_PRODUCT = new Set(['search_products', 'add_to_cart', 'remove_from_cart']);

/** A message (or the run of them so far) that can be answered by itself. */
function standsAlone(text: string): boolean {
  const c = classify(text);
  if (SOCIAL.has(c.intent)) return false;
  if (c.intent === 'unknown') return looksLikeQuestion(text);
  if (NEEDS_PRODUCT.has(c.intent)) return c.entities.query !== undefined || looksLikeQuestion(text);
  return true;
}

const wordsOf = (turns: CustomerTurn[]) => turns.map((t) => t.text ?? '').join(' ').trim();

/** The burst cut into questions, in order; a burst with a tap or without several texts stays whole. */
export function splitQuestions(turns: CustomerTurn[]): CustomerTurn[][] {
  if (turns.length < 2 || turns.some((t) => t.replyId) || turns.filter((t) => t.text).length < 2) return [turns];
  const questions: CustomerTurn[][] = [];
  for (const t of turns) {
    const current = questions[questions.length - 1];
    const starts = current && t.text && questions.length < MAX_QUESTIONS && standsAlone(wordsOf(current)) && standsAlone(t.text);
    if (!current || starts) questions.push([t]);
    else current.push(t);
  }
  return questions;
}
