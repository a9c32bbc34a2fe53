import { cartTotals, changeCartLine, clearCart, getCart, removeFromCart, type CartChange } from '../../commerce/cart.ts';
import { listCategories } from '../../commerce/categories.ts';
import { latestOrders, orderOfCustomer } from '../../commerce/orders.ts';
import { listProducts, productBySku } from '../../commerce/products.ts';
import type { Queryable } from '../../db/client.ts';
import type { OutboundContent } from '../../whatsapp/types.ts';
import type { Entities, Intent } from '../keywords/classify.ts';
import { checkoutStep, isCheckingOut, startCheckout, type CheckoutSettings } from './checkout.ts';
import { ids } from './ids.ts';
import type { ShopOutcome, ShopSession, ShopTurn } from './shop-turn.ts';
import { productToAdd, searchReply } from './search-reply.ts';
import * as view from './views.ts';
import { foldAccents } from '../../lib/text.ts';

// The shop's side of a conversation: browsing, search, the cart, checkout and order status. Runs inside
// the converse stage's transaction (every read and write here is a quick indexed statement; nothing
// here calls out of the database), so a reply and the cart change it announces commit together.

export type { ShopOutcome, ShopSession, ShopTurn } from './shop-turn.ts';

export const SHOP_INTENTS: ReadonlySet<Intent> = new Set(['browse_categories', 'search_products', 'add_to_cart', 'view_cart', 'remove_from_cart', 'clear_cart', 'checkout', 'order_status']);

const PAGE = 9;

/** Whether this turn is the shop's to answer. */
export function isShopTurn(turn: Pick<ShopTurn, 'intent' | 'action' | 'catalogueOrder'>, session: ShopSession): boolean {
  return Boolean(turn.action || turn.catalogueOrder?.length || SHOP_INTENTS.has(turn.intent) || isCheckingOut(session));
}

export async function shopTurn(db: Queryable, turn: ShopTurn, session: ShopSession, settings: CheckoutSettings): Promise<ShopOutcome> {
  const same = (replies: OutboundContent[], next: ShopSession = session): ShopOutcome => ({ replies, session: next });
  const a = turn.action;

  // checkout answers (name, address, shipping, payment, confirmation) first: mid-checkout, words are data
  if (isCheckingOut(session) || a?.do === 'ship' || a?.do === 'pay' || a?.do === 'confirm' || a?.do === 'cancel' || a?.do === 'use_name') {
    const step = await checkoutStep(db, turn, session, settings);
    if (step) return step;
  }
  if (turn.catalogueOrder?.length) return same([await fillFromCatalogueOrder(db, turn.phone, turn.catalogueOrder)]);

  switch (a?.do) {
    case 'category': return same([await categoryPage(db, a.slug, a.page)]);
    case 'product': {
      const p = await productBySku(db, a.sku);
      return same([p ? view.productCard(p) : view.withMenu('Ese producto ya no está en el catálogo. ¿Te muestro otros?')]);
    }
    case 'add': return addTo(db, turn.phone, session, a.sku, a.quantity);
    case 'decrease': {
      const line = (await getCart(db, turn.phone)).lines.find((l) => l.sku === a.sku);
      if (!line) return same([await cartReply(db, turn.phone)]);
      const units = Math.min(a.by ?? 1, line.quantity);
      await changeCartLine(db, turn.phone, a.sku, line.quantity - units, 'set');
      // the button under a line shows the cart again; typed "quita una" is told what happened
      return same([a.by === undefined ? await cartReply(db, turn.phone) : view.decreased(line.name, units, line.quantity - units)]);
    }
    case 'remove':
      await removeFromCart(db, turn.phone, a.sku);
      return same([await cartReply(db, turn.phone)]);
    case 'line': {
      const line = (await getCart(db, turn.phone)).lines.find((l) => l.sku === a.sku);
      return same([line ? view.lineOptions(line) : await cartReply(db, turn.phone)]);
    }
  }

  switch (turn.intent) {
    case 'browse_categories': {
      const load = () => listCategories(db);
      return same([view.categoryMenu(await (settings.categoryMenu ? settings.categoryMenu(load) : load()))]);
    }
    case 'search_products': return same([await searchReply(db, turn.entities.query ?? turn.text)]);
    case 'add_to_cart': return addByWords(db, turn.phone, turn.entities, session);
    case 'view_cart': return same([await cartReply(db, turn.phone)]);
    case 'remove_from_cart': return same([await removeByWords(db, turn.phone, turn.entities.query)]);
    case 'clear_cart': {
      const n = await clearCart(db, turn.phone);
      return same([view.withMenu(n ? 'Listo, vacié tu carrito 🗑️. ¿Buscamos algo más?' : 'Tu carrito ya estaba vacío. ¿Te muestro el catálogo?')]);
    }
    case 'checkout': return startCheckout(db, turn, session);
    case 'order_status': {
      const number = Number(turn.entities.order);
      const orders = Number.isInteger(number) && number > 0 ? [await orderOfCustomer(db, turn.phone, number)].filter((o) => o !== undefined) : await latestOrders(db, turn.phone);
      if (turn.entities.order && !orders.length) return same([view.withMenu(`No encuentro el pedido #${turn.entities.order} a tu nombre. Revisa el número, o escribe "mis pedidos" para ver los últimos.`)]);
      return same([view.orderStatus(orders)]);
    }
    default: return same([view.withMenu('¿Qué te gustaría hacer?')]);
  }
}

async function categoryPage(db: Queryable, slug: string, page: number): Promise<OutboundContent> {
  const products = await listProducts(db, { category: slug, limit: PAGE + 1, offset: page * PAGE });
  if (!products.length) return view.withMenu(page ? 'No hay más productos en esta categoría.' : 'Esta categoría no tiene productos disponibles ahora mismo.');
  const more = products.length > PAGE ? ids.category(slug, page + 1) : undefined;
  return view.productList(page ? `Más productos (página ${page + 1}) 👇` : 'Estos son los productos de la categoría 👇 Toca uno para ver el detalle.', products.slice(0, PAGE), more);
}

async function added(db: Queryable, phone: string, change: CartChange): Promise<OutboundContent> {
  if (change.ok) return view.addedToCart(change.line.name, change.line.quantity, cartTotals(change.cart.lines));
  if (change.reason === 'unknown_product') return view.withMenu('Ese producto ya no está en el catálogo. ¿Te muestro otros?');
  return view.notEnoughStock(change.name, change.available, change.inCart);
}

/** Add units of one product; the product becomes the one the talk is about ("dame otra igual"). */
async function addTo(db: Queryable, phone: string, session: ShopSession, sku: string, quantity: number): Promise<ShopOutcome> {
  const change = await changeCartLine(db, phone, sku, quantity);
  const focus = change.ok ? { sku, name: change.line.name } : session.context.focus;
  const context = { ...session.context, ...(focus ? { focus } : {}), ...(change.ok ? { justAdded: { sku, name: change.line.name } } : {}) };
  return { replies: [await added(db, phone, change)], session: { ...session, context } };
}

/** "quiero 2 camisetas blancas": add at once when one product clearly matches; otherwise ask which. */
async function addByWords(db: Queryable, phone: string, entities: Entities, session: ShopSession): Promise<ShopOutcome> {
  const quantity = Math.min(Math.max(entities.quantity ?? 1, 1), 99);
  const same = (reply: OutboundContent): ShopOutcome => ({ replies: [reply], session });
  if (!entities.query) return same(view.withMenu('¿Qué producto quieres agregar? Escríbeme su nombre (ej. "2 camisetas blancas").'));
  const choice = await productToAdd(db, entities.query, quantity);
  return 'sku' in choice ? addTo(db, phone, session, choice.sku, quantity) : same(choice.reply);
}

async function removeByWords(db: Queryable, phone: string, query: string | undefined): Promise<OutboundContent> {
  const cart = await getCart(db, phone);
  if (!cart.lines.length) return view.cartView(cart, cartTotals([]));
  const words = foldAccents(query ?? '').split(/\s+/).filter((w) => w.length > 2).map(stem);
  const matches = words.length ? cart.lines.filter((l) => words.some((w) => foldAccents(l.name).split(/\s+/).map(stem).includes(w))) : [];
  if (matches.length === 1) {
    await removeFromCart(db, phone, matches[0].sku);
    return view.removed(matches[0].name, cart.lines.length - 1);
  }
  return view.whichToRemove(matches.length ? matches : cart.lines);
}

async function cartReply(db: Queryable, phone: string): Promise<OutboundContent> {
  const cart = await getCart(db, phone);
  return view.cartView(cart, cartTotals(cart.lines));
}

/** A WhatsApp catalogue order fills the cart with exactly its quantities, as far as stock allows. */
async function fillFromCatalogueOrder(db: Queryable, phone: string, items: { sku: string; quantity: number }[]): Promise<OutboundContent> {
  const problems: string[] = [];
  for (const item of items.slice(0, 30)) {
    const change = await changeCartLine(db, phone, item.sku, item.quantity, 'set');
    if (!change.ok && change.reason === 'unknown_product') problems.push(`• ${item.sku}: ya no está en el catálogo`);
    if (!change.ok && change.reason === 'not_enough_stock') {
      if (change.available > 0) await changeCartLine(db, phone, item.sku, change.available, 'set');
      problems.push(`• ${change.name}: ${change.available > 0 ? `solo quedan ${change.available}` : 'agotado'}`);
    }
  }
  const cart = await getCart(db, phone);
  const view_ = view.cartView(cart, cartTotals(cart.lines));
  if (!problems.length || view_.type !== 'list') return view_;
  return { ...view_, body: `Recibí tu pedido del catálogo. Ojo:\n${problems.join('\n')}\n\n${view_.body}`.slice(0, 1024) };
}

const stem = (w: string) => w.replace(/(es|s)$/, '');
