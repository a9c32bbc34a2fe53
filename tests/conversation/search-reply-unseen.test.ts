import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCart } from '../../src/commerce/cart.ts';
import { refreshCatalogueViews } from '../../src/commerce/catalogue-refresh.ts';
import { upsertProducts } from '../../src/commerce/products.ts';
import { classify } from '../../src/conversation/keywords/classify.ts';
import { shopTurn } from '../../src/conversation/shop/flows.ts';
import { plural, soldOutSaid } from '../../src/conversation/shop/search-views.ts';
import type { OutboundContent } from '../../src/whatsapp/types.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';
import { PET_SHOP } from '../support/unseen-pet-shop.ts';

// What a customer of a pet shop the replies were never fitted to reads (tests/support/unseen-pet-shop.ts):
// no "para correr" for a leash, no "No tenemos <words that are not products>", sold out said as such.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await upsertProducts(db.sql, PET_SHOP);
  await refreshCatalogueViews(db.sql);
});
afterAll(async () => { await db?.drop(); });

let n = 0;
/** The shop's replies, understood by keywords (or as a search when keywords leave it unknown, as the AI would). */
async function say(text: string, phone = `52155${String(++n).padStart(7, '0')}`) {
  const { intent, entities } = classify(text);
  const turn = { phone, customerName: null, intent: intent === 'unknown' ? ('search_products' as const) : intent, entities: intent === 'unknown' ? { query: text } : entities, text };
  return (await shopTurn(db.sql, turn, { state: 'idle', context: {} }, { paymentLinks: false, cashOnDelivery: true })).replies;
}
const bodyOf = (c: OutboundContent) => (c.type === 'text' ? c.text : c.type === 'template' ? '' : c.body);
const rowsOf = (c: OutboundContent) => (c.type === 'list' ? c.sections.flatMap((s) => s.rows.map((r) => r.id)) : []);

describe('pet shop replies', () => {
  it('"tienen correa?" shows the leash, not "nada para correr"', async () => {
    const [reply] = await say('tienen correa?');
    expect(bodyOf(reply)).toMatch(/^\*Correa de nylon 1,5 m\*/);
    expect(bodyOf(reply)).not.toMatch(/correr/);
  });

  it('a need with no product named is framed by the need alone', async () => {
    const [rain] = await say('algo pa que no se moje cuando llueve');
    expect(bodyOf(rain)).toMatch(/^Para la lluvia te puede servir esto 👇\n\n\*Impermeable con capucha para perro\*/);
    for (const text of ['y algo pa dormir para mi gato que ya esta viejito', 'algo para el calor, mi perro sufre mucho']) {
      expect(bodyOf((await say(text))[0])).not.toMatch(/No tenemos/);
    }
  });

  it('a question about the shop is not answered with ten products', async () => {
    const [reply] = await say('puedo llevar a mi perrita a la tienda?');
    expect(reply.type).not.toBe('list');
    expect(bodyOf(reply)).toMatch(/^No encontré/);
  });

  it('the harness for "arnes pa mi perrito", though it never says "perro"', async () => {
    const [reply] = await say('tienen arnes pa mi perrito?');
    expect(bodyOf(reply)).toMatch(/^Esto tenemos en arneses para la mascota 👇\n\n\*Arnés de malla transpirable\*/);
  });

  it('a sold-out product is said to be sold out, with what is in stock, and is not added', async () => {
    const phone = '521550000999';
    const [reply] = await say('quiero la pluma con cascabel pa mi gato', phone);
    expect(bodyOf(reply)).toMatch(/^\*Pluma con cascabel para gato\* está agotada por ahora 😕/);
    expect(rowsOf(reply).length).toBeGreaterThan(0);
    expect(rowsOf(reply)).not.toContain('add:1:H-PLUMA');
    expect((await getCart(db.sql, phone)).lines).toEqual([]);
    const [asked] = await say('tienen la pluma con cascabel?');
    expect(bodyOf(asked)).toMatch(/agotada por ahora/);
    expect(rowsOf(asked)).not.toContain('prod:H-PLUMA');
  });

  it('"tienen cama morada?" lists the bed\'s colours', async () => {
    const [reply] = await say('tienen cama morada?');
    expect(bodyOf(reply)).toMatch(/^No tenemos camas moradas; tenemos beige y café 👇/);
  });
});

it('says sold out in the name\'s gender and number, and puts stressed -s words in the plural', () => {
  expect(['Correa roja', 'Arnés de malla', 'Ratones x 3', 'Pañitos húmedos', 'Croquetas'].map(soldOutSaid)).toEqual([
    '*Correa roja* está agotada por ahora', '*Arnés de malla* está agotado por ahora', '*Ratones x 3* están agotados por ahora',
    '*Pañitos húmedos* están agotados por ahora', '*Croquetas* están agotadas por ahora',
  ]);
  expect(['arnés', 'compás', 'tenis', 'lunes'].map(plural)).toEqual(['arneses', 'compases', 'tenis', 'lunes']);
});
