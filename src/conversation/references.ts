import { getCart } from '../commerce/cart.ts';
import { productsBySkus } from '../commerce/products.ts';
import type { Queryable } from '../db/client.ts';
import { foldAccents } from '../lib/text.ts';
import type { OutboundContent } from '../whatsapp/types.ts';
import type { Entities, Intent } from './keywords/classify.ts';
import type { ConversationMemory, ShownProduct } from './memory.ts';
import type { ShopAction } from './shop/ids.ts';
import * as view from './shop/views.ts';

// Words that point at what the bot just showed instead of naming it: "me la llevo", "dame otra igual",
// "mándame dos", "la segunda", "quita una", "el de 1 litro". The keyword reading gives the intent and
// the count (and an ordinal); this turns them into the tap they stand for, using the session's memory of
// the products shown. When the words could mean several products, the customer is asked which, with the
// choices as rows, never guessed at.


export type Resolution = { action: ShopAction } | { reply: OutboundContent };

const MAX_UNITS = 99;

/** The tap a referring message stands for, a question back when it is ambiguous, or undefined when it refers to nothing shown. */
export async function resolveReference(
  db: Queryable,
  phone: string,
  turn: { intent: Intent; entities: Entities; words?: string },
  memory: ConversationMemory,
): Promise<Resolution | undefined> {
  const e = turn.entities;
  const shown = memory.shown ?? [];
  const nth = ordinalOf(e.ordinal, shown);
  const units = Math.min(Math.max(e.quantity ?? 1, 1), MAX_UNITS);

  switch (turn.intent) {
    case 'add_to_cart': {
      const named = e.query ? await oneShownNamed(db, e.query, shown) : undefined;
      if (named) return { action: { do: 'add', sku: named.sku, quantity: units } };
      // a product named and nothing pointed at: a search for it ("quiero 2 camisetas blancas")
      if (e.query && !e.reference && !nth) return undefined;
      const target = nth ?? memory.focus ?? (shown.length === 1 ? shown[0] : undefined);
      // "quiero la cama redonda" added it; "me la llevo" next says the same again, it is not a second one
      // ("dame otra", "uno más" and a count still add)
      if (target && !nth && memory.justAdded?.sku === target.sku && units === 1 && !ASKS_FOR_MORE.test(foldAccents(turn.words ?? ''))) {
        const line = (await getCart(db, phone)).lines.find((l) => l.sku === target.sku);
        if (line) return { reply: view.alreadyInCart(line.sku, line.name, line.quantity) };
      }
      if (target) return { action: { do: 'add', sku: target.sku, quantity: units } };
      if (shown.length > 1) return { reply: view.whichToAdd(await productsBySkus(db, shown.map((s) => s.sku)), units) };
      return undefined;
    }
    case 'remove_from_cart': {
      if (e.query) return undefined; // a product named: the cart's own word matching takes it
      const cart = await getCart(db, phone);
      if (!cart.lines.length) return undefined;
      const inCart = (p: ShownProduct | undefined) => (p ? cart.lines.find((l) => l.sku === p.sku) : undefined);
      const line = inCart(nth) ?? inCart(memory.focus) ?? (cart.lines.length === 1 ? cart.lines[0] : undefined);
      // "quita una" takes units off; "quítala" / "ya no la quiero" takes the line
      if (!line) return { reply: view.whichToRemove(cart.lines, e.quantity) };
      return { action: e.quantity ? { do: 'decrease', sku: line.sku, by: e.quantity } : { do: 'remove', sku: line.sku } };
    }
    case 'search_products':
    case 'unknown': {
      if (nth) return { action: { do: 'product', sku: nth.sku } };
      // "¿cuánto vale esa?": the product the talk is about
      if (e.reference && !e.query && memory.focus) return { action: { do: 'product', sku: memory.focus.sku } };
      // "cuánto vale el de 1 litro" after a list of thermoses: the one shown that the words single out
      if (turn.intent === 'search_products' && e.query) {
        const named = await oneShownNamed(db, e.query, shown);
        return named ? { action: { do: 'product', sku: named.sku } } : undefined;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** "la segunda" is the second shown; "la última" (-1) and "la penúltima" (-2) count from the end. */
function ordinalOf(ordinal: number | undefined, shown: ShownProduct[]): ShownProduct | undefined {
  if (ordinal === undefined || !shown.length) return undefined;
  return ordinal < 0 ? shown[shown.length + ordinal] : shown[ordinal - 1];
}

/** Words that ask for another unit of what was just added, or name a count. */
const ASKS_FOR_MORE = /\b(otr[oa]s?|mas|igual|iguales|\d+|dos|tres|cuatro|cinco|seis|par|docena)\b/;

const NOISE = new Set(['el', 'la', 'los', 'las', 'de', 'del', 'que', 'un', 'una', 'unos', 'unas', 'ese', 'esa', 'esos', 'esas', 'este', 'esta', 'con', 'en', 'y', 'por', 'para', 'mas']);
const stem = (w: string) => (w.length > 4 ? w.replace(/(es|s)$/, '') : w.replace(/s$/, ''));
const wordsOf = (t: string) => foldAccents(t).replace(/[^\p{L}\p{N} ]/gu, ' ').split(/\s+/).filter((w) => w && !NOISE.has(w)).map(stem);

/**
 * Among several products just shown, the single one whose name (or description) has every word the
 * customer used. A lone product shown is not matched: a new search for it deserves the full results.
 */
async function oneShownNamed(db: Queryable, query: string, shown: ShownProduct[]): Promise<ShownProduct | undefined> {
  if (shown.length < 2) return undefined;
  const wanted = wordsOf(query);
  if (!wanted.length) return undefined;
  const products = await productsBySkus(db, shown.map((s) => s.sku));
  const matching = products.filter((p) => {
    const have = new Set(wordsOf(`${p.name} ${p.description ?? ''}`));
    return wanted.every((w) => have.has(w));
  });
  return matching.length === 1 ? shown.find((s) => s.sku === matching[0].sku) : undefined;
}
