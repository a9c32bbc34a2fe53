import type { Queryable } from '../db/client.ts';
import { searchMatching, searchProducts, type ProductHit, type StemQuery } from './search.ts';
import { countWords } from './search-terms.ts';
import { allTermsQuery, anyOfQuery, searchWords } from './search-words.ts';

// A product the customer names that the shop has but cannot sell now ("la caña con plumas", stock 0) is
// sold out, not missing: the reply says so and offers what is in stock and most like it. Only asked when
// the words found nothing on sale, so it costs a search no more than that.

export interface SoldOut {
  /** The products the words name, out of stock (a product the shop switched off is not mentioned). */
  soldOut: ProductHit[];
  /** On sale, the sold-out product's category first matching its name's words, then the rest of it. */
  similar: ProductHit[];
}

export async function soldOutNamed(db: Queryable, productText: string, limit: number): Promise<SoldOut | undefined> {
  const named = await searchProducts(db, productText, { includeUnavailable: true, limit: 3 });
  // every word or their corrections: all but one of them would be some other product
  const soldOut = named.filter((h) => h.isAvailable && h.stock <= 0 && (h.match === 'exact' || h.match === 'corrected'));
  // some on sale: the words found them, only not for the need ("botas para correr")
  if (!soldOut.length || named.some((h) => h.isAvailable && h.stock > 0)) return undefined;
  return { soldOut, similar: await similarTo(db, soldOut[0], limit) };
}

async function similarTo(db: Queryable, product: ProductHit, limit: number): Promise<ProductHit[]> {
  const nameWords = searchWords(product.name);
  const categoryWords = searchWords(product.category ?? '');
  const { words, catalogue } = await countWords(db, [...new Set([...nameWords, ...categoryWords])]);
  const held = new Map(words.filter((w) => w.lexeme !== null && w.matches > 0).map((w) => [w.word, { lexeme: w.lexeme!, matches: w.matches }]));
  const terms = (list: string[]) => [...new Set(list.filter((w) => held.has(w)))].map((w) => held.get(w)!);
  const name = terms(nameWords), category = terms(categoryWords);
  const anyName = anyOfQuery(name.map((t) => [{ lexeme: t.lexeme, prefix: false }]));
  const queries: StemQuery[] = [];
  if (category.length) {
    const inCategory = allTermsQuery(category.map((t) => ({ lexeme: t.lexeme, prefix: false })));
    const size = Math.min(...category.map((t) => t.matches));
    if (anyName) queries.push({ query: `(${inCategory}) & (${anyName})`, estimate: size, match: 'similar' });
    queries.push({ query: inCategory, estimate: size, match: 'similar' });
  } else if (anyName) {
    queries.push({ query: anyName, estimate: name.reduce((n, t) => n + t.matches, 0), match: 'similar' });
  }
  return queries.length ? searchMatching(db, queries, catalogue, { limit }) : [];
}
