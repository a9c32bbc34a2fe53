import { foldAccents } from '../lib/text.ts';

// Which words of a search name the products, for a reply to repeat ("No tenemos botas para correr"). Not
// the asking ("tienen", "busco"), not a need or whom it is for ("para mi perro"), not a clause about it
// ("que no lo ahorque", "que es grande"), and only words the catalogue calls products by: a sentence
// that is not about products ("puedo llevar a mi perrita a la tienda?") names none. Pure.

// Words that name no product and no need, only the asking ("algo para el frío", "busco algo que sirva
// para…"). The keyword understanding strips most of them; the AI's reading or a typed list may not.
export const FILLER = new Set(['algo', 'alguna', 'alguno', 'algun', 'algunos', 'algunas', 'cosa', 'cosas', 'cosita', 'tienen', 'tiene', 'tenes', 'tendran', 'tendras', 'hay',
  'busco', 'buscando', 'necesito', 'quiero', 'queria', 'quisiera', 'venden', 'vendes', 'ofrecen', 'manejan', 'recomienda', 'recomiendan', 'recomiendas', 'recomendar',
  'sirva', 'sirvan', 'sirve', 'ideal', 'hacer', 'ir', 'usar', 'pa', 'porfa', 'favor', 'mi', 'mis', 'tu', 'su', 'que', 'q', 'me', 'le', 'les', 'nos', 'bueno', 'buena']);

// Words that join product words ("traje de baño", "caña con plumas"), said only between two of them.
export const CONNECTORS = new Set(['para', 'pa', 'de', 'del', 'el', 'la', 'los', 'las', 'lo', 'con', 'en', 'a', 'al', 'y', 'o', 'un', 'una', 'unos', 'unas', 'por', 'sin', 'color']);

/** Left at either end once the need and the attributes are out: "botas para [correr]", "[el] traje de baño". */
export function trimConnectors(words: string[]): string[] {
  let start = 0, end = words.length;
  while (start < end && CONNECTORS.has(foldAccents(words[start]))) start++;
  while (end > start && CONNECTORS.has(foldAccents(words[end - 1]))) end--;
  return words.slice(start, end);
}

export interface NamingCheck {
  /** Positions already taken by the need or an attribute. */
  aside: ReadonlySet<number>;
  /** Names what a product is for or for whom (a need's cue: "perro", "niño"). */
  isCue: (word: string) => boolean;
  /** The catalogue calls products by this word, or by one it is a misspelling of. */
  isProductWord: (word: string) => boolean;
}

/**
 * The product words, as typed, joined by the connectors between them: "caña con plumas" of "quiero la
 * caña con plumas pa mi gato"; none of "algo pa que no se moje cuando llueve".
 */
export function namingWords(words: readonly string[], check: NamingCheck): string[] {
  // "que"/"q" after the first word opens a clause about the product or its owner; a leading "qué" asks
  const clause = words.findIndex((w, i) => i > 0 && (w === 'que' || w === 'q'));
  const end = clause < 0 ? words.length : clause;
  const connector = (i: number) => CONNECTORS.has(foldAccents(words[i])) && !check.aside.has(i);
  const kept = words.slice(0, end).map((w, i) =>
    !connector(i) && !check.aside.has(i) && !FILLER.has(foldAccents(w)) && !check.isCue(w) && check.isProductWord(w));
  const keptNear = (from: number, step: number) => {
    for (let j = from; j >= 0 && j < end; j += step) if (!connector(j)) return kept[j];
    return false;
  };
  return words.slice(0, end).filter((_, i) => kept[i] || (connector(i) && keptNear(i - 1, -1) && keptNear(i + 1, 1)));
}

// "camas" and "cama", "arnes" and "arnés", "camizeta" and "camiseta": one form, a letter off from five letters.
const singular = (w: string) => foldAccents(w.toLowerCase()).replace(/(?<=[^aeiou])es$|s$/, '');

/** Whether a product's name holds the first of the product words (Spanish puts the kind first: "cama" of "cama redonda de felpa"). */
export function nameHolds(name: string, productWords: readonly string[]): boolean {
  const head = productWords.find((w) => !CONNECTORS.has(foldAccents(w)));
  if (!head) return false;
  const wanted = singular(head);
  return (name.match(/[\p{L}\p{N}]+/gu) ?? []).some((w) => {
    const word = singular(w);
    return word === wanted || (wanted.length >= 5 && withinOneEdit(word, wanted));
  });
}

function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
