import { describe, expect, it } from 'vitest';
import { planIdentities, type IdentityKind, type IdentityRow } from '../../src/crm/identity-plan.ts';

// The rules that decide which customer a delivery's ids belong to, on rows as customer_identities holds them.

const P = '573001234567';
const P2 = '573109998877';
const U = 'CO.13491208655302741918';
const U2 = 'CO.99887766554433221100';
const T0 = new Date('2026-01-01T00:00:00Z');
const NOW = new Date('2026-06-01T00:00:00Z');

const row = (kind: IdentityKind, value: string, customerKey: string, o: { retiredAt?: Date; firstSeenAt?: Date } = {}): IdentityRow => ({
  kind, value, customerKey, retiredAt: o.retiredAt ?? null, firstSeenAt: o.firstSeenAt ?? T0,
});

describe('planIdentities', () => {
  it('a first message makes a new customer with every id it names current', () => {
    expect(planIdentities({ ids: { phone: P, bsuid: U, username: 'ana' }, sentAt: NOW }, [])).toEqual({
      key: undefined, absorb: [], retire: [], former: [],
      current: [{ kind: 'phone', value: P }, { kind: 'bsuid', value: U }, { kind: 'username', value: 'ana' }],
    });
  });

  it('a customer known by number who now writes with a BSUID too gets the BSUID (no new customer)', () => {
    const plan = planIdentities({ ids: { phone: P, bsuid: U }, sentAt: NOW }, [row('phone', P, P)]);
    expect(plan).toMatchObject({ key: P, absorb: [] });
    expect(plan.current).toContainEqual({ kind: 'bsuid', value: U });
  });

  it('the BSUID decides: a message with only the BSUID belongs to whoever holds it', () => {
    expect(planIdentities({ ids: { bsuid: U, username: 'ana' }, sentAt: NOW }, [row('phone', P, P), row('bsuid', U, P)]).key).toBe(P);
  });

  it('a number whose customer has another BSUID changed hands: the sender is someone new and the number moves to them', () => {
    const plan = planIdentities({ ids: { phone: P, bsuid: U2 }, sentAt: NOW }, [row('phone', P, P), row('bsuid', U, P)]);
    expect(plan.key).toBeUndefined();
    expect(plan.absorb).toEqual([]);
    expect(plan.current).toContainEqual({ kind: 'phone', value: P });
  });

  it('a number held by a customer with no BSUID and a BSUID held by another: one person, merged into the one seen first', () => {
    const rows = [row('phone', P, P, { firstSeenAt: T0 }), row('bsuid', U, U, { firstSeenAt: NOW })];
    expect(planIdentities({ ids: { phone: P, bsuid: U }, sentAt: NOW }, rows)).toMatchObject({ key: P, absorb: [U] });
  });

  it('a username never decides who it is: it follows the sender', () => {
    const rows = [row('bsuid', U, 'A'), row('username', 'ana', 'B'), row('bsuid', U2, 'B')];
    const plan = planIdentities({ ids: { bsuid: U, username: 'ana' }, sentAt: NOW }, rows);
    expect(plan).toMatchObject({ key: 'A', absorb: [] });
    expect(plan.current).toContainEqual({ kind: 'username', value: 'ana' });
  });

  it('user_changed_number: the new number becomes current; the old number, and the BSUID WhatsApp renews with it, retire', () => {
    const plan = planIdentities({ ids: { phone: P, bsuid: U }, change: { type: 'user_changed_number', phone: P2 }, sentAt: NOW }, [row('phone', P, P), row('bsuid', U, P)]);
    expect(plan).toEqual({ key: P, absorb: [], current: [{ kind: 'phone', value: P2 }], retire: ['bsuid'], former: [] });
    // named with the change, the new BSUID is current at once
    const named = planIdentities({ ids: { phone: P, bsuid: U }, change: { type: 'user_changed_number', phone: P2, bsuid: U2 }, sentAt: NOW }, [row('phone', P, P), row('bsuid', U, P)]);
    expect(named).toEqual({ key: P, absorb: [], current: [{ kind: 'phone', value: P2 }, { kind: 'bsuid', value: U2 }], retire: [], former: [] });
  });

  it('a change for a customer never seen keeps their old ids as retired ones', () => {
    expect(planIdentities({ ids: { phone: P }, change: { type: 'user_changed_number', phone: P2 }, sentAt: NOW }, [])).toEqual({
      key: undefined, absorb: [], current: [{ kind: 'phone', value: P2 }], retire: ['bsuid'], former: [{ kind: 'phone', value: P }],
    });
  });

  it('after a number change, the new number with a new BSUID is the same customer (not a recycled number)', () => {
    const rows = [row('phone', P, P, { retiredAt: NOW }), row('bsuid', U, P, { retiredAt: NOW }), row('phone', P2, P)];
    expect(planIdentities({ ids: { phone: P2, bsuid: U2 }, sentAt: NOW }, rows)).toMatchObject({ key: P, absorb: [] });
  });

  it('user_changed_user_id: the new BSUID becomes current; a customer the new BSUID already made is merged in', () => {
    const rows = [row('phone', P, P, { firstSeenAt: T0 }), row('bsuid', U, P, { firstSeenAt: T0 }), row('bsuid', U2, U2, { firstSeenAt: NOW })];
    const plan = planIdentities({ ids: { bsuid: U }, change: { type: 'user_changed_user_id', bsuid: U2 }, sentAt: NOW }, rows);
    expect(plan).toEqual({ key: P, absorb: [U2], current: [{ kind: 'bsuid', value: U2 }], retire: [], former: [] });
  });

  it('a change whose old ids were never seen finds the customer by the new ones', () => {
    expect(planIdentities({ ids: { bsuid: U }, change: { type: 'user_changed_user_id', bsuid: U2 }, sentAt: NOW }, [row('bsuid', U2, 'K')]).key).toBe('K');
  });

  it('an older message does not bring back a number the customer has since changed away from', () => {
    const rows = [row('phone', P, P, { retiredAt: NOW }), row('phone', P2, P), row('bsuid', U, P)];
    const plan = planIdentities({ ids: { phone: P, bsuid: U, username: 'ana' }, sentAt: new Date(NOW.getTime() - 60_000) }, rows);
    expect(plan.key).toBe(P);
    expect(plan.current).toEqual([{ kind: 'bsuid', value: U }, { kind: 'username', value: 'ana' }]);
  });

  it('a Whapi linked id and number in one message join the customer of either', () => {
    expect(planIdentities({ ids: { lid: '204882146754671@lid', phone: P }, sentAt: NOW }, [row('lid', '204882146754671@lid', '204882146754671@lid')]).key).toBe('204882146754671@lid');
  });
});
