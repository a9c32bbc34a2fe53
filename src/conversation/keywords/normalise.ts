import { SLANG } from './lexicon.ts';
import { correctTypo, isKnown } from './typos.ts';
import { foldAccents } from '../../lib/text.ts';

/** One word of the customer's message: as typed (for queries) and as the rules read it. */
export interface Token {
  /** The word as the customer wrote it, accents and case kept. */
  raw: string;
  /** Lower case, accents folded, slang expanded, typos corrected; may hold several words. */
  norm: string;
  /** A comma, full stop, question or exclamation mark stood before this word. */
  breakBefore: boolean;
}

export interface Normalised {
  tokens: Token[];
  /** The normalised words joined by single spaces: what the intent rules match. */
  text: string;
}

// Emoji carry meaning in chat: a wave is a greeting. A thumbs-up is only an acknowledgement, which the
// examples file reads as "unknown", so it becomes "ok" (no intent) rather than vanishing into "".
const EMOJI_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/[👋🙋]/gu, ' hola '],
  [/[👍👌🆗✅]/gu, ' ok '],
  [/[😂🤣😆😅]/gu, ' jaja '],
  [/🛒/gu, ' carrito '],
];

const fold = foldAccents;

// "holaaaa" → "hola": three or more of a letter is emphasis, never Spanish spelling.
const squeeze = (s: string): string => s.replace(/(\p{L})\1{2,}/gu, '$1');

// "chaoo" → "chao": a doubled letter is undone only when that yields a word the lexicon knows. The
// Spanish digraphs ll and rr (and the cc of "acción") are spelling, never emphasis: "olla" is not "ola".
const DOUBLED = /([\p{L}--[lrc]])\1/v;
function undouble(word: string): string {
  if (isKnown(word) || !DOUBLED.test(word)) return word;
  const single = word.replace(new RegExp(DOUBLED.source, 'gv'), '$1');
  return isKnown(single) || SLANG[single] !== undefined ? single : word;
}

// Chat reuses the same few thousand words, and typo correction is the costly step, so each word's
// reading is kept; the cache is cleared when full so memory stays bounded on any input.
const CACHE_LIMIT = 50_000;
const cache = new Map<string, string>();

function normaliseWord(raw: string): string {
  let norm = cache.get(raw);
  if (norm === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    norm = readWord(raw);
    cache.set(raw, norm);
  }
  return norm;
}

function readWord(raw: string): string {
  let word = undouble(squeeze(fold(raw)));
  if (/^(ja|je|ji|js|ha){2,}j?$/.test(word)) return 'jaja';
  if (SLANG[word] !== undefined) return SLANG[word];
  word = correctTypo(word);
  return SLANG[word] ?? word;
}

const WORD = /[\p{L}\p{N}#]+(?:[-'.][\p{L}\p{N}]+)*/gu;
const BREAK = /[,.;:!?¿¡\n]/;

/** Read a WhatsApp message the way the keyword rules expect it. */
export function normalise(text: string): Normalised {
  let clean = text;
  for (const [emoji, word] of EMOJI_WORDS) clean = clean.replace(emoji, word);
  // other emoji, skin tones and joiners say nothing the rules can use
  clean = clean.replace(/[\p{Extended_Pictographic}\p{Emoji_Modifier}\u200d\ufe0f]/gu, ' ');

  const tokens: Token[] = [];
  let last = 0;
  for (const match of clean.matchAll(WORD)) {
    const raw = match[0];
    const between = clean.slice(last, match.index);
    last = match.index + raw.length;
    const norm = normaliseWord(raw);
    if (norm) tokens.push({ raw, norm, breakBefore: BREAK.test(between) });
  }
  return { tokens, text: tokens.map((t) => t.norm).join(' ') };
}
