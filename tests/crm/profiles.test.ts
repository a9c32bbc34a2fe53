import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveInactiveGuests } from '../../src/crm/archive.ts';
import { guestContext } from '../../src/crm/guest-context.ts';
import { changeLabels, getGuestProfile, guestsWithLabel, mergeProfileData, touchGuestProfile } from '../../src/crm/profiles.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts';

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db?.drop(); });

const touch = (phone: string, name: string | null, at = new Date()) => touchGuestProfile(db.sql, { phone, chatId: `${phone}@s.whatsapp.net`, name, at });

describe('guest profiles', () => {
  it('are created on the first message with a thread id and kept current after', async () => {
    await touch('573100000001', 'Ana');
    const first = (await getGuestProfile(db.sql, '573100000001'))!;
    expect(first).toMatchObject({ userName: 'Ana', labels: [], totalInteractions: 1 });
    expect(first.threadId).toMatch(/^[0-9a-f-]{36}$/);
    await touch('573100000001', null); // a status-less message without a contact name keeps the name
    const second = (await getGuestProfile(db.sql, '573100000001'))!;
    expect(second).toMatchObject({ userName: 'Ana', totalInteractions: 2, threadId: first.threadId });
    expect(second.lastInteraction.getTime()).toBeGreaterThanOrEqual(first.lastInteraction.getTime());
  });

  it('hold labels as a set: no duplicates whatever the case, removals by name', async () => {
    await touch('573100000002', 'Luis');
    expect(await changeLabels(db.sql, '573100000002', { add: ['cotización', 'VIP', 'vip', ' nuevo '] })).toEqual(['cotización', 'VIP', 'nuevo']);
    expect(await changeLabels(db.sql, '573100000002', { add: ['Cotización', 'reservó'], remove: ['nuevo'] })).toEqual(['cotización', 'VIP', 'reservó']);
    expect((await guestsWithLabel(db.sql, 'VIP')).map((g) => g.phoneNumber)).toEqual(['573100000002']);
    expect(await changeLabels(db.sql, '573199999999', { add: ['x'] })).toBeUndefined();
  });
});

describe('archiving inactive guests', () => {
  it('moves guests silent for N days to historical_clients once, and brings them back with their labels', async () => {
    const old = new Date(Date.now() - 40 * 86_400_000);
    await touch('573100000003', 'Carla', old);
    await db.sql`UPDATE guest_profiles SET last_interaction = ${old} WHERE phone_number = '573100000003'`;
    await changeLabels(db.sql, '573100000003', { add: ['reservó'] });
    await mergeProfileData(db.sql, '573100000003', { booking_status: 'booked' });

    expect(await archiveInactiveGuests(db.sql, 30)).toBe(1);
    expect(await archiveInactiveGuests(db.sql, 30)).toBe(0); // twice changes nothing
    const hist = await db.sql`SELECT user_name, labels, booking_status, total_interactions FROM historical_clients WHERE phone_number = '573100000003'`;
    expect(hist).toEqual([{ user_name: 'Carla', labels: ['reservó'], booking_status: 'booked', total_interactions: 1 }]);
    expect(await getGuestProfile(db.sql, '573100000003')).toBeUndefined();
    expect(await getGuestProfile(db.sql, '573100000001')).toBeDefined(); // active guests stay

    await touch('573100000003', null); // she writes again
    const back = (await getGuestProfile(db.sql, '573100000003'))!;
    expect(back).toMatchObject({ userName: 'Carla', labels: ['reservó'], totalInteractions: 2 });
    expect(back.profileData.booking_status).toBe('booked');
  });
});

describe('guest context for the AI', () => {
  it('is built from profile and history and cached for five minutes', async () => {
    await touch('573100000004', 'Diego');
    await changeLabels(db.sql, '573100000004', { add: ['cotización'] });
    const text = await guestContext(db.sql, '573100000004');
    expect(text).toContain('Cliente: Diego');
    expect(text).toContain('Etiquetas: cotización');
    await changeLabels(db.sql, '573100000004', { add: ['vip'] });
    expect(await guestContext(db.sql, '573100000004')).toBe(text); // still cached
    const later = new Date(Date.now() + 6 * 60_000);
    expect(await guestContext(db.sql, '573100000004', later)).toContain('cotización, vip');
  });
});
