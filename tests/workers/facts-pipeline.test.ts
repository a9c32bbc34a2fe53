import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertListing } from '../../src/bookings/listings.ts';
import { refreshCatalogueViews } from '../../src/commerce/catalogue-refresh.ts';
import { handleBurst } from '../../src/conversation/handle-burst.ts';
import { putKnowledge } from '../../src/crm/business-knowledge.ts';
import { metaEnvelope, metaListReply, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// Keyword mode (no AI) through the whole pipeline, for a business the project has not seen: a pharmacy
// that also rents a country house. Its facts come from the admin table, from BUSINESS_KNOWLEDGE_FILE and
// from its settings (bank details, delivery options, the house's attributes).

let p: Pipeline;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'facts-'));
  const file = join(dir, 'farmacia.md');
  await writeFile(file, '# Droguería San Rafael\nHorario: lunes a sábado de 7:00 a. m. a 10:00 p. m.; domingos de 8:00 a. m. a 6:00 p. m.\nDirección: Carrera 43 # 70-15, barrio El Prado, Barranquilla.\n');
  p = await startPipeline({ env: { MESSAGE_BUFFER_MS: '0', BUSINESS_KNOWLEDGE_FILE: file, BANK_TRANSFER_DETAILS: 'Banco de Bogotá ahorros 987-654321, Droguería San Rafael SAS' } });
  await putKnowledge(p.db.sql, { topic: 'garantia', content: 'Los equipos médicos (tensiómetros, glucómetros, termómetros) tienen garantía de 6 meses. Si llega defectuoso lo cambiamos en la tienda.' });
  await putKnowledge(p.db.sql, { topic: 'formulas', content: 'Los medicamentos con fórmula médica se entregan solo presentando la fórmula original.' });
  await p.db.sql`INSERT INTO categories (slug, name) VALUES ('equipos', 'Equipos médicos')`;
  await p.db.sql`INSERT INTO products (sku, name, description, category_id, price, stock) VALUES
    ('TER-1', 'Termómetro digital', 'Lectura en 10 segundos', (SELECT id FROM categories WHERE slug = 'equipos'), 25000, 10),
    ('HUM-1', 'Humidificador de aire', 'Para la congestión', (SELECT id FROM categories WHERE slug = 'equipos'), 90000, 4)`;
  await refreshCatalogueViews(p.db.sql);
  await upsertListing(p.db.sql, { slug: 'finca-la-esperanza', name: 'Finca La Esperanza', city: 'Puerto Colombia', zone: 'Salgar', capacity: 8, pricePerNight: 500000,
    checkInFrom: '13:00', checkOutUntil: '11:00', petsAllowed: true, partiesAllowed: false, amenities: ['piscina', 'parqueadero para 4 carros'] });
});
afterAll(async () => {
  await p?.stop();
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
const customer = () => `5738800${String(++n).padStart(5, '0')}`;
type Sent = { text?: { body: string }; interactive?: { body: { text: string }; action: { sections?: { rows: { id: string; title: string }[] }[] } } };
const sentTo = (to: string) => p.graph.sent.filter((s) => (s.body as { to?: string }).to === to);
const bodyOf = (s: { body: unknown }) => { const b = s.body as Sent; return b.text?.body ?? b.interactive?.body.text ?? ''; };
async function exchange(to: string, message: ReturnType<typeof metaTextMessage>) {
  const before = sentTo(to).length;
  expect((await p.postMeta(metaEnvelope([message]))).status).toBe(200);
  expect(await until(() => sentTo(to).length > before, 10_000)).toBe(true);
  await until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${to} AND status = 'pending'`).length === 0);
  return sentTo(to).slice(before);
}
const say = async (to: string, body: string) => (await exchange(to, metaTextMessage({ from: to, id: `wamid.facts.${++n}`, body, name: 'Rosa Díaz' }))).map(bodyOf).join('\n');

describe('a shop customer\'s questions about the business, without AI', () => {
  it('answers from the file, the table and the settings, and still takes real shop actions', async () => {
    // a new customer may send 5 messages a minute: a few customers ask
    let to = customer();
    expect(await say(to, 'a que ora abren los domingos?')).toMatch(/domingos de 8:00 a\. m\. a 6:00 p\. m\./);
    expect(await say(to, 'donde quedan ubicados?')).toMatch(/Carrera 43 # 70-15/);
    expect(await say(to, 'el termometro tiene garantia?')).toMatch(/garantía de 6 meses/);
    // a damaged delivery is a complaint: a person takes it (its own handoff reason), not a policy quote
    expect(await say(to, 'me llego dañado el tensiometro, que hago?')).toMatch(/le aviso a una persona/);
    expect((await p.db.sql`SELECT reason FROM handoffs WHERE chat_id = ${to} AND ended_at IS NULL`)[0]?.reason).toBe('complaint');
    to = customer();
    to = customer();
    const pay = await say(to, 'se puede pagar con daviplata?');
    expect(pay).toMatch(/contra entrega/);
    expect(pay).not.toMatch(/carrito/i); // no checkout started
    expect(await say(to, 'a que cuenta les consigno?')).toMatch(/Banco de Bogotá ahorros 987-654321/);
    expect(await say(to, 'cuanto se demora el envio?')).toMatch(/2 a 5 días hábiles/); // the default delivery options
    to = customer();
    expect(await say(to, 'quiero pagar')).toMatch(/carrito está vacío/); // a real action stays one
    expect(await say(to, 'tienen termometros?')).toMatch(/Termómetro digital/); // a product search stays one
  });

  it('does not answer what nobody wrote down', async () => {
    const to = customer();
    const reply = await say(to, 'cuantos años tiene el dueño?');
    expect(reply).not.toMatch(/garantía|Carrera 43|contra entrega|lunes a sábado/);
  });
});

describe('a burst mixing a product question and a fact question', () => {
  const turn = (text: string) => ({ kind: 'text', text, replyId: null, customerName: 'Rosa', details: {} });
  const burst = (texts: string[]) => handleBurst(p.db.sql, texts.map(turn), { phone: customer(), session: { state: 'idle', context: {} }, previousTurns: 1, checkout: { paymentLinks: false, cashOnDelivery: true } });
  const said = (r: Awaited<ReturnType<typeof burst>>) => (r.outcome.action === 'reply' ? JSON.stringify(r.outcome.replies) : '');

  it('answers both: the search, then the fact', async () => {
    const r = await burst(['hola', 'tienen humidificador de aire?', 'y hacen envios a barranquilla?']);
    expect(said(r)).toMatch(/Humidificador de aire/);
    expect(said(r)).toMatch(/2 a 5 días hábiles/);
  });

  it('keeps a product named with a place\'s word ("de aire") a product search', async () => {
    expect(said(await burst(['tienen humidificador de aire?']))).toMatch(/Humidificador de aire/);
  });
});

describe('a rental guest\'s questions about the place just quoted', () => {
  it('answers check-in, pets and parking from the listing, keeping the quote', async () => {
    const to = customer();
    const quote = (await exchange(to, metaTextMessage({ from: to, id: `wamid.facts.${++n}`, body: 'hay algo en puerto colombia para 4 personas del 10 al 12 de marzo?', name: 'Rosa Díaz' })))[0];
    const row = (quote.body as Sent).interactive?.action.sections?.[0].rows.find((r) => r.id.startsWith('stay:pick:finca-la-esperanza'));
    expect(row, bodyOf(quote)).toBeDefined();
    expect(await say(to, 'se aceptan mascotas?')).toMatch(/\*Finca La Esperanza\*: Se aceptan mascotas\./);
    await exchange(to, metaListReply({ from: to, id: `wamid.facts.${++n}`, replyId: row!.id, title: row!.title }));
    const checkIn = await say(to, 'a que hora se puede llegar?');
    expect(checkIn).toMatch(/1 p\. m\./);
    expect(checkIn).not.toMatch(/qué fechas/i);
    expect(await say(to, 'y tiene parqueadero?')).toMatch(/parqueadero para 4 carros/);
  });
});
