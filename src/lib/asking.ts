import { foldAccents } from './text.ts';

// Whether Spanish words ask something: shared by the conversation (a burst's questions, "a person will
// answer") and the business's facts ("¿se puede pagar…?" is asked, "quiero pagar" is not).

// How Spanish questions open, after an optional "y", "oye", "hola": interrogatives and the verbs of asking
// a business ("¿hacen envíos?", "¿aceptan Nequi?", "¿se puede pagar…?", "¿tienen parqueadero?").
const OPENERS = String.raw`(?:que|cual|cuales|cuanto|cuanta|cuantos|cuantas|cuando|como|donde|adonde|a donde|a que|por que|para que|quien|hacen|hace|tienen|tiene|aceptan|acepta|reciben|recibe|manejan|maneja|venden|vende|hay|se puede|se pueden|puedo|puede|pueden|podria|es posible|sera que|abren|cierran|atienden|envian|entregan|llegan|incluye|incluyen|sirve|permiten|dejan)`;
const OPENS_AS_QUESTION = new RegExp(String.raw`^(?:(?:y|e|oye|oiga|hola|buenas|una pregunta|pregunta|disculpa|disculpe|perdon)[\s,]+)*${OPENERS}\b`);

/** Whether the words ask something: a question mark, or the way Spanish questions open. */
export function looksLikeQuestion(text: string): boolean {
  if (/[?¿]/.test(text)) return /\p{L}{3}/u.test(text);
  const words = foldAccents(text).replace(/[^\p{L}\p{N} ,]/gu, ' ').replace(/\s+/g, ' ').trim();
  return words.split(' ').length >= 2 && OPENS_AS_QUESTION.test(words);
}

