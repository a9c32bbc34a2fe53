import type { Queryable } from '../db/client.ts';
import { foldAccents } from '../lib/text.ts';
import { listProducts } from './products.ts';
import { checkAttributes, type MissingAttribute } from './search-attribute-check.ts';
import { askedAttributes } from './search-attributes.ts';
import { isCue, namedNeed, searchConcepts } from './search-concepts.ts';
import { findForNeed, needQuery } from './search-need.ts';
import { FILLER, namingWords, trimConnectors } from './search-product-words.ts';
import { soldOutNamed } from './search-sold-out.ts';
import type { ProductHit } from './search.ts';
import { analyseWords, countWords, type WordInfo } from './search-terms.ts';
import { MAX_SEARCH_WORDS, searchWords } from './search-words.ts';

// A customer's search as a whole: the need it names ("para el frío"), the colour, size or material it
// asks for, and the products. Returns data only; the conversation says it in Spanish.

export type { MissingAttribute } from './search-attribute-check.ts';

export interface CatalogueSearch {
  hits: ProductHit[];
  /**
   * The words naming products, as typed ("camisetas", "caña con plumas"): words the catalogue calls
   * products by, without the asking, the need, whom it is for or the attributes. Empty when the customer
   * named no product ("algo pa que no se moje cuando llueve").
   */
  productWords: string[];
  need?: {
    /** How to name it after "para": "el frío". */
    need: string;
    /** Some product on sale serves it. */
    served: boolean;
    /** The product words found nothing that serves it: the hits serve the need alone ("no tenemos abrigos; para el frío…"). */
    withoutProductWords: boolean;
  };
  /** Asked for and had by none of the products found: the hits are what there is. */
  missing: MissingAttribute[];
  /** Some hits are only the shop's most popular products (match 'popular'): nothing, or little, serves the need. */
  popular: boolean;
  /** The products named are the shop's but out of stock: the hits are the most like them on sale (match 'similar'). */
  soldOut: ProductHit[];
}

// Popular products fill a gift search up to this many: a list of one perfume is a thin suggestion.
const POPULAR_FILL_TO = 5;

/** Search by need, attributes and product words together (the conversation's search; the admin API uses searchProducts). */
export async function searchCatalogue(db: Queryable, text: string, options: { limit?: number } = {}): Promise<CatalogueSearch> {
  const limit = options.limit ?? 10;
  // a sentence's asking and its need come first ("busco un regalo para mi sobrina que ama los gatos"):
  // room for them, and the words searched by are cut to the usual number after they are out
  const words = searchWords(text, 2 * MAX_SEARCH_WORDS);
  const concepts = await searchConcepts(db);
  // counted once here and remembered (search-terms.ts): the searches below count nothing again
  const counted = words.length ? (await countWords(db, words)).words : [];
  const namesProducts = new Set(counted.filter((c) => c.named).map((c) => c.word));
  const named = namedNeed(words, concepts, (w) => namesProducts.has(w));
  const attributes = askedAttributes(words);
  const aside = new Set([...(named?.at ?? []), ...attributes.flatMap((a) => a.at)]);
  const productText = trimConnectors(words.filter((w, i) => !aside.has(i) && !FILLER.has(foldAccents(w)))).join(' ');
  // colours and materials are in names, so they help find; sizes are in descriptions as ranges ("S a XL"), which only hasAttribute reads
  const findWords = words.filter((w, i) => !FILLER.has(foldAccents(w)) && !named?.at.includes(i) && !attributes.some((a) => a.kind === 'size' && a.at.includes(i)));
  const analysed = findWords.length ? (await analyseWords(db, findWords)).words : [];
  const content = analysed.filter((w) => w.lexeme !== null).slice(0, MAX_SEARCH_WORDS);
  const productWords = namingWords(words, { aside, isCue: (w) => isCue(w, concepts), isProductWord: (w) => content.some((c) => c.word === w && namesAProduct(c, c === content.at(-1))) });
  const others = heldTerms(content);
  const findText = content.map((w) => w.word).join(' ');

  const need = named ? await needQuery(db, named.concept) : undefined;
  const wanted = { text: findText, others, anyKnown: others.length > 0 || content.some((c, i) => namesAProduct(c, i === content.length - 1)) };
  const found = await findForNeed(db, wanted, need, { limit, orPopular: named?.concept.orPopular });
  const byWords = found.some((h) => h.match !== 'need' && h.match !== 'related');
  const soldOut = !byWords && productWords.length ? await soldOutNamed(db, productWords.join(' '), limit) : undefined;
  if (soldOut) return { hits: soldOut.similar, productWords, missing: [], popular: false, soldOut: soldOut.soldOut };

  const checked = attributes.length
    ? await checkAttributes(found, attributes, {
      findText: findWords.join(' '), productText, productWords, limit,
      findAgain: (t) => findForNeed(db, { ...wanted, text: t }, need, { limit, orPopular: named?.concept.orPopular }),
    })
    : { hits: found, missing: [] };

  let hits = checked.hits;
  let popular = false;
  if (named?.concept.orPopular && hits.length < POPULAR_FILL_TO && checked.missing.length === 0) {
    const more = await listProducts(db, { limit: POPULAR_FILL_TO + hits.length });
    const fill = more.filter((p) => !hits.some((h) => h.sku === p.sku)).slice(0, Math.max(0, Math.min(limit, POPULAR_FILL_TO) - hits.length));
    popular = fill.length > 0;
    hits = [...hits, ...fill.map((p) => ({ ...p, match: 'popular' as const }))];
  }
  return {
    hits,
    productWords,
    need: named && need ? { need: named.concept.need, served: need.query !== undefined, withoutProductWords: !byWords && productWords.length > 0 && found.length > 0 } : undefined,
    missing: checked.missing,
    popular,
    soldOut: [],
  };
}

/**
 * The catalogue calls products by this word: a name holds its stem, it is a misspelling of a name's word,
 * or, last, it is being typed ("licua"). A word only descriptions hold ("lavable", "tienda") describes.
 */
function namesAProduct(w: WordInfo, last: boolean): boolean {
  return w.named || w.nearest !== null || (last && w.matches === 0 && w.prefixMatches > 0);
}

/** The words' stems the catalogue holds, or a sure correction of them, each with how many products hold it. */
function heldTerms(content: readonly WordInfo[]): { lexeme: string; matches: number }[] {
  const terms = new Map<string, number>();
  for (const w of content) {
    if (w.matches > 0) terms.set(w.lexeme!, w.matches);
    else if (w.nearest && w.nearestBySound) terms.set(w.nearest, w.nearestMatches);
  }
  return [...terms].map(([lexeme, matches]) => ({ lexeme, matches }));
}
