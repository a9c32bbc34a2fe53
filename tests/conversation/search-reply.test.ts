import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCart } from '../../src/commerce/cart.ts';
import { readCatalogue } from '../../src/commerce/catalogue-file.ts';
import { importCatalogue } from '../../src/commerce/catalogue-import.ts';
import { classify } from '../../src/conversation/keywords/classify.ts';
import { shopTurn } from '../../src/conversation/shop/flows.ts';
import { plural } from '../../src/conversation/shop/search-views.ts';
import type { OutboundContent } from '../../src/whatsapp/types.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// What the customer reads: the shop's turn for a message, as the keyword understanding reads it, on the
// demo catalogue (no red T-shirt; a white and a black one; an impermeable jacket, a ruana, a hoodie).

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  const file = new URL('../../data/demo-catalogue.json', import.meta.url).pathname;
  await importCatalogue(db.sql, readCatalogue(file, await readFile(file, 'utf8')));
});
afterAll(async () => { await db?.drop(); });

let n = 0;
/** The shop's replies to a message, understood by keywords (or as a search when keywords leave it unknown, as the AI would). */
async function say(text: string, phone = `57300${String(++n).padStart(7, '0')}`) {
  const { intent, entities } = classify(text);
  const turn = { phone, customerName: null, intent: intent === 'unknown' ? ('search_products' as const) : intent, entities: intent === 'unknown' ? { query: text } : entities, text };
  const outcome = await shopTurn(db.sql, turn, { state: 'idle', context: {} }, { paymentLinks: false, cashOnDelivery: true });
  return outcome.replies;
}
const bodyOf = (c: OutboundContent) => (c.type === 'text' ? c.text : c.type === 'template' ? '' : c.body);
const rowsOf = (c: OutboundContent) => (c.type === 'list' ? c.sections.flatMap((s) => s.rows.map((r) => r.id)) : []);

describe('a colour nobody has', () => {
  it('"camiseta roja": says there is none, which colours there are, and lists them', async () => {
    const [reply] = await say('camiseta roja');
    expect(bodyOf(reply)).toBe('No tenemos camisetas rojas; tenemos blanca y negra 👇');
    expect(rowsOf(reply).sort()).toEqual(['prod:ROP-001', 'prod:ROP-002']);
  });

  it('"tienen camisetas rojas?" reads the same; "camisetas negras" lists only the black one', async () => {
    expect(bodyOf((await say('tienen camisetas rojas?'))[0])).toBe('No tenemos camisetas rojas; tenemos blanca y negra 👇');
    const [black] = await say('tienen camisetas negras?');
    expect(black.type).toBe('buttons'); // one product: its card
    expect(bodyOf(black)).toContain('Camiseta negra estampada');
    expect(bodyOf(black)).not.toContain('No tenemos');
  });

  it('a size and a material none has, with what there is', async () => {
    expect(bodyOf((await say('camisetas talla XXL'))[0])).toBe('No tenemos camisetas en talla XXL; tenemos en talla S a XL 👇');
    expect(bodyOf((await say('camisetas de lino'))[0])).toBe('No tenemos camisetas de lino; tenemos de algodón 👇');
  });
});

describe('quantities in words still add', () => {
  it('"quiero dos camisetas blancas" adds two at once; "quiero dos camisetas rojas" asks, saying there are none, rows carrying the two', async () => {
    const phone = '573009999001';
    const [added] = await say('quiero dos camisetas blancas', phone);
    expect(bodyOf(added)).toContain('2 × Camiseta blanca básica de algodón');
    expect((await getCart(db.sql, phone)).lines).toMatchObject([{ sku: 'ROP-001', quantity: 2 }]);

    const [ask] = await say('quiero dos camisetas rojas', phone);
    expect(bodyOf(ask)).toBe('No tenemos camisetas rojas; tenemos blanca y negra.\n\n¿Cuál de estos quieres (2 unidades)? 👇');
    expect(rowsOf(ask).sort()).toEqual(['add:2:ROP-001', 'add:2:ROP-002']);
    expect((await getCart(db.sql, phone)).lines).toHaveLength(1); // nothing added for a colour that is not there
  });
});

describe('needs', () => {
  it('"algo para el frío" lists the jacket, the ruana and the hoodie', async () => {
    const [reply] = await say('algo para el frío');
    expect(bodyOf(reply)).toBe('Para el frío te puede servir esto 👇');
    expect(rowsOf(reply)).toEqual(expect.arrayContaining(['prod:ROP-007', 'prod:ROP-012', 'prod:ROP-008']));
  });

  it('"una chaqueta para el frío" and "algo para la lluvia" show the impermeable jacket, saying why', async () => {
    const [jacket] = await say('una chaqueta para el frío');
    expect(bodyOf(jacket)).toMatch(/^Esto tenemos en chaquetas para el frío 👇\n\n\*Chaqueta impermeable\*/);
    const [rain] = await say('algo para la lluvia');
    expect(bodyOf(rain)).toMatch(/^Para la lluvia te puede servir esto 👇\n\n\*Chaqueta impermeable\*/);
  });

  it('a product that does not serve the need says so, and shows what does', async () => {
    const [reply] = await say('camisa para correr');
    expect(bodyOf(reply)).toMatch(/^No tenemos camisas para correr, pero esto te puede servir 👇/);
    expect(bodyOf(reply)).toContain('Tenis para correr');
  });

  it('"para regalar" says its suggestions are what sells most when little is meant for gifts', async () => {
    const [reply] = await say('busco algo para regalar');
    expect(bodyOf(reply)).toBe('Para regalar te sugiero esto, con algo de lo más pedido de la tienda 👇');
    expect(rowsOf(reply)[0]).toBe('prod:BEL-002'); // the perfume serves a gift; the featured products follow
    expect(rowsOf(reply).length).toBeGreaterThan(1);
  });

  it('a word like nothing still says so', async () => {
    expect(bodyOf((await say('tienen helicopteros?'))[0])).toMatch(/^No encontré "helicopteros"/);
  });
});

it('puts product words in the plural', () => {
  expect(['camiseta', 'pantalón', 'azul', 'jean', 'zapatos', 'lápiz', 'roja'].map(plural)).toEqual(['camisetas', 'pantalones', 'azules', 'jeans', 'zapatos', 'lápices', 'rojas']);
});
