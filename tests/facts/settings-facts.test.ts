import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertListing } from '../../src/bookings/listings.ts';
import { putKnowledge } from '../../src/crm/business-knowledge.ts';
import { answerFactQuestion } from '../../src/facts/answer-question.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// Facts the business never wrote as prose but set up: the delivery options checkout charges, the payment
// methods it really takes, and its listings' attributes. A pharmacy's own options replace the defaults.

let db: TestDatabase;
let casa: number;
let cabana: number;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql`UPDATE shipping_options SET is_active = false`;
  await db.sql`INSERT INTO shipping_options (code, name, description, cost, free_from, sort_order) VALUES
    ('moto', 'Domicilio en moto', 'En Barranquilla, en 45 minutos', 5000, 60000, 1),
    ('nacional', 'Envío nacional', 'Por Servientrega, 3 a 6 días hábiles', 14000, NULL, 2)`;
  casa = await upsertListing(db.sql, { slug: 'casa-quinta', name: 'Casa Quinta', city: 'Villa de Leyva', zone: 'Centro', capacity: 10, pricePerNight: 600000, minNights: 2,
    checkInFrom: '14:00', checkOutUntil: '12:00', petsAllowed: true, partiesAllowed: false, amenities: ['parqueadero cubierto', 'chimenea'], rules: 'Silencio después de las 11 p. m.' });
  cabana = await upsertListing(db.sql, { slug: 'cabana-rio', name: 'Cabaña del Río', city: 'Villa de Leyva', zone: 'Afueras', capacity: 3, pricePerNight: 250000,
    petsAllowed: false, amenities: ['jacuzzi'] });
});
afterAll(async () => { await db?.drop(); });

const shop = (q: string, payments: { paymentLinks: boolean; bankDetails?: string } = { paymentLinks: false }) => answerFactQuestion(db.sql, q, { payments: { cashOnDelivery: true, ...payments } });

describe('delivery options as facts', () => {
  it('answers cost, free-from amount and time from the options checkout offers', async () => {
    for (const q of ['cuanto cuesta el domicilio?', 'en cuanto tiempo llega un pedido a bogota', 'hacen envíos nacionales?']) {
      const a = await shop(q);
      expect(a?.text, q).toContain('Domicilio en moto: $5.000, gratis desde $60.000 en compras. En Barranquilla, en 45 minutos.');
      expect(a?.text, q).toContain('Envío nacional: $14.000. Por Servientrega, 3 a 6 días hábiles.');
      expect(a?.sources).toEqual([{ source: 'shipping', topic: 'envios entregas' }]);
    }
  });

  it('gives way to what the business wrote about delivery, unless only the settings say what was asked', async () => {
    await putKnowledge(db.sql, { topic: 'domicilios', content: 'Los domicilios los hacemos con Rappi y con nuestro mensajero.' });
    expect((await shop('ustedes hacen domicilios?'))?.text).toBe('Los domicilios los hacemos con Rappi y con nuestro mensajero.');
    expect((await shop('cuanto cuesta el domicilio?'))?.text).toContain('$5.000'); // the price is only in the settings
    await db.sql`DELETE FROM business_knowledge`;
  });

  it('does not answer "where is the shop" with a delivery option that names it', async () => {
    expect(await shop('donde queda la tienda?')).toBeUndefined();
  });
});

describe('payment methods as configured', () => {
  it('without bank details or a gateway: cash on delivery only, and says transfers are not taken', async () => {
    const a = await shop('a que cuenta les consigno?');
    expect(a?.text).toMatch(/contra entrega/);
    expect(a?.text).toMatch(/no recibimos transferencias/);
    expect(a?.text).not.toMatch(/en línea/);
  });

  it('with bank details: the account for "¿a qué cuenta les consigno?", transfers among the methods', async () => {
    const bank = { paymentLinks: false, bankDetails: 'Bancolombia ahorros 123-456789-00 a nombre de Droguería La 72 SAS' };
    expect((await shop('a que cuenta les consigno?', bank))?.text).toContain('Bancolombia ahorros 123-456789-00');
    expect((await shop('como puedo pagar?', bank))?.text).toMatch(/contra entrega.*transferencia bancaria/);
  });

  it('with a gateway: card, PSE and Nequi through the payment link', async () => {
    expect((await shop('aceptan nequi?', { paymentLinks: true }))?.text).toMatch(/tarjeta, PSE o Nequi/);
  });
});

describe('a listing\'s facts', () => {
  const guest = (q: string, ids = [casa]) => answerFactQuestion(db.sql, q, { payments: { paymentLinks: false, cashOnDelivery: true }, listingIds: ids });

  it.each([
    ['a que hora es el check-in?', /Check-in \(llegada\) desde las 2 p\. m\./],
    ['hasta que hora podemos salir', /Check-out \(salida\) hasta las 12 p\. m\./],
    ['se aceptan perros?', /Se aceptan mascotas\./],
    ['tiene parqueadero?', /Tiene parqueadero cubierto\./],
    ['podemos hacer una fiesta', /No se permiten fiestas/],
    ['cuantas personas caben', /hasta 10 personas/],
  ])('"%s"', async (q, expected) => {
    const a = await guest(q);
    expect(a?.text).toMatch(expected);
    expect(a?.text).toMatch(/^\*Casa Quinta\*/);
  });

  it('about two quoted listings, answers for each; says nothing the host did not record', async () => {
    const a = await guest('aceptan mascotas?', [casa, cabana]);
    expect(a?.text).toContain('*Casa Quinta*: Se aceptan mascotas.');
    expect(a?.text).toContain('*Cabaña del Río*: No se aceptan mascotas.');
    expect(await guest('a que hora es el check-in?', [cabana])).toBeUndefined();
    expect(await guest('tiene piscina?', [casa])).toBeUndefined();
  });
});
