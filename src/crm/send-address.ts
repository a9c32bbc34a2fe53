import type { Queryable } from '../db/client.ts';
import { isBusinessScopedId } from '../whatsapp/customer-ids.ts';
import { phoneDigits } from '../whatsapp/read-json.ts';

/** Where a reply to a customer goes: their current number when known, else their business-scoped id. */
export interface SendAddress {
  phone?: string;
  /** BSUID, or the parent BSUID when only that is known. */
  bsuid?: string;
}

/**
 * Read at send time, so a reply written before a number change goes to the new number. A chat key with no
 * ids on record (the operator's number told of handoffs, a row from before migration 016) is its own
 * address when it is a number or a business-scoped id.
 */
export async function sendAddressOf(db: Queryable, chatKey: string): Promise<SendAddress> {
  const rows = await db.unsafe<{ kind: string; value: string; current: boolean }[]>(
    `SELECT kind, value, retired_at IS NULL AS current FROM customer_identities WHERE customer_key = $1`,
    [chatKey],
    { prepare: true }, // once per reply sent
  );
  const current = (kind: string) => rows.find((r) => r.kind === kind && r.current)?.value;
  const phone = current('phone');
  const bsuid = current('bsuid') ?? current('parent_bsuid');
  // ids on record but none current to send to (the number went to someone else): nowhere, rather than
  // the key, which may be that number
  if (rows.length) return { phone, bsuid };
  const own = phoneDigits(chatKey);
  if (own) return { phone: own };
  return isBusinessScopedId(chatKey) ? { bsuid: chatKey } : {};
}
