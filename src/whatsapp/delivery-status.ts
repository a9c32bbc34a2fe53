import type { DeliveryStatus, ProviderName, StatusUpdate } from './types.ts';
import { asInt32, asRecords, asString, compact, dateFromUnixSeconds, quote, storableCopy, type Json } from './read-json.ts';

export const DELIVERY_STATUSES: ReadonlySet<string> = new Set<string>(['sent', 'delivered', 'read', 'failed', 'played', 'deleted', 'pending'] satisfies DeliveryStatus[]);

/**
 * A provider's delivery status → StatusUpdate, or why it was skipped. Meta and Whapi agree on the
 * fields (`id`, `status`, `timestamp`, `errors[]`); they differ in how they write the recipient and
 * the error's text, which the caller reads.
 */
export function readDeliveryStatus(
  provider: ProviderName,
  s: Json | undefined,
  read: { recipient: (s: Json) => string | undefined; errorTitle: (error: Json | undefined) => string | undefined },
): StatusUpdate | { reason: string } {
  if (!s) return { reason: 'status is not an object' };
  const id = asString(s.id);
  const status = asString(s.status);
  if (!id || !status) return { reason: 'status without id or status' };
  if (!DELIVERY_STATUSES.has(status)) return { reason: `unknown status ${quote(status)}` };
  const error = asRecords(s.errors)[0];
  const update: StatusUpdate = {
    provider,
    providerMessageId: id,
    status: status as DeliveryStatus,
    at: dateFromUnixSeconds(s.timestamp),
    recipient: read.recipient(s),
    errorCode: asInt32(error?.code),
    errorTitle: read.errorTitle(error),
  };
  return storableCopy(compact(update));
}
