import { cartTotals, getCart } from '../../commerce/cart.ts';
import { checkoutKey, placeOrderIn, type CheckoutDetails, type PaymentMethod } from '../../commerce/orders.ts';
import { getShippingOption, listShippingOptions, shippingCost, totalsWithShipping } from '../../commerce/shipping.ts';
import type { Queryable } from '../../db/client.ts';
import type { CategoryListing } from '../../commerce/categories.ts';
import type { ShopOutcome, ShopSession, ShopTurn } from './shop-turn.ts';
import type { ConversationMemory } from '../memory.ts';
import * as view from './views.ts';
import { foldAccents } from '../../lib/text.ts';
import { offeredPaymentMethods, type PaymentSettings } from '../../commerce/payment-methods.ts';
import { cityIn } from './address.ts';

// Checkout as a short conversation: name → address → delivery → payment → summary → confirmation.
// The step lives in the session (state `checkout:<step>`, answers in context.checkout), so it survives
// restarts and any worker can take the next message. The summary names the cart version it showed;
// confirming places the order with a key derived from that version and the answers, so a double tap
// or a redelivered confirmation finds the same order instead of making a second.

export interface CheckoutSettings extends PaymentSettings {
  /** The category menu through its Redis cache (30 minutes, dropped on catalogue changes); straight from the database when absent. */
  categoryMenu?: (load: () => Promise<CategoryListing[]>) => Promise<CategoryListing[]>;
}

type Answers = NonNullable<ConversationMemory['checkout']>;
type Step = 'name' | 'address' | 'shipping' | 'payment' | 'confirm';

export const isCheckingOut = (s: ShopSession) => s.state.startsWith('checkout:');
const stepOf = (s: ShopSession) => s.state.slice('checkout:'.length) as Step;
const answersOf = (s: ShopSession): Answers => s.context.checkout ?? {};
const at = (s: ShopSession, step: Step | 'idle', answers?: Answers): ShopSession => {
  const { checkout: _, ...rest } = s.context;
  return { state: step === 'idle' ? 'idle' : `checkout:${step}`, context: answers && step !== 'idle' ? { ...rest, checkout: answers } : rest };
};
const fold = (t: string) => foldAccents(t).trim();

export async function startCheckout(db: Queryable, turn: ShopTurn, session: ShopSession): Promise<ShopOutcome> {
  const cart = await getCart(db, turn.phone);
  if (!cart.lines.length) return { replies: [view.withMenu('Tu carrito está vacío 🛒. Agrega algo y te ayudo a pagar.')], session: at(session, 'idle') };
  const short = cart.lines.filter((l) => l.quantity > l.stock);
  if (short.length) {
    const lines = short.map((l) => `• ${l.name}: ${l.stock ? `solo quedan ${l.stock}` : 'agotado'}`).join('\n');
    return { replies: [view.text(`Antes de pagar, revisemos tu carrito:\n${lines}`), view.cartView(cart, cartTotals(cart.lines))], session: at(session, 'idle') };
  }
  // the name on the button is the one confirmed if tapped, whatever profile name the tap arrives with
  return { replies: [view.askName(turn.customerName)], session: at(session, 'name', { offeredName: turn.customerName }) };
}

/** The next checkout step for this turn; undefined when the turn is not a checkout answer (the shop or the conversation takes it). */
export async function checkoutStep(db: Queryable, turn: ShopTurn, session: ShopSession, settings: CheckoutSettings): Promise<ShopOutcome | undefined> {
  const a = turn.action;
  const words = fold(turn.text);
  if (a?.do === 'cancel' || /^(cancelar|cancela|cancelo|no quiero|olvidalo)\b/.test(words)) {
    return { replies: [view.withMenu('Listo, cancelé la compra. Tu carrito sigue guardado por si quieres retomarla 🛒.')], session: at(session, 'idle') };
  }
  if (a?.do === 'confirm' && !isCheckingOut(session)) return confirmAgain(db, turn, session, a.cartVersion);
  if (!isCheckingOut(session)) {
    if (a) return { replies: [view.withMenu('Esa opción ya no está vigente. Escribe "pagar" para empezar la compra de nuevo.')], session };
    return undefined;
  }
  // a person, an opt-out, or another shop button mid-checkout: leave the checkout to them
  if (!a && ['human_agent', 'opt_out'].includes(turn.intent)) return undefined;

  const answers = answersOf(session);
  switch (stepOf(session)) {
    case 'name': {
      const name = a?.do === 'use_name' ? (answers.offeredName ?? turn.customerName)?.trim() : turn.text.trim();
      if (!name || name.length < 3 || name.length > 60 || !/\p{L}.*\p{L}/u.test(name) || /\d{3}/.test(name)) {
        return { replies: [view.text('Necesito un nombre para el pedido (nombre y apellido, sin números). ¿A nombre de quién va?')], session };
      }
      return { replies: [view.askAddress()], session: at(session, 'address', { ...answers, name }) };
    }
    case 'address': {
      const said = turn.text.trim().replace(/\s+/g, ' ');
      // the answer to "¿en qué ciudad?" completes the street address given before
      if (answers.addressNeedsCity && answers.address && !/\d/.test(said)) {
        return cityAnswer(db, turn, session, answers, said);
      }
      if (said.length < 8 || said.length > 200 || !/\d/.test(said) || !/\p{L}{3}/u.test(said)) {
        return { replies: [view.text('No me quedó clara la dirección 🤔. Escríbela con calle y número, barrio y ciudad (ej. "Carrera 45 # 12-30, Laureles, Medellín").')], session };
      }
      // national delivery needs the city: a street and number alone exist in every city of the country
      if (!cityIn(said)) return { replies: [view.askCity()], session: at(session, 'address', { ...answers, address: said, addressNeedsCity: true }) };
      return { replies: [await shippingQuestion(db, turn.phone)], session: at(session, 'shipping', { ...answers, address: said, addressNeedsCity: undefined }) };
    }
    case 'shipping': {
      const options = await listShippingOptions(db);
      const chosen = a?.do === 'ship' ? options.find((o) => o.code === a.code) : options.find((o) => words && (fold(o.name).includes(words) || words.includes(fold(o.name)) || words.includes(o.code)));
      if (!chosen) return { replies: [await shippingQuestion(db, turn.phone)], session };
      return paymentStep(db, turn, session, settings, { ...answers, shipping: chosen.code });
    }
    case 'payment': {
      const offered = offeredPaymentMethods(settings);
      const method = a?.do === 'pay' ? (a.method as PaymentMethod) : paymentFromWords(words);
      if (!method || !offered.includes(method)) {
        const notTaken = method && !offered.includes(method) ? `${capitalFirst(view.PAYMENT_NAMES[method] ?? method)} no está disponible por ahora. ` : '';
        return { replies: [view.paymentChoice(offered, notTaken)], session };
      }
      return summary(db, turn, session, { ...answers, payment: method });
    }
    case 'confirm': {
      const yes = a?.do === 'confirm' || /^(si|sí|confirmo|confirmar|dale|listo|de una)\b/.test(words);
      if (!yes) return summary(db, turn, session, answers);
      return place(db, turn, session, answers, a?.do === 'confirm' ? a.cartVersion : answers.cartVersion!, settings);
    }
  }
}

/** The city, asked for after a street address without one: appended to it, then on to delivery. */
async function cityAnswer(db: Queryable, turn: ShopTurn, session: ShopSession, answers: Answers, said: string): Promise<ShopOutcome> {
  const city = said.replace(/^(en|es en|queda en|la ciudad es|ciudad:?)\s+/i, '').replace(/[.!]+$/, '').trim();
  if (city.length < 3 || city.length > 60 || !/^[\p{L} .'-]+$/u.test(city)) return { replies: [view.askCity()], session };
  const address = `${answers.address}, ${city}`.slice(0, 300);
  return { replies: [await shippingQuestion(db, turn.phone)], session: at(session, 'shipping', { ...answers, address, addressNeedsCity: undefined }) };
}

/** Delivery chosen: ask how to pay, with only the ways the shop takes; a single one needs no question. */
async function paymentStep(db: Queryable, turn: ShopTurn, session: ShopSession, settings: CheckoutSettings, answers: Answers): Promise<ShopOutcome> {
  const offered = offeredPaymentMethods(settings);
  if (offered.length === 1) return summary(db, turn, session, { ...answers, payment: offered[0] });
  return { replies: [view.paymentChoice(offered)], session: at(session, 'payment', answers) };
}

const capitalFirst = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

function paymentFromWords(words: string): PaymentMethod | undefined {
  if (/efectivo|contra ?entrega|al recibir/.test(words)) return 'cash_on_delivery';
  if (/transferencia|consignacion|bancolombia|deposito/.test(words)) return 'bank_transfer';
  if (/tarjeta|pse|nequi|en linea|link|enlace|online/.test(words)) return 'payment_link';
  return undefined;
}

async function shippingQuestion(db: Queryable, phone: string) {
  const [options, cart] = await Promise.all([listShippingOptions(db), getCart(db, phone)]);
  const goods = cartTotals(cart.lines).total;
  return view.shippingChoice(options, new Map(options.map((o) => [o.code, shippingCost(o, goods)])));
}

async function summary(db: Queryable, turn: ShopTurn, session: ShopSession, answers: Answers): Promise<ShopOutcome> {
  const cart = await getCart(db, turn.phone);
  if (!cart.lines.length) return { replies: [view.withMenu('Tu carrito quedó vacío 🛒, así que no hay nada que confirmar.')], session: at(session, 'idle') };
  const option = await getShippingOption(db, answers.shipping!);
  if (!option) return { replies: [await shippingQuestion(db, turn.phone)], session: at(session, 'shipping', answers) };
  const totals = totalsWithShipping(cart.lines, option);
  return {
    replies: [view.orderSummary(cart, totals, { name: answers.name!, address: answers.address!, shippingName: option.name, payment: answers.payment! })],
    session: at(session, 'confirm', { ...answers, cartVersion: cart.version }),
  };
}

async function place(db: Queryable, turn: ShopTurn, session: ShopSession, answers: Answers, cartVersion: number, settings: CheckoutSettings): Promise<ShopOutcome> {
  const cart = await getCart(db, turn.phone);
  if (cart.version !== cartVersion) {
    const again = await summary(db, turn, session, answers);
    return { ...again, replies: [view.text('Tu carrito cambió desde el resumen; este es el nuevo 👇'), ...again.replies] };
  }
  const details: CheckoutDetails = { customerName: answers.name!, deliveryAddress: answers.address!, shippingCode: answers.shipping!, paymentMethod: answers.payment! };
  const key = checkoutKey(turn.phone, cartVersion, details);
  const result = await placeOrderIn(db, turn.phone, key, details);
  const idle = at(session, 'idle');
  if (result.ok) {
    const remembered: ShopSession = { ...idle, context: { ...idle.context, lastCheckout: { key, cartVersion, details } } };
    if (result.replayed) return { replies: [view.text(`Tu pedido #${result.order.orderNumber} ya está confirmado ✅.`)], session: remembered };
    return { replies: [view.orderPlaced(result.order, settings.bankDetails)], session: remembered, placedOrderIds: [result.order.id] };
  }
  if (result.reason === 'out_of_stock') {
    const left = result.available ? `solo quedan ${result.available}` : 'se agotó';
    const fresh = await getCart(db, turn.phone);
    return { replies: [view.text(`Lo siento 😕, mientras confirmabas ${result.name} ${left}. Ajusta tu carrito y volvemos a intentarlo.`), view.cartView(fresh, cartTotals(fresh.lines))], session: idle };
  }
  return { replies: [view.withMenu(result.reason === 'empty_cart' ? 'Tu carrito está vacío 🛒.' : 'Esa forma de entrega ya no está disponible; empecemos de nuevo con "pagar".')], session: idle };
}

/** A confirmation tapped again after the order was placed: the same key finds the same order. */
async function confirmAgain(db: Queryable, turn: ShopTurn, session: ShopSession, cartVersion: number): Promise<ShopOutcome> {
  const last = session.context.lastCheckout;
  if (!last || last.cartVersion !== cartVersion) return { replies: [view.withMenu('Ese resumen ya no está vigente. Escribe "pagar" para empezar de nuevo.')], session };
  const result = await placeOrderIn(db, turn.phone, last.key, last.details);
  const text = result.ok ? `Tu pedido #${result.order.orderNumber} ya está confirmado ✅.` : 'Ese resumen ya no está vigente. Escribe "pagar" para empezar de nuevo.';
  return { replies: [view.text(text)], session };
}
