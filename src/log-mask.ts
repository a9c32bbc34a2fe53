import { stdSerializers } from 'pino';

// Customers' numbers are personal data: a log line keeps the country code and the last three digits
// of any number it mentions, wherever it appears (a field, the message, an error's message or stack).

/** `573001234567` → `57…567`. */
export const maskPhone = (phone: string) => (phone.length > 6 ? `${phone.slice(0, 2)}…${phone.slice(-3)}` : '…');

// Fields that hold a phone number or a chat id whatever it looks like (Meta, Whapi and our own names).
const PHONE_KEYS = new Set([
  'chatId', 'chat_id', 'phone', 'phoneNumber', 'phone_number', 'customerPhone', 'customer_phone', 'to', 'from',
  'recipient', 'recipientId', 'recipient_id', 'waId', 'wa_id', 'contactId', 'contact_id',
  // business-scoped user ids (`US.1349…`) name a person as surely as a number does
  'userId', 'user_id', 'from_user_id', 'recipientUserId', 'recipient_user_id', 'bsuid', 'parentBsuid',
]);
// Other `…Id` fields are our own identifiers (BullMQ's job counter, request ids): never personal, and
// after ten million jobs a job id is a digit run as long as a phone number.
const ID_KEY = /(?:^id|Id|_id)$/;

// A phone number in free text: 8–15 digits, maybe with a leading + and single spaces between groups,
// not part of a longer digit run. Dates (dashes) and times (colons) do not match. In a phone field any
// run of 5 or more digits is masked (short test numbers, ids with a suffix such as @s.whatsapp.net).
const PHONE_IN_TEXT = /(?<!\d)\+?\d(?: ?\d){7,14}(?!\d)/g;
const DIGITS_IN_PHONE_FIELD = /\+?\d(?: ?\d){4,}/g;
const maskRun = (run: string) => maskPhone(run.replace(/[+ ]/g, ''));

export const maskPhonesInText = (text: string) => text.replace(PHONE_IN_TEXT, maskRun);

const MAX_DEPTH = 6;

function maskValue(key: string, value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      if (PHONE_KEYS.has(key)) return value.replace(DIGITS_IN_PHONE_FIELD, maskRun);
      return ID_KEY.test(key) ? value : maskPhonesInText(value);
    case 'number':
      // numeric ids stay readable; only a phone field holding a number is a phone
      return PHONE_KEYS.has(key) ? maskPhone(String(value)) : value;
    case 'object':
      if (value === null || depth >= MAX_DEPTH) return value;
      // an error becomes its serialised form here, so its message, stack and causes are masked too
      if (value instanceof Error) return maskObject({ ...stdSerializers.err(value) }, depth + 1);
      if (Array.isArray(value)) return maskArray(key, value, depth + 1);
      return isPlainObject(value) ? maskObject(value as Record<string, unknown>, depth + 1) : value;
    default:
      return value;
  }
}

function maskArray(key: string, values: unknown[], depth: number): unknown[] {
  let out: unknown[] | undefined;
  values.forEach((v, i) => {
    const masked = maskValue(key, v, depth);
    if (masked !== v) (out ??= values.slice())[i] = masked;
  });
  return out ?? values;
}

/** The object with every phone number masked; the same object when there was none (no copy, no garbage). */
export function maskObject(obj: Record<string, unknown>, depth = 0): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    const masked = maskValue(key, value, depth);
    if (masked !== value) (out ??= { ...obj })[key] = masked;
  }
  return out ?? obj;
}

/**
 * One serializer per phone field. pino runs serializers on child-logger bindings too (`log.child({ chatId })`),
 * which the log formatter never sees.
 */
export const phoneFieldSerializers: Record<string, (value: unknown) => unknown> = Object.fromEntries(
  [...PHONE_KEYS].map((key) => [key, (value: unknown) => maskValue(key, value, 0)]),
);

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
