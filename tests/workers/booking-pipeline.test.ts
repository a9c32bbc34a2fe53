import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';
import { startPipeline, type Pipeline } from '../support/pipeline-harness.ts';
import { until } from '../support/test-runtime.ts';

// Rental inquiries through the whole pipeline: dates as customers write them, an answer with what is
// free and its price, and the guest's interest recorded for the team; over several messages too.

let p: Pipeline;
const nextYear = new Date().getUTCFullYear() + 1; // "del 15 al 18 de marzo" is always ahead
beforeAll(async () => {
  p = await startPipeline({ env: { MESSAGE_BUFFER_MS: '0' } });
  await p.db.sql`INSERT INTO listings (slug, name, city, zone, capacity, price_per_night, cleaning_fee, min_nights) VALUES
    ('loft-poblado', 'Loft El Poblado', 'Medellín', 'El Poblado', 2, 250000, 50000, 2),
    ('casa-laureles', 'Casa Laureles', 'Medellín', 'Laureles', 6, 400000, 80000, 2)`;
  await p.db.sql`INSERT INTO listing_bookings (listing_id, stay, status) VALUES
    ((SELECT id FROM listings WHERE slug = 'casa-laureles'), daterange(${`${nextYear}-03-14`}::date, ${`${nextYear}-03-20`}::date), 'confirmed')`;
});
afterAll(async () => { await p?.stop(); });

let n = 0;
const guest = () => `5738000${String(++n).padStart(5, '0')}`;
const sentTo = (to: string) => p.graph.sent.filter((s) => (s.body as { to?: string }).to === to);
// the body and every row and button, as the customer sees them
const bodyOf = (s: { body: unknown }) => {
  const b = s.body as { text?: { body: string }; interactive?: { body: { text: string }; action?: { sections?: { rows: { title: string; description?: string }[] }[]; buttons?: { reply: { title: string } }[] } } };
  const rows = (b.interactive?.action?.sections ?? []).flatMap((x) => x.rows.map((r) => `${r.title} ${r.description ?? ''}`));
  const buttons = (b.interactive?.action?.buttons ?? []).map((x) => x.reply.title);
  return [b.text?.body ?? b.interactive?.body.text ?? '', ...rows, ...buttons].join('\n');
};
async function say(to: string, body: string) {
  const before = sentTo(to).length;
  expect((await p.postMeta(metaEnvelope([metaTextMessage({ from: to, id: `wamid.bk.${++n}`, body, name: 'Carlos' })]))).status).toBe(200);
  expect(await until(() => sentTo(to).length > before, 10_000)).toBe(true);
  await until(async () => (await p.db.sql`SELECT 1 FROM outbox WHERE chat_id = ${to} AND status = 'pending'`).length === 0);
  return sentTo(to).slice(before).map(bodyOf).join('\n');
}

describe('rental inquiries', () => {
  it('answers dates and people in one message with what is free and its price, and records the interest', async () => {
    const to = guest();
    const answer = await say(to, 'hola, tienen apartamento del 15 al 18 de marzo para 2 personas?');
    expect(answer).toContain('Loft El Poblado');
    expect(answer).not.toContain('Casa Laureles'); // booked those nights
    expect(answer).toMatch(/\$800\.000/); // 3 nights × 250,000 + cleaning 50,000
    const [profile] = await p.db.sql`SELECT labels, profile_data->>'booking_status' AS status FROM guest_profiles WHERE phone_number = ${to}`;
    expect(profile.labels).toContain('cotización');
    expect(profile.status).toBe('interested');
  });

  it('asks for exactly what is missing, over several messages, then quotes', async () => {
    const to = guest();
    const first = await say(to, 'quiero reservar un apartamento en medellin');
    expect(first).toMatch(/fechas/i);
    const second = await say(to, 'del 21 al 24 de marzo');
    expect(second).toMatch(/cuántas personas/i);
    const third = await say(to, 'somos 5');
    expect(third).toContain('Casa Laureles');
    expect(third).not.toContain('Loft El Poblado'); // two guests at most
    const [session] = await p.db.sql`SELECT session_state FROM customer_sessions WHERE customer_phone = ${to}`;
    expect(session.session_state).toBe('idle');
  });
});

describe('follow-ups after a quote', () => {
  it('keep the dates and people: "¿y en Laureles?" quotes that area for the same stay, and a sticker or 👍 asks nothing again', async () => {
    const to = guest();
    const quote = await say(to, 'tienen algo del 1 al 4 de abril para 2 personas en el poblado?');
    expect(quote).toContain('Loft El Poblado');
    const other = await say(to, 'y cuanto sale en laureles?');
    expect(other).toContain('Casa Laureles');
    expect(other).toMatch(/\$1\.280\.000/); // 3 nights × 400,000 + cleaning 80,000: the same stay
    expect(other).not.toMatch(/para qué fechas/i);
    const thumb = await say(to, '👍');
    expect(thumb).not.toMatch(/fechas|cuántas personas/i);
    const [session] = await p.db.sql<{ context: { booking?: { checkIn?: string; guests?: number } } }[]>`SELECT context_data AS context FROM customer_sessions WHERE customer_phone = ${to}`;
    expect(session.context.booking).toMatchObject({ checkIn: `${nextYear}-04-01`, guests: 2 });
  });
});
