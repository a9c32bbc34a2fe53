import fc from 'fast-check';
import {
  metaButtonReply, metaContactCard, metaContactsMessage, metaEnvelope, metaListReply, metaLocation, metaMedia, metaOrder, metaReaction,
  metaStatus, metaSystemNumberChange, metaTextMessage, metaUnsupported,
} from '../support/meta-payloads.ts';
import {
  personChat, whapiButtonsReply, whapiContact, whapiEnvelope, whapiListReply, whapiLocation, whapiMedia, whapiOrder, whapiPresence,
  whapiPresences, whapiReaction, whapiStatus, whapiStatuses, whapiTextMessage,
} from '../support/whapi-payloads.ts';

// Webhook bodies for the fuzz scenario: valid deliveries of every kind the providers send, then mutated
// (a field deleted, replaced by any JSON value, wrapped in an array, duplicated, the bytes cut short), so the
// fuzzing reaches past the first shape check into normalisation and the stages, alongside wholly generated
// JSON. `tag` goes into every message id, so a test can look for what a refused request must not have stored;
// `unique` then gives each request ids and a customer of its own (else most would be duplicates or rate-limited).

const from = '579999999999';
const ID_MARK = 'IDX';
let served = 0;

/** The raw body with fresh message ids (…IDX… → a counter) and one of 200 customers for its sender. */
export function unique(raw: string): string {
  const n = ++served;
  return raw.replaceAll(ID_MARK, `n${n}`).replaceAll(from, `5799999${String(n % 200).padStart(5, '0')}`);
}

export function metaSeeds(tag: string): unknown[] {
  const id = (n: number) => `wamid.${tag}.${ID_MARK}.${n}`;
  return [
    metaEnvelope([metaTextMessage({ from, id: id(1), body: 'hola, tienen camisas? 👕 ñandú \u00e9' , name: 'José Ñúñez' })]),
    metaEnvelope([metaButtonReply({ from, id: id(2), replyId: 'order:confirm:1', title: 'Confirmar' })]),
    metaEnvelope([metaListReply({ from, id: id(3), replyId: 'prod:SKU-1', title: 'Camisa', description: 'Algodón' })]),
    metaEnvelope([metaMedia({ from, id: id(4), type: 'image', mediaId: 'MEDIA1', mimeType: 'image/jpeg', caption: 'esta' })]),
    metaEnvelope([metaMedia({ from, id: id(5), type: 'audio', mediaId: 'MEDIA2', mimeType: 'audio/ogg; codecs=opus', voice: true })]),
    metaEnvelope([metaLocation({ from, id: id(6), latitude: 6.2442, longitude: -75.5812, name: 'Casa', address: 'Calle 10 # 43-20' })]),
    metaEnvelope([metaReaction({ from, id: id(7), messageId: 'wamid.out1', emoji: '👍' })]),
    metaEnvelope([metaOrder({ from, id: id(8), catalogId: 'CAT1', items: [{ sku: 'SKU-1', quantity: 2, price: 50000, currency: 'COP' }] })]),
    metaEnvelope([metaContactsMessage({ from, id: id(9), contacts: [metaContactCard('Ana María', '573001112233')] })]),
    metaEnvelope([metaUnsupported({ from, id: id(10) })]),
    metaEnvelope([metaSystemNumberChange({ from, id: id(11), newNumber: '573001234567', name: 'Ana' })]),
    metaEnvelope([], { statuses: [metaStatus({ id: id(12), status: 'failed', recipient: from, errors: [{ code: 131047, title: 'Re-engagement message' }] })] }),
    metaEnvelope([metaTextMessage({ from, id: id(13), body: 'uno' }), metaTextMessage({ from: '573001112233', id: id(14), body: 'dos' })]),
  ];
}

export function whapiSeeds(tag: string): unknown[] {
  const id = (n: number) => `${tag}-${ID_MARK}-${n}`;
  return [
    whapiEnvelope([whapiTextMessage({ id: id(1), from, name: 'José Ñúñez', body: 'hola, tienen camisas? 👕 ñandú' })]),
    whapiEnvelope([whapiButtonsReply({ id: id(2), from, buttonId: 'order:confirm:1', title: 'Confirmar' })]),
    whapiEnvelope([whapiListReply({ id: id(3), from, rowId: 'prod:SKU-1', title: 'Camisa' })]),
    whapiEnvelope([whapiMedia({ id: id(4), from, type: 'image', mediaId: 'jpeg-abc', mimeType: 'image/jpeg', caption: 'esta' })]),
    whapiEnvelope([whapiMedia({ id: id(5), from, type: 'voice', mediaId: 'oga-abc', mimeType: 'audio/ogg; codecs=opus', seconds: 4 })]),
    whapiEnvelope([whapiLocation({ id: id(6), from, latitude: 6.2442, longitude: -75.5812 })]),
    whapiEnvelope([whapiReaction({ id: id(7), from, target: 'out-1', emoji: '👍' })]),
    whapiEnvelope([whapiOrder({ id: id(8), from, orderId: 'ORD1', itemCount: 2, totalPrice: 100000, currency: 'COP' })]),
    whapiEnvelope([whapiContact({ id: id(9), from, contactName: 'Ana María', phone: '573001112233' })]),
    whapiEnvelope([whapiTextMessage({ id: id(10), from, body: 'eco', fromMe: true })]),
    whapiStatuses([whapiStatus({ id: id(11), status: 'failed', recipient: from, errors: [{ code: 470, message: 'outside the 24h window' }] })]),
    whapiPresences([whapiPresence(personChat(from), 'typing')]),
  ];
}

type Json = unknown;
type Op = { at: number; kind: 'delete' | 'replace' | 'wrap' | 'duplicate' | 'empty'; value: Json };

/** Every [container, key] in a JSON value, root excluded. */
function slots(v: Json, out: [Record<string, Json> | Json[], string | number][] = []) {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), slots(x, out)));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push([v as Record<string, Json>, k]), slots(x, out);
  return out;
}

function apply(seed: Json, ops: Op[]): Json {
  const doc = structuredClone(seed);
  for (const op of ops) {
    const all = slots(doc);
    if (!all.length) break;
    const [box, key] = all[op.at % all.length];
    const current = (box as Record<string | number, Json>)[key];
    if (op.kind === 'delete') Array.isArray(box) ? box.splice(key as number, 1) : delete (box as Record<string, Json>)[key as string];
    else if (op.kind === 'replace') (box as Record<string | number, Json>)[key] = op.value;
    else if (op.kind === 'wrap') (box as Record<string | number, Json>)[key] = [current];
    else if (op.kind === 'empty') (box as Record<string | number, Json>)[key] = Array.isArray(current) ? [] : typeof current === 'string' ? '' : current && typeof current === 'object' ? {} : null;
    else if (Array.isArray(box)) box.push(structuredClone(current));
    else (box as Record<string, Json>)[`${String(key)}_`] = structuredClone(current);
  }
  return doc;
}

const opArb: fc.Arbitrary<Op> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('delete', 'replace', 'wrap', 'duplicate', 'empty'),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, '', -1, 1e308, '9'.repeat(40), '../../etc/passwd', '\u0000', 'x'.repeat(5000))),
});

/**
 * The raw body of one webhook request: a mutated valid delivery (three in four), or any JSON at all; one in
 * ten cut short mid-way (no longer JSON). Pass it through `unique` before sending.
 */
export function webhookBody(seeds: unknown[]): fc.Arbitrary<string> {
  const mutated = fc.tuple(fc.nat({ max: seeds.length - 1 }), fc.array(opArb, { minLength: 0, maxLength: 4 })).map(([i, ops]) => apply(seeds[i], ops));
  const value = fc.oneof({ weight: 3, arbitrary: mutated }, { weight: 1, arbitrary: fc.jsonValue() });
  const cutAt = fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() });
  return fc.tuple(value, cutAt).map(([v, cut]) => {
    const raw = JSON.stringify(v) ?? 'null';
    return cut === null ? raw : raw.slice(0, cut % Math.max(1, raw.length));
  });
}
