import { asString } from './read-json.ts';
import type { CustomerIds } from './types.ts';

// The shapes of the ids WhatsApp names a customer by. A business-scoped user id (BSUID) is an ISO 3166
// alpha-2 country code, a period and up to 128 letters and digits (`US.13491208655302741918`); a parent
// BSUID, shared by linked business portfolios, has `ENT` in the middle (`US.ENT.11815799212886844830`).
// Both are kept exactly as Meta wrote them: Meta asks for them back byte for byte.

const BSUID = /^[A-Z]{2}\.[A-Za-z0-9]{1,128}$/;
const PARENT_BSUID = /^[A-Z]{2}\.ENT\.[A-Za-z0-9]{1,128}$/;
const LID = /^\d{1,30}@lid$/;

export const isBsuid = (v: string): boolean => BSUID.test(v);
export const isParentBsuid = (v: string): boolean => PARENT_BSUID.test(v);
/** Either kind: what Meta's `recipient` takes. */
export const isBusinessScopedId = (v: string): boolean => BSUID.test(v) || PARENT_BSUID.test(v);

export const asBsuid = (v: unknown): string | undefined => {
  const s = asString(v)?.trim();
  return s && isBsuid(s) ? s : undefined;
};
export const asParentBsuid = (v: unknown): string | undefined => {
  const s = asString(v)?.trim();
  return s && isParentBsuid(s) ? s : undefined;
};
/** Whapi's linked id: a chat address that hides the number (`204882146754671@lid`). */
export const asLid = (v: unknown): string | undefined => {
  const s = asString(v)?.trim();
  return s && LID.test(s) ? s : undefined;
};

/** A WhatsApp username, compared case-insensitively (`@Ana.Tienda` and `ana.tienda` are one username). */
export const asUsername = (v: unknown): string | undefined => {
  const s = asString(v)?.trim().replace(/^@/, '').toLowerCase();
  return s && s.length <= 64 ? s : undefined;
};

/** The ISO country code a business-scoped id starts with (`US.134…` → `US`). */
export const bsuidCountry = (v: string): string | undefined => (isBusinessScopedId(v) ? v.slice(0, 2) : undefined);

/** The ids with at least one that names a person (a username alone never does: usernames change hands). */
export function hasPersonId(ids: CustomerIds): boolean {
  return Boolean(ids.phone ?? ids.bsuid ?? ids.parentBsuid ?? ids.lid);
}

/** The chat key a brand-new customer would get from these ids, before intake checks it is free. */
export function provisionalKey(ids: CustomerIds): string | undefined {
  return ids.phone ?? ids.bsuid ?? ids.parentBsuid ?? ids.lid;
}

/** The WhatsApp chat address of a chat key: `573…@s.whatsapp.net` for a number; any other key is its own address. */
export const chatAddressOf = (key: string): string => (/^\d{6,15}$/.test(key) ? `${key}@s.whatsapp.net` : key);

/**
 * What a chat key looks like (src/crm/customer-keys.ts): a number, a (parent) BSUID or a Whapi linked id,
 * with a short suffix when a new customer's ids were all someone else's key once.
 */
export const CHAT_KEY = /^(\d{5,20}|[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}|\d{1,30}@lid)(-[0-9a-f]{8})?$/;
