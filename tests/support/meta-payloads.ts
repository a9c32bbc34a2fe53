// Webhook bodies exactly as Meta's WhatsApp Cloud API sends them, for tests to build on.

export const PHONE_NUMBER_ID_IN_PAYLOADS = '1098765432';
const now = () => String(Math.floor(Date.now() / 1000));

export interface MetaMessage {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  [part: string]: unknown;
}

export function metaTextMessage(o: { from: string; id: string; body: string; name?: string; timestamp?: string }): MetaMessage & { _name?: string } {
  return { from: o.from, id: o.id, timestamp: o.timestamp ?? now(), type: 'text', text: { body: o.body }, ...(o.name ? { _name: o.name } : {}) };
}

export function metaMessage(o: { from: string; id: string; type: string; timestamp?: string; [k: string]: unknown }): MetaMessage {
  return { timestamp: now(), ...o } as MetaMessage;
}

export function metaStatus(o: { id: string; status: string; recipient: string; timestamp?: string; errors?: { code: number; title: string }[] }) {
  return {
    id: o.id,
    status: o.status,
    timestamp: o.timestamp ?? now(),
    recipient_id: o.recipient,
    ...(o.status === 'sent' || o.status === 'delivered' ? { conversation: { id: 'CONV1', origin: { type: 'service' } }, pricing: { billable: true, pricing_model: 'CBP', category: 'service' } } : {}),
    ...(o.errors ? { errors: o.errors.map((e) => ({ ...e, message: e.title, error_data: { details: e.title } })) } : {}),
  };
}

/** The envelope: one entry, one change; contacts are derived from the messages' senders (a name may ride on `_name`). */
export function metaEnvelope(messages: (MetaMessage & { _name?: string })[], opts: { statuses?: unknown[]; contacts?: unknown[] } = {}) {
  const contacts = opts.contacts ?? [...new Map(messages.filter((m) => m.type !== 'system').map((m) => [m.from, { profile: { name: m._name ?? 'Cliente' }, wa_id: m.from }])).values()];
  const clean = messages.map(({ _name, ...m }) => m);
  return {
    object: 'whatsapp_business_account',
    entry: [{
      id: 'WABA_ID_1',
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '573000000000', phone_number_id: PHONE_NUMBER_ID_IN_PAYLOADS },
          ...(contacts.length ? { contacts } : {}),
          ...(clean.length ? { messages: clean } : {}),
          ...(opts.statuses?.length ? { statuses: opts.statuses } : {}),
        },
      }],
    }],
  };
}
