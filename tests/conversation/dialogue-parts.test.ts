import { describe, expect, it } from 'vitest';
import { isAcknowledgement } from '../../src/conversation/acknowledgement.ts';
import { readMemory } from '../../src/conversation/memory.ts';
import { looksLikeQuestion, splitQuestions } from '../../src/conversation/questions.ts';
import { listingsShownIn, productsShownIn, rememberShown } from '../../src/conversation/shown.ts';
import { productCard, productList, addedToCart, cartView } from '../../src/conversation/shop/views.ts';
import { freeOptions } from '../../src/bookings/replies.ts';
import type { CustomerTurn } from '../../src/conversation/turn.ts';
import type { Product } from '../../src/commerce/product.ts';

// The pure parts of the dialogue's memory: what a reply showed, how a burst splits into questions,
// which messages are acknowledgements, and how a stored context is read back.

const product = (sku: string, name: string): Product => ({ sku, name, description: null, category: null, categorySlug: null, price: 10000, offerPrice: null, stock: 9, featured: false, isAvailable: true, popularity: 0, imageUrl: null });
const text = (t: string): CustomerTurn => ({ kind: 'text', text: t, replyId: null, customerName: null, details: {} });

describe('what a reply showed', () => {
  it('reads a card as one product with its full name, a list as its products in order', () => {
    expect(productsShownIn([productCard(product('A-1', 'Chaqueta impermeable con capucha y bolsillos'))])).toEqual([{ sku: 'A-1', name: 'Chaqueta impermeable con capucha y bolsillos' }]);
    const list = productList('Estos 👇', [product('B-1', 'Termo 1 litro'), product('B-2', 'Termo 2 litros')]);
    expect(productsShownIn([list])).toEqual([{ sku: 'B-1', name: 'Termo 1 litro' }, { sku: 'B-2', name: 'Termo 2 litros' }]);
  });

  it('finds no products in a confirmation, and then keeps the focus the flow set', () => {
    const added = addedToCart('Termo 1 litro', 1, { units: 1, subtotal: 1, discount: 0, shipping: 0, total: 1 });
    expect(productsShownIn([added])).toBeUndefined();
    const memory = { focus: { sku: 'B-1', name: 'Termo 1 litro' }, shown: [{ sku: 'B-1', name: 'Termo 1 litro' }] };
    expect(rememberShown(memory, [added])).toEqual(memory);
  });

  it('a list of several clears the focus; a single product becomes it', () => {
    const memory = { focus: { sku: 'OLD', name: 'Viejo' } };
    const list = productList('x', [product('B-1', 'Termo 1 litro'), product('B-2', 'Termo 2 litros')]);
    expect(rememberShown(memory, [list]).focus).toBeUndefined();
    expect(rememberShown(memory, [productCard(product('C-1', 'Olla'))]).focus).toEqual({ sku: 'C-1', name: 'Olla' });
  });

  it('reads the cart\'s lines as shown, and the listings a rental answer offered', () => {
    const cart = cartView({ phone: 'x', version: 1, lines: [{ productId: 1, sku: 'L-1', name: 'Balón', listPrice: 1, unitPrice: 1, quantity: 2, stock: 5 }] }, { units: 2, subtotal: 2, discount: 0, shipping: 0, total: 2 });
    expect(productsShownIn([cart])).toEqual([{ sku: 'L-1', name: 'Balón' }]);
    const listing = { id: 1, slug: 'casa-taganga', name: 'Casa Taganga', city: 'Santa Marta', zone: 'Taganga', capacity: 4, pricePerNight: 200000, cleaningFee: 0, minNights: 1, rules: null, isActive: true };
    const offer = freeOptions({ checkIn: '2027-01-10', checkOut: '2027-01-12', nights: 2, guests: 2 }, [listing], 2026);
    expect(listingsShownIn([offer])).toEqual([{ slug: 'casa-taganga', name: 'Casa Taganga' }]);
  });
});

describe('questions in a burst', () => {
  it('gives each standing question its own answer and joins fragments and greetings to their neighbours', () => {
    const burst = ['hola', 'tienen licuadoras?', 'y hacen envios', 'a bogota'].map(text);
    expect(splitQuestions(burst).map((q) => q.map((t) => t.text).join(' / '))).toEqual(['hola / tienen licuadoras?', 'y hacen envios / a bogota']);
  });

  it('keeps a sentence typed in pieces whole', () => {
    expect(splitQuestions(['hola', 'quiero', 'una camisa roja'].map(text))).toHaveLength(1);
    expect(splitQuestions(['tienen termos?', 'de 1 litro'].map(text))).toHaveLength(1);
  });

  it('knows a question by its mark or by how Spanish questions open', () => {
    for (const q of ['a que hora abren', 'y hacen domicilios', 'se puede pagar con tarjeta', 'donde queda la tienda', 'aceptan nequi', 'qué horario tienen?']) expect(looksLikeQuestion(q), q).toBe(true);
    for (const q of ['el perro de mi vecina ladra mucho', 'jajaja', 'ok', 'Calle 10 # 43-20']) expect(looksLikeQuestion(q), q).toBe(false);
  });
});

describe('acknowledgements', () => {
  it('are a few ok-words or only emoji', () => {
    for (const a of ['ok', 'Ok!', 'listo', 'dale gracias', 'perfecto 👍', '👍', '👌🏽', '🙏🙏', 'vale, listo', 'de una']) expect(isAcknowledgement(a), a).toBe(true);
    for (const a of ['ok quiero 2 camisetas', 'listo para pagar?', 'dale, agrégalo', 'no', 'jaja que bien el perro', '']) expect(isAcknowledgement(a), a).toBe(false);
  });
});

describe('reading the session context', () => {
  it('keeps valid fields and drops invalid ones instead of trusting a cast', () => {
    const memory = readMemory({ turns: 4, greeted: true, shown: [{ sku: 'A', name: 'x' }], focus: 'not an object', checkout: { payment: 'bitcoin' }, booking: { checkIn: '2027-01-10', guests: 2 }, unknownKey: 1 });
    expect(memory).toEqual({ turns: 4, greeted: true, shown: [{ sku: 'A', name: 'x' }], booking: { checkIn: '2027-01-10', guests: 2 } });
    expect(readMemory(null)).toEqual({});
    expect(readMemory('garbage')).toEqual({});
  });
});
