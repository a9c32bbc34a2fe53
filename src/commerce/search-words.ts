// Customer text → search words, and text-search queries built from catalogue stems. Pure.

/** Words beyond these say little more about the product and only slow the query down. */
export const MAX_SEARCH_WORDS = 8;
const MAX_WORD_LENGTH = 40;

/** The words of a search, lower case, accents kept (PostgreSQL folds them as it stems them); at most `max`. */
export function searchWords(text: string, max = MAX_SEARCH_WORDS): string[] {
  const words = text.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((w) => w.length <= MAX_WORD_LENGTH).slice(0, max);
}

/** A stem as the catalogue's search vectors hold it ("zapat"), matched whole or as a prefix of a word being typed. */
export interface Term {
  lexeme: string;
  prefix: boolean;
}

// Stems come from PostgreSQL's own stemmer run on letters and digits; quoting them anyway means no text
// can ever be read as a tsquery operator. The queries are parsed with the 'simple' configuration, which
// takes stems as they are.
const operand = (t: Term) => `'${t.lexeme.replaceAll("'", "''").replaceAll('\\', '\\\\')}'${t.prefix ? ':*' : ''}`;

/** Every term must match. */
export function allTermsQuery(terms: readonly Term[]): string {
  return terms.map(operand).join(' & ');
}

/**
 * All terms but one: "camiseta blanca andina" also finds the white T-shirts of other brands when there
 * are too few Andina ones. Only from three terms: with two, "either" would bring in half the shop.
 */
export function allButOneQuery(terms: readonly Term[]): string | undefined {
  if (terms.length < 3) return undefined;
  return terms.map((_, skip) => `(${allTermsQuery(terms.filter((__, i) => i !== skip))})`).join(' | ');
}

/** Any group, each group's terms all together: "abrigo | botas & caucho | ruana" (what serves a need). */
export function anyOfQuery(groups: readonly (readonly Term[])[]): string | undefined {
  const parts = groups.filter((g) => g.length > 0).map((g) => (g.length === 1 ? operand(g[0]) : `(${allTermsQuery(g)})`));
  return parts.length ? parts.join(' | ') : undefined;
}
