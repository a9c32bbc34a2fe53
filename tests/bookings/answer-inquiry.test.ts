import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerBookingInquiry, type BookingAnswer, type BookingInquiry } from '../../src/bookings/answer-inquiry.ts';
import { bookingActionOf, bookingIds } from '../../src/bookings/booking-ids.ts';
import { bookStay } from '../../src/bookings/listing-bookings.ts';
import { upsertListing, type ListingInput } from '../../src/bookings/listings.ts';
import { getGuestProfile, touchGuestProfile } from '../../src/crm/profiles.ts';
import { fitContent, renderAsText } from '../../src/whatsapp/limits.ts';
import type { OutboundContent } from '../../src/whatsapp/types.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

// Wednesday 10 December 2025, 10:00 in Bogotá.
const NOW = new Date('2025-12-10T15:00:00Z');

const LISTINGS: ListingInput[] = [
  { slug: 'loft', name: 'Loft Provenza', city: 'Medellín', zone: 'El Poblado', capacity: 2, pricePerNight: 220_000, cleaningFee: 60_000 },
  { slug: 'vista', name: 'Apto Vista Verde', city: 'Medellín', zone: 'El Poblado', capacity: 4, pricePerNight: 320_000, cleaningFee: 80_000, minNights: 2, rules: 'No se permiten fiestas.' },
  { slug: 'casa', name: 'Casa Familiar Laureles', city: 'Medellín', zone: 'Laureles', capacity: 6, pricePerNight: 380_000, cleaningFee: 100_000, minNights: 2 },
  { slug: 'mar', name: 'Frente al Mar 1204', city: 'Cartagena', zone: 'Bocagrande', capacity: 5, pricePerNight: 450_000, cleaningFee: 120_000, minNights: 2 },
  { slug: 'rodadero', name: 'Apto Playa Rodadero', city: 'Santa Marta', zone: 'El Rodadero', capacity: 6, pricePerNight: 280_000, cleaningFee: 90_000, minNights: 2 },
  // a dozen studios in one neighbourhood: more than one WhatsApp list can show
  ...Array.from({ length: 12 }, (_, i) => ({
    slug: `chapinero-${i + 1}`, name: `Estudio Chapinero con vista a los cerros número ${i + 1}`, city: 'Bogotá', zone: 'Chapinero', capacity: 2, pricePerNight: 100_000 + i * 1_000,
  })),
];

let db: TestDatabase;
const ids: Record<string, number> = {};
beforeAll(async () => {
  db = await createTestDatabase();
  for (const l of LISTINGS) ids[l.slug] = await upsertListing(db.sql, l);
});
afterAll(async () => { await db?.drop(); });

let phones = 0;
async function guest(): Promise<string> {
  const phone = `5730000${String(++phones).padStart(5, '0')}`;
  await touchGuestProfile(db.sql, { phone, chatId: phone, name: 'Ana', at: NOW });
  return phone;
}

async function ask(inquiry: Omit<BookingInquiry, 'now'>): Promise<BookingAnswer> {
  const answer = await answerBookingInquiry(db.sql, { now: NOW, ...inquiry });
  for (const reply of answer.replies) expectWithinWhatsAppLimits(reply);
  return answer;
}

/** Already what WhatsApp accepts: fitting it would change nothing, and every limit holds. */
function expectWithinWhatsAppLimits(c: OutboundContent): void {
  expect(fitContent(c)).toEqual(c);
  if (c.type === 'buttons') {
    expect(c.buttons.length).toBeGreaterThan(0);
    expect(c.buttons.length).toBeLessThanOrEqual(3);
    for (const b of c.buttons) expect(b.title.length).toBeLessThanOrEqual(20);
    expect(c.body.length).toBeLessThanOrEqual(1024);
  }
  if (c.type === 'list') {
    const rows = c.sections.flatMap((s) => s.rows);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(10);
    for (const r of rows) {
      expect(r.title.length).toBeLessThanOrEqual(24);
      expect((r.description ?? '').length).toBeLessThanOrEqual(72);
      expect(r.id.length).toBeLessThanOrEqual(200);
    }
    expect(c.button.length).toBeLessThanOrEqual(20);
    expect(c.body.length).toBeLessThanOrEqual(1024);
    expect((c.footer ?? '').length).toBeLessThanOrEqual(60);
  }
}

const textOf = (c: OutboundContent) => renderAsText(c);
const rowsOf = (c: OutboundContent) => (c.type === 'list' ? c.sections.flatMap((s) => s.rows) : []);
const slugsOf = (c: OutboundContent) => rowsOf(c).map((r) => (bookingActionOf(r.id) as { slug: string }).slug);

describe('asking for what is missing', () => {
  it('asks for dates and people when the message gives neither, and records nothing', async () => {
    const phone = await guest();
    const a = await ask({ phone, text: 'Hola, tienen apartamentos disponibles?' });
    expect(a.missing).toEqual(['checkIn', 'checkOut', 'guests']);
    expect(a.replies).toHaveLength(1);
    expect(textOf(a.replies[0])).toMatch(/¿Para qué fechas/);
    expect(textOf(a.replies[0])).toMatch(/cuántas personas/);
    expect(a.labels).toBeUndefined();
    expect((await getGuestProfile(db.sql, phone))!.labels).toEqual([]);
  });

  it('asks only for the people when the dates are clear, restating the dates', async () => {
    const phone = await guest();
    const a = await ask({ phone, text: 'del 15 al 18 de diciembre' });
    expect(a.missing).toEqual(['guests']);
    const text = textOf(a.replies[0]);
    expect(text).toMatch(/lunes 15 al jueves 18 de diciembre \(3 noches\)/i);
    expect(text).toMatch(/¿Cuántas personas/);
    expect(text).not.toMatch(/fechas/);
    expect((await getGuestProfile(db.sql, phone))!.profileData.booking_status).toBeUndefined();
  });

  it('asks for the length when only the arrival is known', async () => {
    const phone = await guest();
    const a = await ask({ phone, text: 'llegamos el viernes, somos 2' });
    expect(a.missing).toEqual(['checkOut']);
    expect(a.request).toMatchObject({ checkIn: '2025-12-12', guests: 2 });
    expect(textOf(a.replies[0])).toBe('Llegada el viernes 12 de diciembre 👍 ¿Cuántas noches te quedarías (o qué día sería la salida)?');
  });

  it('asks for the length and the people together when both are missing', async () => {
    const phone = await guest();
    const a = await ask({ phone, text: 'para navidad' });
    expect(a.missing).toEqual(['checkOut', 'guests']);
    expect(textOf(a.replies[0])).toBe('Llegada el miércoles 24 de diciembre 👍 ¿Cuántas noches te quedarías y cuántas personas serían?');
  });

  it('asks for the arrival when only the length and people are known', async () => {
    const phone = await guest();
    const a = await ask({ phone, text: 'somos 3, serían 2 noches' });
    expect(a.missing).toEqual(['checkIn', 'checkOut']);
    expect(textOf(a.replies[0])).toBe('Perfecto, para 3 personas, 2 noches 👍 ¿Qué día llegarían?');
  });

  it('remembers what earlier messages said until the stay is complete', async () => {
    const phone = await guest();
    const first = await ask({ phone, text: 'quiero reservar desde el viernes' });
    expect(first.request).toEqual({ checkIn: '2025-12-12' });
    const second = await ask({ phone, text: '3 noches', earlier: first.request });
    expect(second.request).toEqual({ checkIn: '2025-12-12', checkOut: '2025-12-15', nights: 3 });
    expect(second.missing).toEqual(['guests']);
    // a new arrival keeps the length already asked for
    const third = await ask({ phone, text: 'mejor desde el 16', earlier: second.request });
    expect(third.request).toEqual({ checkIn: '2025-12-16', checkOut: '2025-12-19', nights: 3 });
    const last = await ask({ phone, text: 'somos 2 adultos y 1 niño', earlier: third.request });
    expect(last.missing).toEqual([]);
    expect(last.request).toEqual({ checkIn: '2025-12-16', checkOut: '2025-12-19', nights: 3, guests: 3 });
    expect(last.replies[0].type).toBe('list');
  });
});

describe('quoting a complete stay', () => {
  it('combines messages, lists the free listings with price per night and total, and records the interest', async () => {
    const phone = await guest();
    const first = await ask({ phone, text: 'Hola! tienen algo en Medellín del 15 al 18 de diciembre?' });
    expect(first.request).toMatchObject({ area: { city: 'Medellín' }, nights: 3 });
    const a = await ask({ phone, text: 'somos 4', earlier: first.request });
    expect(a.missing).toEqual([]);
    expect(a.replies).toHaveLength(1);
    const [list] = a.replies;
    expect(list.type).toBe('list');
    // cheapest first; the loft takes 2, Cartagena and Santa Marta were not asked for
    expect(slugsOf(list)).toEqual(['vista', 'casa']);
    expect(rowsOf(list).map((r) => r.description)).toEqual([
      '$320.000/noche · total $1.040.000 · El Poblado', // 3 × 320.000 + 80.000 of cleaning
      '$380.000/noche · total $1.240.000 · Laureles',
    ]);
    expect(rowsOf(list)[0].id).toBe(bookingIds.pick('vista', '2025-12-15', '2025-12-18', 4));
    expect(textOf(list)).toMatch(/Para 4 personas, del lunes 15 al jueves 18 de diciembre \(3 noches\)/);
    expect(textOf(list)).toMatch(/asesor de nuestro equipo te confirma/);

    expect(a.labels).toEqual({ add: ['cotización'] });
    const profile = (await getGuestProfile(db.sql, phone))!;
    expect(profile.labels).toContain('cotización');
    expect(profile.profileData).toMatchObject({
      booking_status: 'interested',
      booking_request: { checkIn: '2025-12-15', checkOut: '2025-12-18', nights: 3, guests: 4, area: { city: 'Medellín' } },
    });
  });

  it('shows at most ten options, cheapest first, when more are free', async () => {
    const phone = await guest();
    const a = await ask({ phone, text: 'un estudio en chapinero del 15 al 18 de diciembre para 2' });
    expect(slugsOf(a.replies[0])).toEqual(Array.from({ length: 10 }, (_, i) => `chapinero-${i + 1}`));
    expect(rowsOf(a.replies[0])[0].title).toBe('Estudio Chapinero con v…');
  });

  it('offers the same dates elsewhere when the area asked for is full', async () => {
    await bookStay(db.sql, { listingId: ids.mar, checkIn: '2025-12-20', checkOut: '2025-12-23' });
    const phone = await guest();
    const a = await ask({ phone, text: 'en Cartagena del 20 al 23 de diciembre, somos 4' });
    expect(textOf(a.replies[0])).toMatch(/^En Cartagena no nos queda nada libre/);
    expect(slugsOf(a.replies[0])).toEqual(['rodadero', 'vista', 'casa']);
    expect(a.labels).toEqual({ add: ['cotización'] });
  });

  it('offers the nearest free dates when nothing is free, and a tap on them quotes those dates', async () => {
    for (const slug of ['casa', 'mar', 'rodadero']) await bookStay(db.sql, { listingId: ids[slug], checkIn: '2026-01-10', checkOut: '2026-01-14' });
    const phone = await guest();
    const a = await ask({ phone, text: 'del 11 al 13 de enero para 5 personas' });
    const [reply] = a.replies;
    expect(reply.type).toBe('buttons');
    // two nights from the 11th: moving 3 days either way frees it; later wins the tie
    expect(textOf(reply)).toMatch(/no tenemos disponibilidad.*del miércoles 14 al viernes 16 de enero de 2026/s);
    expect(textOf(reply)).toMatch(/Apto Playa Rodadero \(El Rodadero, Santa Marta\) a \$280\.000 la noche, \$650\.000 en total, y 2 opciones más\. ¿Te sirven esas fechas\?/);
    expect(reply.type === 'buttons' && reply.buttons.map((b) => b.id)).toEqual([bookingIds.dates('2026-01-14', '2026-01-16', 5), 'menu:agent']);
    expect((await getGuestProfile(db.sql, phone))!.profileData.booking_request).toMatchObject({ checkIn: '2026-01-11', guests: 5 });

    const tapped = await ask({ phone, text: 'Sí, esas fechas', replyId: bookingIds.dates('2026-01-14', '2026-01-16', 5), earlier: a.request });
    expect(slugsOf(tapped.replies[0])).toEqual(['rodadero', 'casa', 'mar']);
    expect((await getGuestProfile(db.sql, phone))!.profileData.booking_request).toMatchObject({ checkIn: '2026-01-14', checkOut: '2026-01-16' });
  });

  it('says so when no listing takes that many people', async () => {
    const phone = await guest();
    const a = await ask({ phone, text: 'somos 12 del 15 al 18 de diciembre' });
    expect(textOf(a.replies[0])).toMatch(/Para 12 personas no tenemos un solo alojamiento: el más grande recibe hasta 6 personas/);
    expect(a.replies[0].type === 'buttons' && a.replies[0].buttons).toEqual([{ id: 'menu:agent', title: 'Hablar con asesor' }]);
  });

  it('answers a guest who has no profile without recording anything', async () => {
    const a = await ask({ phone: '573999999999', text: 'del 15 al 18 de diciembre para 2 en Chapinero' });
    expect(rowsOf(a.replies[0])).toHaveLength(10);
    expect(a.labels).toBeUndefined();
    expect(await getGuestProfile(db.sql, '573999999999')).toBeUndefined();
  });
});

describe('a tapped option', () => {
  it('is quoted in full and noted for the team', async () => {
    const phone = await guest();
    const a = await ask({ phone, text: 'Me gusta', replyId: bookingIds.pick('vista', '2026-02-06', '2026-02-09', 3) });
    expect(a.replies).toHaveLength(1);
    const text = textOf(a.replies[0]);
    expect(text).toMatch(/\*Apto Vista Verde\* \(El Poblado, Medellín\)/);
    expect(text).toMatch(/Del viernes 6 al lunes 9 de febrero de 2026 \(3 noches\), 3 personas/);
    expect(text).toMatch(/3 noches × \$320\.000 = \$960\.000\nAseo: \$80\.000\n\*Total: \$1\.040\.000\*/);
    expect(text).toMatch(/Normas: No se permiten fiestas\./);
    expect(text).toMatch(/asesor/);
    expect((await getGuestProfile(db.sql, phone))!.profileData).toMatchObject({
      booking_status: 'interested',
      booking_request: { checkIn: '2026-02-06', nights: 3, guests: 3, listing: { slug: 'vista', total: 1_040_000 } },
    });
  });

  it('taken since it was offered gets an apology and what is still free', async () => {
    await bookStay(db.sql, { listingId: ids.vista, checkIn: '2026-02-20', checkOut: '2026-02-22' });
    const phone = await guest();
    const a = await ask({ phone, text: 'Apto Vista Verde', replyId: bookingIds.pick('vista', '2026-02-20', '2026-02-23', 4) });
    expect(a.replies).toHaveLength(2);
    expect(textOf(a.replies[0])).toMatch(/Apto Vista Verde ya no está disponible/);
    expect(slugsOf(a.replies[1])).toEqual(['rodadero', 'casa', 'mar']);
    expect((await getGuestProfile(db.sql, phone))!.profileData.booking_request).toEqual({ checkIn: '2026-02-20', checkOut: '2026-02-23', nights: 3, guests: 4, requested_at: NOW.toISOString() });
  });

  it('for dates that have passed asks for new ones', async () => {
    const phone = await guest();
    const a = await ask({ phone, text: 'Loft', replyId: bookingIds.pick('loft', '2025-12-01', '2025-12-03', 2) });
    expect(a.missing).toEqual(['checkIn', 'checkOut']);
    expect(textOf(a.replies[0])).toMatch(/¿Para qué fechas/);
  });
});
