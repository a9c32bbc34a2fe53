import { hasAttribute, statedAttributes, type AskedAttribute, type AttributeKind } from './search-attributes.ts';
import { nameHolds } from './search-product-words.ts';
import type { ProductHit } from './search.ts';

// The colour, size or material asked, checked on the products found: those that have it, or, when none
// does, what there is instead. Pure but for the search again without the attribute, which the caller does.

export interface MissingAttribute {
  kind: AttributeKind;
  /** One key for all its forms: "rojo" for rojas. */
  value: string;
  /** As the customer wrote it: "rojas", "talla XXL", "de lino". */
  asked: string;
  /** What the products found have instead, as they write it ("blanca", "negra"; "S a XL"), most common first. */
  available: string[];
}

export interface AttributeSearch {
  /** The words searched by, the colour or material among them. */
  findText: string;
  /** The same without the attributes. */
  productText: string;
  /** The words naming the products (search-product-words.ts): "cama" of "tienen cama morada?". */
  productWords: readonly string[];
  limit: number;
  /** The products for other words: the search run again without the attributes. */
  findAgain: (text: string) => Promise<ProductHit[]>;
}

/**
 * Keep the hits that have every attribute asked. When none has them all, search again without them (the
 * hits of "camiseta roja" in a shop with no red one may be nothing at all) and say which attribute none
 * of those products has, and what they have instead; show those with the rest of what was asked. What
 * there is instead is what the products of the kind asked have: for "cama morada", the beds' colours, not
 * those of the blankets found in the category "Camas y descanso".
 */
export async function checkAttributes(hits: ProductHit[], asked: AskedAttribute[], search: AttributeSearch): Promise<{ hits: ProductHit[]; missing: MissingAttribute[] }> {
  const { findText, productText, limit } = search;
  const hasAll = (h: ProductHit) => asked.every((a) => hasAttribute(h, a));
  if (hits.some(hasAll)) return { hits: hits.filter(hasAll), missing: [] };
  // the first search had the colour or material in it: now the products alone
  const without = productText && productText !== findText ? await search.findAgain(productText) : [];
  const found = [...hits, ...without.filter((w) => !hits.some((h) => h.sku === w.sku))];
  const ofKind = found.filter((h) => nameHolds(h.name, search.productWords));
  const pool = ofKind.length ? ofKind : found;
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
