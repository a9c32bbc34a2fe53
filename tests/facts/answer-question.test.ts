import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putKnowledge } from '../../src/crm/business-knowledge.ts';
import { answerFactQuestion } from '../../src/facts/answer-question.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// A business this project has never seen: a neighbourhood bakery in Bogotá, its facts in its own words,
// asked the way customers type (no accents, typos, other words than the business used). The shop's
// delivery options are switched off so only what the bakery wrote can answer.

let db: TestDatabase;
const payments = { paymentLinks: false, cashOnDelivery: true };
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql`UPDATE shipping_options SET is_active = false`;
  const facts: Record<string, string> = {
    horario: 'Atendemos todos los días de 6:00 a. m. a 8:00 p. m. Los domingos y festivos cerramos a la 1:00 p. m.',
    domicilios: 'Llevamos pedidos en Chapinero y Teusaquillo por $4.000. Pedidos grandes con un día de anticipación.',
    tortas: 'Las tortas personalizadas se encargan con 48 horas de anticipación y un abono del 50 %. La libra cuesta $38.000.',
    'sin-gluten': 'Tenemos pan sin gluten los martes y jueves, en bolsa sellada.',
    ubicacion: 'Estamos en la Calle 63 # 9-40, Chapinero, Bogotá, frente al parque de los Hippies.',
    medios: 'Recibimos efectivo, Nequi y tarjetas débito y crédito en el local.',
  };
  let order = 1;
  for (const [topic, content] of Object.entries(facts)) await putKnowledge(db.sql, { topic, content, sortOrder: order++ });
});
afterAll(async () => { await db?.drop(); });

const ask = (q: string) => answerFactQuestion(db.sql, q, { payments });

describe('the bakery\'s facts, asked in other words', () => {
  it.each([
    ['a q hora abren el domingo', /domingos y festivos cerramos a la 1:00/],
    ['hasta que horas atienden', /6:00 a\. m\. a 8:00 p\. m\./],
    ['a que hora cierran entre semana', /6:00 a\. m\. a 8:00 p\. m\./], // "entre" is no misspelt "entrega"
    ['ustedes hacen domicilio a teusaquillo?', /Chapinero y Teusaquillo por \$4\.000/],
    ['cuanto vale el domicilo', /\$4\.000/], // typo
    ['con cuanto tiempo encargo una torta', /48 horas/],
    ['tienen pan sin gluten?', /martes y jueves/],
    ['donde qeuda el local?', /Calle 63 # 9-40/], // typo
    ['cual es la direccion', /Calle 63/],
    ['puedo pagar con nequi', /Nequi/],
    ['reciben tarjeta de credito?', /tarjetas débito y crédito/],
    // where they deliver is the answer to a place they don't
    ['hacen envios a medellin por coordinadora?', /^Llevamos pedidos en Chapinero y Teusaquillo/],
  ])('"%s"', async (q, expected) => {
    const a = await ask(q);
    expect(a?.text, JSON.stringify(a)).toMatch(expected);
  });

  it('answers the sentence that says it, not the whole entry', async () => {
    const a = await ask('cuanto cuesta la libra de torta?');
    expect(a?.text).toBe('La libra cuesta $38.000.');
    expect(a?.sources).toEqual([{ source: 'table', topic: 'tortas' }]);
  });

  it.each(['venden pan integral?', 'tienen parqueadero?', 'me regala el numero del dueño', 'jajaja', 'ok', 'cuantos años tiene el panadero'])(
    'says nothing it was not told: "%s"',
    async (q) => {
      expect(await ask(q)).toBeUndefined();
    },
  );

  it('follows the table: an edited entry answers with its new words, a deleted one no more', async () => {
    await putKnowledge(db.sql, { topic: 'sin-gluten', content: 'Ya no hacemos pan sin gluten.' });
    expect((await ask('tienen pan sin gluten?'))?.text).toBe('Ya no hacemos pan sin gluten.');
    await db.sql`DELETE FROM business_knowledge WHERE topic = 'sin-gluten'`;
    expect(await ask('tienen pan sin gluten?')).toBeUndefined();
  });
});
