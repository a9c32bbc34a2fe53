import type { Token } from './normalise.ts';

// How many of a product the customer wants: "2", "dos", "una docena", "un par". The span is returned
// too, so the query can be cut around it ("quiero 2 camisetas" → "camisetas").

export interface Quantity {
  value: number;
  /** Token indices [start, end) of the phrase, including a trailing "de" ("una docena de medias"). */
  start: number;
  end: number;
}

const WORDS: Readonly<Record<string, number>> = {
  un: 1, una: 1, uno: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10,
  once: 11, doce: 12, quince: 15, veinte: 20,
};

// A number right after these is a size, model or reference, not a count ("talla 40", "pedido 1043").
const NOT_A_COUNT_AFTER = new Set(['talla', 'numero', 'no', 'nro', 'ref', 'referencia', 'modelo', 'size', 'orden', 'pedido', 'del', 'al', 'guia', 'serie']);

const countOf = (word: string): number | undefined => (/^\d{1,3}$/.test(word) ? Number(word) : WORDS[word]);

/** The first quantity phrase among the tokens, or undefined. */
export function findQuantity(tokens: readonly Token[]): Quantity | undefined {
  const words = tokens.map((t) => t.norm);
  for (let i = 0; i < words.length; i++) {
    if (i > 0 && NOT_A_COUNT_AFTER.has(words[i - 1])) continue;
    let end = i;
    let value: number | undefined;
    if (words[i] === 'media' && words[i + 1] === 'docena') [value, end] = [6, i + 2];
    else if (words[i] === 'docena' || words[i] === 'docenas') [value, end] = [12, i + 1];
    else if (words[i] === 'par' || words[i] === 'pares') [value, end] = [2, i + 1];
    else {
      const n = countOf(words[i]);
      if (n === undefined || n === 0) continue;
      value = n;
      end = i + 1;
      // "una docena" is twelve, "dos docenas" twenty-four; "un par" is two, "dos pares" two pairs, counted as two
      if (words[end] === 'docena' || words[end] === 'docenas') [value, end] = [n * 12, end + 1];
      else if (words[end] === 'par') [value, end] = [2, end + 1];
      else if (words[end] === 'pares') end += 1;
    }
    if (words[end] === 'de') end += 1;
    return { value, start: i, end };
  }
  return undefined;
}
