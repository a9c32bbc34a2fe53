import type { Cart, CartLine, CartTotals } from '../../commerce/cart.ts';
import type { CategoryListing } from '../../commerce/categories.ts';
import type { OrderSummary, PaymentMethod } from '../../commerce/orders.ts';
import type { Product } from '../../commerce/product.ts';
import type { ShippingOption } from '../../commerce/shipping.ts';
import type { ListRow, OutboundContent } from '../../whatsapp/types.ts';
import { clip } from '../../whatsapp/limits.ts';
import { formatMoney } from '../../lib/money.ts';
import { plural } from '../../lib/plural.ts';
import { ids } from './ids.ts';
import { deliveryWindow, deliveryWindowText } from './delivery-estimate.ts';

// What the shop shows, in WhatsApp's shapes and limits: lists of at most 10 rows (title 24,
// description 72), at most 3 buttons (title 20), bodies under 1,024. Clients without buttons get the
// numbered-text form from the sender, so every body also reads well on its own.

const CATALOGUE = { id: 'menu:catalogue', title: 'Ver catálogo' };
const CART = { id: 'menu:cart', title: 'Ver carrito' };
const CHECKOUT = { id: 'cart:checkout', title: 'Pagar' };

const priceOf = (p: Pick<Product, 'price' | 'offerPrice'>) =>
  p.offerPrice !== null ? `${formatMoney(p.offerPrice)} (antes ${formatMoney(p.price)})` : formatMoney(p.price);
const row = (id: string, title: string, description?: string): ListRow => ({ id, title: clip(title, 24), ...(description ? { description: clip(description, 72) } : {}) });

export function categoryMenu(categories: CategoryListing[]): OutboundContent {
  const open = categories.filter((c) => c.products > 0).slice(0, 10);
  if (!open.length) return { type: 'text', text: 'Por ahora no tenemos productos disponibles 😕. Escríbeme qué buscas y te aviso cuando llegue.' };
  return {
    type: 'list',
    body: '¿Qué te gustaría ver? Elige una categoría 👇',
    button: 'Ver categorías',
    sections: [{ title: 'Categorías', rows: open.map((c) => row(ids.category(c.slug), c.name, `${c.products} productos${c.fromPrice !== null ? ` · desde ${formatMoney(c.fromPrice)}` : ''}${c.offers ? ' · ofertas' : ''}`)) }],
  };
}

/** One page of products; `more` adds a "Ver más" row to the next page. */
export function productList(body: string, products: Product[], more?: string): OutboundContent {
  const rows = products.slice(0, more ? 9 : 10).map((p) => row(ids.product(p.sku), p.name, `${priceOf(p)}${p.stock <= 5 ? ` · quedan ${p.stock}` : ''}`));
  if (more) rows.push(row(more, 'Ver más ➡️', 'Más productos de esta lista'));
  return { type: 'list', body, button: 'Ver productos', sections: [{ rows }] };
}

export function productCard(p: Product): OutboundContent {
  const stock = p.stock <= 0 || !p.isAvailable ? 'Agotado por ahora' : p.stock <= 5 ? `¡Quedan solo ${p.stock}!` : 'Disponible';
  const lines = [`*${p.name}*`, `Precio: ${priceOf(p)}`, stock, p.description ? clip(p.description, 400) : ''].filter(Boolean);
  const buttons = p.stock > 0 && p.isAvailable ? [{ id: ids.add(p.sku), title: 'Agregar al carrito' }, CART, CATALOGUE] : [CATALOGUE, CART];
  return { type: 'buttons', body: lines.join('\n'), buttons };
}

export function addedToCart(name: string, quantity: number, totals: CartTotals): OutboundContent {
  return {
    type: 'buttons',
    body: `🛒 Listo: ${quantity} × ${name} en tu carrito.\nLlevas ${plural(totals.units, '1 producto', `${totals.units} productos`)} por ${formatMoney(totals.total)}.`,
    buttons: [CHECKOUT, CART, { id: 'menu:catalogue', title: 'Seguir comprando' }],
  };
}

export function notEnoughStock(name: string, available: number, inCart: number): OutboundContent {
  const left = available <= 0 ? `${name} está agotado por ahora 😕` : `Solo nos quedan ${available} de ${name}${inCart ? ` (ya tienes ${inCart} en tu carrito)` : ''}`;
  return { type: 'buttons', body: `${left}. ¿Te muestro algo parecido?`, buttons: [CART, CATALOGUE] };
}

const lineText = (l: CartLine) => `• ${l.quantity} × ${l.name} — ${formatMoney(l.unitPrice * l.quantity)}${l.quantity > l.stock ? ` ⚠️ quedan ${l.stock}` : ''}`;

export function cartView(cart: Cart, totals: CartTotals): OutboundContent {
  if (!cart.lines.length) return { type: 'buttons', body: 'Tu carrito está vacío. ¿Te muestro el catálogo?', buttons: [CATALOGUE] };
  const body = [
    '🛒 *Tu carrito*',
    ...cart.lines.map(lineText),
    '',
    `Subtotal: ${formatMoney(totals.subtotal)}`,
    ...(totals.discount > 0 ? [`Descuentos: −${formatMoney(totals.discount)}`] : []),
    'Envío: se calcula al elegir la entrega',
    `Total: ${formatMoney(totals.total)}`,
    '',
    'Toca un producto para cambiar la cantidad o quitarlo.',
  ].join('\n');
  const rows = cart.lines.slice(0, 8).map((l) => row(ids.line(l.sku), l.name, `${l.quantity} × ${formatMoney(l.unitPrice)}`));
  rows.push(row('cart:checkout', 'Pagar ✅', `Total ${formatMoney(totals.total)} + envío`), row('cart:clear', 'Vaciar carrito 🗑️'));
  return { type: 'list', body: clip(body, 1024), button: 'Opciones', sections: [{ rows }] };
}

/** Several products match "agrégame una camisa": the rows carry the quantity, so one tap adds it. */
export function whichToAdd(hits: Product[], quantity: number): OutboundContent {
  return {
    type: 'list',
    body: `¿Cuál de estos quieres${quantity > 1 ? ` (${quantity} unidades)` : ''}? 👇`,
    button: 'Elegir producto',
    sections: [{ rows: hits.slice(0, 10).map((h) => row(ids.add(h.sku, quantity), h.name, `${formatMoney(h.offerPrice ?? h.price)} · quedan ${h.stock}`)) }],
  };
}

/** Which line to take off, or with `units`, which line to take that many units from ("quita una"). */
export function whichToRemove(lines: CartLine[], units?: number): OutboundContent {
  const body = units ? `¿De cuál quito ${units === 1 ? 'una unidad' : `${units} unidades`}? 👇` : '¿Cuál quito? 👇';
  return { type: 'list', body, button: 'Elegir', sections: [{ rows: lines.slice(0, 10).map((l) => row(units ? ids.decrease(l.sku, units) : ids.remove(l.sku), l.name, `${l.quantity} en el carrito`)) }] };
}

/** "me la llevo" right after adding it: it is already there; one tap adds another. */
export function alreadyInCart(sku: string, name: string, quantity: number): OutboundContent {
  return { type: 'buttons', body: `Ya tienes ${quantity} × ${name} en tu carrito 🛒. ¿Agrego otro?`, buttons: [{ id: ids.add(sku), title: 'Sí, uno más ➕' }, CART, CHECKOUT] };
}

/** Units taken off a line ("quita una"), with what is left of it. */
export function decreased(name: string, units: number, left: number): OutboundContent {
  const took = units === 1 ? 'una unidad' : `${units} unidades`;
  return { type: 'buttons', body: left > 0 ? `Listo, quité ${took} de ${name}. Te ${plural(left, 'queda', 'quedan')} ${left}.` : `Listo, quité ${name} de tu carrito.`, buttons: [CART, CHECKOUT, { id: 'menu:catalogue', title: 'Seguir comprando' }] };
}

export function removed(name: string, linesLeft: number): OutboundContent {
  return { type: 'buttons', body: `Quité ${name} de tu carrito.${linesLeft ? '' : ' Tu carrito quedó vacío.'}`, buttons: [CART, { id: 'menu:catalogue', title: 'Seguir comprando' }] };
}

export function lineOptions(line: CartLine): OutboundContent {
  return {
    type: 'buttons',
    body: `${line.quantity} × ${line.name} (${formatMoney(line.unitPrice)} c/u). ¿Qué hago?`,
    buttons: [{ id: ids.add(line.sku), title: 'Uno más ➕' }, { id: ids.decrease(line.sku), title: 'Uno menos ➖' }, { id: ids.remove(line.sku), title: 'Quitar ❌' }],
  };
}

export function shippingChoice(options: ShippingOption[], costs: Map<string, number>): OutboundContent {
  return {
    type: 'list',
    body: '🚚 ¿Cómo quieres recibir tu pedido?',
    button: 'Elegir entrega',
    sections: [{ rows: options.slice(0, 10).map((o) => row(ids.ship(o.code), o.name, `${costs.get(o.code) ? formatMoney(costs.get(o.code)!) : 'Gratis'}${o.description ? ` · ${o.description}` : ''}`)) }],
  };
}

const PAYMENT_BUTTONS: Record<PaymentMethod, string> = { cash_on_delivery: 'Contra entrega', bank_transfer: 'Transferencia', payment_link: 'Pago en línea' };

/** The ways to pay the shop takes (never one it has not configured), as buttons. */
export function paymentChoice(methods: readonly PaymentMethod[], lead = ''): OutboundContent {
  return { type: 'buttons', body: `${lead}💳 ¿Cómo prefieres pagar?`, buttons: methods.map((m) => ({ id: ids.pay(m), title: PAYMENT_BUTTONS[m] })) };
}

export const PAYMENT_NAMES: Record<string, string> = { cash_on_delivery: 'contra entrega', bank_transfer: 'transferencia bancaria', payment_link: 'pago en línea (tarjeta, PSE, Nequi)' };

export function orderSummary(cart: Cart, totals: CartTotals, d: { name: string; address: string; shippingName: string; payment: string }): OutboundContent {
  const body = [
    '📋 *Resumen de tu pedido*',
    ...cart.lines.map(lineText),
    '',
    `Subtotal: ${formatMoney(totals.subtotal)}`,
    ...(totals.discount > 0 ? [`Descuentos: −${formatMoney(totals.discount)}`] : []),
    `Envío (${d.shippingName}): ${totals.shipping ? formatMoney(totals.shipping) : 'gratis'}`,
    `*Total: ${formatMoney(totals.total)}*`,
    '',
    `A nombre de: ${d.name}`,
    `Dirección: ${d.address}`,
    `Pago: ${PAYMENT_NAMES[d.payment] ?? d.payment}`,
  ].join('\n');
  return { type: 'buttons', body: clip(body, 1024), buttons: [{ id: ids.confirm(cart.version), title: 'Confirmar pedido' }, { id: ids.cancel(), title: 'Cancelar' }] };
}

export function orderPlaced(order: OrderSummary, bankDetails?: string): OutboundContent {
  const how =
    order.paymentMethod === 'cash_on_delivery' ? 'Pagas al recibirlo.'
    : order.paymentMethod === 'bank_transfer' ? `Para pagar haz la transferencia${bankDetails ? ` a: ${bankDetails}` : ''} y envíanos el comprobante por aquí.`
    : 'En un momento te envío el enlace de pago.';
  const window = deliveryWindow(order);
  const arrives = window && order.delivery ? `\n🚚 ${order.delivery.name}: ${deliveryWindowText(window, order.createdAt)} (aproximadamente).` : '';
  return { type: 'text', text: `🎉 ¡Pedido #${order.orderNumber} confirmado! Total: ${formatMoney(order.total)}. ${how}${arrives}\nPuedes preguntarme por tu pedido cuando quieras escribiendo "pedido ${order.orderNumber}".` };
}

const STATUS_TEXT: Record<string, string> = { confirmed: 'confirmado, en preparación', paid: 'pagado, en preparación', shipped: 'enviado 🚚', delivered: 'entregado ✅', cancelled: 'cancelado' };

/** The customer's orders with their status and, while on the way, when they arrive. */
export function orderStatus(orders: OrderSummary[], now = new Date()): OutboundContent {
  if (!orders.length) return { type: 'buttons', body: 'No encuentro pedidos a tu nombre. ¿Te muestro el catálogo?', buttons: [CATALOGUE] };
  const lines = orders.map((o) => {
    const pending = o.paymentStatus === 'pending' && o.paymentMethod !== 'cash_on_delivery' ? ' · pago pendiente' : '';
    const window = ['confirmed', 'paid', 'shipped'].includes(o.status) ? deliveryWindow(o) : undefined;
    const arrives = window && o.delivery ? `\n  🚚 ${o.delivery.name}: ${deliveryWindowText(window, now)} (aproximadamente)` : '';
    return `• Pedido #${o.orderNumber} (${o.createdAt.toISOString().slice(0, 10)}): ${STATUS_TEXT[o.status] ?? o.status} · ${formatMoney(o.total)}${pending}${arrives}`;
  });
  return { type: 'text', text: [orders.length === 1 ? 'Este es tu pedido:' : 'Tus últimos pedidos:', ...lines].join('\n') };
}

export const askName = (known: string | null): OutboundContent =>
  known
    ? { type: 'buttons', body: '¡Vamos a finalizar tu compra! ✍️ ¿A nombre de quién va el pedido? Escríbelo, o usa tu nombre de WhatsApp:', buttons: [{ id: ids.useName(), title: clip(`Usar: ${known}`, 20) }, { id: ids.cancel(), title: 'Cancelar' }] }
    : { type: 'text', text: '¡Vamos a finalizar tu compra! ✍️ ¿A nombre de quién va el pedido? (nombre y apellido)' };
export const askCity = (): OutboundContent => ({ type: 'text', text: '📍 ¿En qué ciudad (o municipio) queda esa dirección?' });
export const askAddress = (): OutboundContent => ({ type: 'text', text: '📍 ¿A qué dirección lo enviamos? Escribe calle y número, barrio y ciudad (ej. "Calle 10 # 43-20, El Poblado, Medellín").' });
export const text = (t: string): OutboundContent => ({ type: 'text', text: t });
export const withMenu = (body: string): OutboundContent => ({ type: 'buttons', body, buttons: [CATALOGUE, CART] });
