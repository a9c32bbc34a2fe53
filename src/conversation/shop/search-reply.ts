import { distance as levenshtein } from 'fastest-levenshtein';
import { searchCatalogue, type CatalogueSearch } from '../../commerce/search-catalogue.ts';
import type { ProductHit } from '../../commerce/search.ts';
import type { Queryable } from '../../db/client.ts';
import { foldAccents } from '../../lib/text.ts';
import type { OutboundContent } from '../../whatsapp/types.ts';
import { nothingFound, productsNamed, searchIntro, withIntro } from './search-views.ts';
import * as view from './views.ts';

// The shop's answer to a search ("tienen camisetas rojas?", "algo para el frío") and to "quiero 2 …"
// when it must ask which: searchCatalogue's data, said in Spanish.

/** "tienen sapatos de cuero?" → one card or a list best first, saying what is missing or what need it serves. */
export async function searchReply(db: Queryable, query: string): Promise<OutboundContent> {
  const found = query.trim() ? await searchCatalogue(db, query, { limit: 10 }) : undefined;
  if (!found?.hits.length) return view.withMenu(found ? nothingFound(found, query) : `No encontré "${query.trim().slice(0, 60)}" 😕. Prueba con otra palabra o mira el catálogo.`);
  const intro = searchIntro(found, namedLike(found));
  if (found.hits.length === 1) return intro ? withIntro(`${intro} 👇`, view.productCard(found.hits[0])) : view.productCard(found.hits[0]);
  return view.productList(intro ? `${intro} 👇` : `Encontré esto para "${query.trim().slice(0, 60)}" 👇`, found.hits);
}

/** What to add for "quiero 2 camisetas blancas": the one product that clearly matches, or the reply that asks which. */
export async function productToAdd(db: Queryable, query: string, quantity: number): Promise<{ sku: string } | { reply: OutboundContent }> {
  const found = await searchCatalogue(db, query, { limit: 5 });
  const [first, second] = found.hits;
  if (!first) return { reply: view.withMenu(`No encontré "${query.slice(0, 60)}" 😕. ¿Lo buscamos en el catálogo?`) };
  const intro = searchIntro(found, namedLike(found));
  // a white T-shirt is not added for "2 camisetas rojas", nor a suggestion for "algo para el frío"
  const clear = !intro && (found.hits.length === 1 || (first.match === 'exact' && second.match !== 'exact'));
  if (clear) return { sku: first.sku };
  return { reply: intro ? withIntro(`${intro}.`, view.whichToAdd(found.hits, quantity)) : view.whichToAdd(found.hits, quantity) };
}

/**
 * The products as the customer named them, spelt as the catalogue spells them when the first hit's name
 * holds a word close to the one typed ("camizetas" → camisetas, "audifonos" → audífonos).
 */
function namedLike(found: CatalogueSearch): string {
  const words = [...found.productWords];
  const first = words[0];
  const hit = found.hits.find((h) => h.match !== 'popular' && h.match !== 'need');
  if (first && hit) {
    const spelt = nameWordLike(hit, first);
    if (spelt) words[0] = spelt;
  }
  return productsNamed(words);
}

function nameWordLike(hit: ProductHit, typed: string): string | undefined {
  const names = hit.name.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  // the same word but for its accents ("arnes" → arnés)
  const accented = names.find((w) => foldAccents(w) === foldAccents(typed.toLowerCase()));
  if (accented) return accented;
  const t = foldAccents(typed).replace(/e?s$/, '');
  if (t.length < 4) return undefined;
  const word = names.find((w) => {
    const f = foldAccents(w).replace(/e?s$/, '');
    return f[0] === t[0] && levenshtein(f, t) <= 2;
  });
  return word; // productsNamed puts it in the plural
}

