import { foldAccents } from '../../lib/text.ts';
import type { Token } from './normalise.ts';

// What a message points at when it names no product: "la quiero", "me la llevo", "dame otra igual",
// "esa", "quítale uno" point at the product the conversation is on; "la segunda", "el primero",
// "la última" pick from the list the bot just showed. Only the words are read here; the dialogue
// memory resolves them against the session.

/** Ordinal words and the position they pick; -1 is the last one shown. */
const ORDINALS: Readonly<Record<string, number>> = {
  primero: 1, primera: 1, primer: 1, '1ro': 1, '1ra': 1, '1er': 1, '1o': 1, '1a': 1,
  segundo: 2, segunda: 2, '2do': 2, '2da': 2, '2o': 2, '2a': 2,
  tercero: 3, tercera: 3, tercer: 3, '3ro': 3, '3ra': 3, '3er': 3,
  // "cuarto" alone is a room ("un cuarto para dos"), so only the feminine counts
  cuarta: 4, '4to': 4, '4ta': 4, quinto: 5, quinta: 5, '5to': 5, '5ta': 5,
  ultimo: -1, ultima: -1, ultimos: -1, ultimas: -1, penultimo: -2, penultima: -2,
};

// An ordinal counts only after an article or a pointer ("la segunda", "del primero"), or as the whole
// message: "primero quiero saber el precio" is an adverb.
const ORDINAL_AFTER = new Set(['el', 'la', 'los', 'las', 'lo', 'del', 'al', 'de', 'opcion', 'numero', 'producto', 'foto', 'modelo']);

/** Words that only point ("esa", "otra igual"): never part of a product query. */
export const POINTER_WORDS = new Set([
  'ese', 'esa', 'esos', 'esas', 'este', 'esta', 'estos', 'estas', 'eso', 'esto', 'aquel', 'aquella', 'igual', 'iguales',
  'igualito', 'igualita', 'opcion', 'mismo', 'misma', 'mismos', 'mismas', 'otro', 'otra', 'otros', 'otras', 'mas', 'tambien',
  ...Object.keys(ORDINALS),
]);

const isOrdinalWord = (word: string): boolean => Object.hasOwn(ORDINALS, word);

/** The position picked from the last list shown ("la segunda" → 2, "la última" → -1), or undefined. */
export function findOrdinal(tokens: readonly Token[]): number | undefined {
  const words = tokens.map((t) => t.norm);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (isOrdinalWord(word) && (words.length === 1 || (i > 0 && ORDINAL_AFTER.has(words[i - 1])))) return ORDINALS[word];
    // "la opcion 2", "el numero 3", "la #2": a single digit after a pointer word
    if (/^#?[1-9]$/.test(word) && i > 0 && ['opcion', 'numero'].includes(words[i - 1])) return Number(word.replace('#', ''));
  }
  return undefined;
}

// "sacala", "quitalo", "damela", "agregalos": a verb with the object pronoun glued on. The SLANG
// table rewrites some of these to the bare verb, so the customer's own spelling is read here.
const CLITIC = /^(saca|quita|borra|elimina|agrega|anade|echa|mete|pon|da|manda|pasa|regala|lleva|compra|envia|retira|deja|separa|aparta|trae)(me|nos|se)?(lo|la|los|las)$/;
// "la quiero", "me lo llevo", "esa", "de esas", "otra igual", "la misma": a pronoun for the product
const POINTER = /\b(lo|la|los|las) (quiero|compro|pido|llevo|agrego|necesito|separo|aparto|quito|saco|elimino|borro)\b|\bme (lo|la|los|las) (llevo|da|das|regala|regalas|manda|mandas|envia|pasa|separa|aparta|vende|vendes)\b|\b(ese|esa|esos|esas|este|estos|estas|aquel|aquella|eso)\b|\b(de|d) (esas|esos|estas|estos)\b|\b(otro|otra|otros|otras) (igual|iguales|igualito|igualita|mismo|misma|mas)\b|\b(el|la|lo) (mismo|misma)\b|\b(ya no|no) (lo|la|los|las) (quiero|necesito|voy a llevar|llevo)\b/;

/** True for a verb with the product's pronoun glued on ("sacala", "damelo"): an action, not a product. */
export const isPointingVerb = (token: Token): boolean => CLITIC.test(foldAccents(token.raw.toLowerCase()));

/** True when the message points at a product instead of naming it. */
export function pointsAtProduct(tokens: readonly Token[], normalised: string): boolean {
  return POINTER.test(normalised) || tokens.some(isPointingVerb);
}
