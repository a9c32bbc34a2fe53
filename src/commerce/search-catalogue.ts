import type { Queryable } from '../db/client.ts';
import { foldAccents } from '../lib/text.ts';
import { listProducts } from './products.ts';
import { askedAttributes, hasAttribute, statedAttributes, type AskedAttribute, type AttributeKind } from './search-attributes.ts';
import { namedNeed, searchConcepts } from './search-concepts.ts';
import type { SearchConcept } from './search-lexicon.ts';
import { searchMatching, searchProducts, type ProductHit } from './search.ts';
import { countWords } from './search-terms.ts';
import { anyOfQuery, searchWords, type Term } from './search-words.ts';

// A customer's search as a whole: the need it names ("para el frío"), the colour, size or material it
// asks for, and the products. Returns data only; the conversation says it in Spanish.

export interface MissingAttribute {
  kind: AttributeKind;
  /** One key for all its forms: "rojo" for rojas. */
  value: string;
  /** As the customer wrote it: "rojas", "talla XXL", "de lino". */
  asked: string;
  /** What the products found have instead, as they write it ("blanca", "negra"; "S a XL"), most common first. */
  available: string[];
}

export interface CatalogueSearch {
  hits: ProductHit[];
  /** The words naming products, as typed ("camisetas"): without filler, the need's words or the attributes. */
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
}

// Words that name no product and no need, only the asking ("algo para el frío", "busco algo que sirva
// para…"). The keyword understanding strips most of them; the AI's reading or a typed list may not.
const FILLER = new Set(['algo', 'alguna', 'alguno', 'algun', 'algunos', 'algunas', 'cosa', 'cosas', 'cosita', 'tienen', 'tiene', 'tendran', 'tendras', 'hay',
  'busco', 'buscando', 'necesito', 'quiero', 'queria', 'quisiera', 'venden', 'vendes', 'ofrecen', 'recomienda', 'recomiendan', 'recomiendas', 'recomendar',
  'sirva', 'sirvan', 'sirve', 'ideal', 'hacer', 'ir', 'usar', 'pa', 'porfa', 'favor', 'mi', 'mis', 'tu', 'su', 'que', 'me', 'le', 'les', 'nos', 'bueno', 'buena']);
// Popular products fill a gift search up to this many: a list of one perfume is a thin suggestion.
const POPULAR_FILL_TO = 5;

// Left at either end once the need and the attributes are out: "botas para [correr]", "[el] traje de baño".
const CONNECTORS = new Set(['para', 'pa', 'de', 'del', 'el', 'la', 'los', 'las', 'lo', 'con', 'en', 'a', 'al', 'y', 'o', 'un', 'una', 'unos', 'unas', 'por', 'sin', 'color']);
function trimConnectors(words: string[]): string[] {
  let start = 0, end = words.length;
  while (start < end && CONNECTORS.has(foldAccents(words[start]))) start++;
  while (end > start && CONNECTORS.has(foldAccents(words[end - 1]))) end--;
  return words.slice(start, end);
}

/** Search by need, attributes and product words together (the conversation's search; the admin API uses searchProducts). */
export async function searchCatalogue(db: Queryable, text: string, options: { limit?: number } = {}): Promise<CatalogueSearch> {
  const limit = options.limit ?? 10;
  const words = searchWords(text);
  const named = namedNeed(words, await searchConcepts(db));
  const attributes = askedAttributes(words);
  const aside = new Set([...(named?.at ?? []), ...attributes.flatMap((a) => a.at)]);
  const productWords = trimConnectors(words.filter((w, i) => !aside.has(i) && !FILLER.has(foldAccents(w))));
  // colours and materials are in names, so they help find; sizes are in descriptions as ranges ("S a XL"), which only hasAttribute reads
  const findWords = words.filter((w, i) => !FILLER.has(foldAccents(w)) && !named?.at.includes(i) && !attributes.some((a) => a.kind === 'size' && a.at.includes(i)));

  const need = named ? await needQuery(db, named.concept) : undefined;
  const found = await find(db, findWords.join(' '), productWords.join(' '), need, limit);
  const checked = attributes.length ? await checkAttributes(db, found.hits, attributes, { findText: findWords.join(' '), productText: productWords.join(' '), need, limit }) : { hits: found.hits, missing: [] };

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
    need: named && need ? { need: named.concept.need, served: need.query !== undefined, withoutProductWords: found.needAlone } : undefined,
    missing: checked.missing,
    popular,
  };
}

interface NeedQuery {
  /** Any of the need's product words the catalogue holds; undefined when it holds none. */
  query?: string;
  estimate: number;
  catalogue: { catalogueSize: number; popularityQuantiles: number[] | null };
}

/** The need's product words the catalogue holds, as one text-search query: "abrig | chaquet | (gorr & lan) | …". */
async function needQuery(db: Queryable, concept: SearchConcept): Promise<NeedQuery> {
  const phrases = concept.products.map((p) => searchWords(p));
  const { words: counted, catalogue } = await countWords(db, [...new Set(phrases.flat())]);
  const byWord = new Map(counted.map((c) => [c.word, c]));
  const groups: Term[][] = [];
  let estimate = 0;
  for (const phrase of phrases) {
    const content = phrase.map((w) => byWord.get(w)!).filter((c) => c.lexeme !== null);
    // a phrase the catalogue lacks a word of serves nothing here
    if (content.length === 0 || content.some((c) => c.matches === 0)) continue;
    groups.push(content.map((c) => ({ lexeme: c.lexeme!, prefix: false })));
    estimate += Math.min(...content.map((c) => c.matches));
  }
  return { query: anyOfQuery(groups), estimate: Math.min(estimate, catalogue.catalogueSize || estimate), catalogue };
}

/**
 * Products for the words and the need: those the words name that also serve the need ("chaqueta para el
 * frío"); else whatever serves the need ("zapatos para correr" in a shop whose running shoes are "tenis");
 * else what the words name.
 */
async function find(db: Queryable, text: string, productText: string, need: NeedQuery | undefined, limit: number): Promise<{ hits: ProductHit[]; needAlone: boolean }> {
  if (need?.query) {
    if (text) {
      const both = await searchProducts(db, text, { limit, alsoMatching: need.query });
      if (both.length) return { hits: both, needAlone: false };
    }
    const served = await searchMatching(db, need.query, need.estimate, need.catalogue, { limit });
    if (served.length) return { hits: served, needAlone: productText !== '' };
  }
  return { hits: text ? await searchProducts(db, text, { limit }) : [], needAlone: false };
}

/**
 * Keep the hits that have every attribute asked. When none has them all, search again without them (the
 * hits of "camiseta roja" in a shop with no red one may be nothing at all) and say which attribute none
 * of those products has, and what they have instead; show those with the rest of what was asked.
 */
async function checkAttributes(db: Queryable, hits: ProductHit[], asked: AskedAttribute[], search: { findText: string; productText: string; need?: NeedQuery; limit: number }) {
  const { findText, productText, need, limit } = search;
  const hasAll = (h: ProductHit) => asked.every((a) => hasAttribute(h, a));
  if (hits.some(hasAll)) return { hits: hits.filter(hasAll), missing: [] };
  // the first search had the colour or material in it: now the products alone
  const without = productText && productText !== findText ? (await find(db, productText, productText, need, limit)).hits : [];
  const pool = [...hits, ...without.filter((w) => !hits.some((h) => h.sku === w.sku))];
  let missing = asked.filter((a) => !pool.some((h) => hasAttribute(h, a)));
  // each is had by some product, never all together: the last asked is the one to give up
  if (missing.length === 0) missing = asked.slice(-1);
  const kept = asked.filter((a) => !missing.includes(a));
  const shown = pool.filter((h) => kept.every((a) => hasAttribute(h, a)));
  return { hits: shown.slice(0, limit), missing: missing.map((a) => ({ kind: a.kind, value: a.value, asked: a.typed, available: available(shown, a.kind) })) };
}

/** The values of one kind the products state, most common first, each as the first product writes it. */
function available(products: readonly ProductHit[], kind: AttributeKind): string[] {
  const counts = new Map<string, { shown: string; n: number }>();
  for (const p of products) {
    for (const [key, shown] of statedAttributes(p, kind)) {
      const c = counts.get(kind === 'size' ? shown : key);
      if (c) c.n++;
      else counts.set(kind === 'size' ? shown : key, { shown, n: 1 });
    }
  }
  return [...counts.values()].sort((a, b) => b.n - a.n).map((c) => c.shown);
}
