import type { CustomerIds, IdentityChange } from '../whatsapp/types.ts';

// Which customer a set of ids belongs to, decided from what customer_identities already says (a pure
// function: src/crm/customer-keys.ts reads the rows under lock and writes what this decides). The rules:
//
// 1. The business-scoped id decides: the customer holding the message's BSUID (or parent BSUID) is the sender.
// 2. A BSUID seen for the first time joins the customer holding the message's number (or Whapi linked id),
//    unless that customer already has a different current BSUID: then the number changed hands (a recycled
//    number), the sender is someone new, and the number moves to them.
// 3. Without a BSUID (older payloads, Whapi), the number, then the linked id, decides.
// 4. Two customers one message shows to be one person (one held the number and no BSUID, the other the
//    BSUID) are merged; the one seen first keeps its key, so most of the data stays where it is.
// 5. A username never decides: usernames change hands. It follows whoever sent it.
// 6. `user_changed_number` / `user_changed_user_id`: the new number or BSUID becomes the customer's current
//    one, the old one is kept as retired (recognised, never sent to). WhatsApp gives a user a new BSUID
//    when they change number; a number change that does not name it retires the old BSUID too, so the new
//    one arriving later with the new number joins this customer (rule 2 would otherwise take it for a
//    recycled number).

export type IdentityKind = 'phone' | 'bsuid' | 'parent_bsuid' | 'username' | 'lid';

export interface IdPair {
  kind: IdentityKind;
  value: string;
}

export interface IdentityRow extends IdPair {
  customerKey: string;
  retiredAt: Date | null;
  firstSeenAt: Date;
}

/** What one delivery item says about its sender. */
export interface Sighting {
  ids: CustomerIds;
  /** The customer's number or BSUID changed (a system message not seen before). */
  change?: IdentityChange;
  /** When the customer sent it: an id retired after this is not brought back by an older message. */
  sentAt: Date;
}

export interface IdentityPlan {
  /** The customer's key; undefined: a new customer. */
  key?: string;
  /** Other customers shown to be the same person, to merge into `key`. */
  absorb: string[];
  /** Ids to make the customer's current ones (taken from whoever held them; the customer's others of that kind retire). */
  current: IdPair[];
  /** Kinds of which the customer keeps no current id (a number change may come with a new BSUID, not yet named). */
  retire: IdentityKind[];
  /** The old ids a change replaced that nobody holds yet: kept as the customer's retired ones. */
  former: IdPair[];
}

const FIELDS: [keyof CustomerIds, IdentityKind][] = [
  ['phone', 'phone'], ['bsuid', 'bsuid'], ['parentBsuid', 'parent_bsuid'], ['lid', 'lid'], ['username', 'username'],
];

/** The ids as (kind, value) pairs. */
export function pairsOf(ids: CustomerIds | IdentityChange | undefined): IdPair[] {
  if (!ids) return [];
  const out: IdPair[] = [];
  for (const [field, kind] of FIELDS) {
    const value = (ids as CustomerIds)[field];
    if (value) out.push({ kind, value });
  }
  return out;
}

/** Every id a sighting names, old and new. */
export const sightingPairs = (s: Sighting): IdPair[] => [...pairsOf(s.ids), ...pairsOf(s.change)];

export function planIdentities(s: Sighting, rows: IdentityRow[]): IdentityPlan {
  const { ids, change } = s;
  const holder = (kind: IdentityKind, value: string | undefined) => (value ? rows.find((r) => r.kind === kind && r.value === value)?.customerKey : undefined);
  // the person's BSUIDs (the old and the new one, across a change); a customer whose current BSUID is
  // another is someone else
  const bsuids = new Set([ids.bsuid, change?.bsuid].filter((b): b is string => b !== undefined));
  const samePerson = (key: string | undefined) => {
    if (key === undefined) return undefined;
    const theirs = rows.find((r) => r.customerKey === key && r.kind === 'bsuid' && r.retiredAt === null)?.value;
    return theirs === undefined || bsuids.size === 0 || bsuids.has(theirs) ? key : undefined;
  };

  const customer =
    holder('bsuid', ids.bsuid) ?? holder('parent_bsuid', ids.parentBsuid) ??
    samePerson(holder('phone', ids.phone)) ?? samePerson(holder('lid', ids.lid)) ??
    // a change whose old ids we never saw, but whose new ones wrote already
    holder('bsuid', change?.bsuid) ?? holder('parent_bsuid', change?.parentBsuid) ?? samePerson(holder('phone', change?.phone));

  const together = new Set<string>(customer ? [customer] : []);
  if (customer) {
    for (const [kind, value] of [
      ['bsuid', ids.bsuid], ['parent_bsuid', ids.parentBsuid], ['phone', ids.phone], ['lid', ids.lid],
      ['bsuid', change?.bsuid], ['parent_bsuid', change?.parentBsuid], ['phone', change?.phone],
    ] as [IdentityKind, string | undefined][]) {
      const other = samePerson(holder(kind, value));
      if (other) together.add(other);
    }
  }
  // the one seen first keeps its key
  const firstSeen = (key: string) => Math.min(...rows.filter((r) => r.customerKey === key).map((r) => r.firstSeenAt.getTime()));
  const [key, ...absorb] = [...together].sort((a, b) => firstSeen(a) - firstSeen(b) || (a < b ? -1 : 1));

  // the change's new ids replace the message's old ones of the same kind
  const replaced = new Set(pairsOf(change).map((p) => p.kind));
  const retire: IdentityKind[] = change?.type === 'user_changed_number' && !change.bsuid ? ['bsuid'] : [];
  for (const kind of retire) replaced.add(kind);
  const current = [...pairsOf(ids).filter((p) => !replaced.has(p.kind)), ...pairsOf(change)].filter((p) => {
    // an older message does not bring back an id the customer has since moved away from
    const row = rows.find((r) => r.kind === p.kind && r.value === p.value);
    return !(row?.retiredAt && together.has(row.customerKey) && row.retiredAt.getTime() > s.sentAt.getTime());
  });
  const former = pairsOf(ids).filter((p) => replaced.has(p.kind) && !holder(p.kind, p.value) && !current.some((c) => c.kind === p.kind && c.value === p.value));
  return { key, absorb, current, retire, former };
}
