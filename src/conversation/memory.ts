import { z } from 'zod';

// What the conversation remembers between messages, kept in the session's context (PostgreSQL, cached in
// Redis). Every reader used to cast fields of an untyped record; now the record is read through one schema,
// field by field: a field that does not validate (an old shape after a deploy, a hand-edited row) is
// dropped and the conversation goes on without it, instead of a cast that lies to the code after it.

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const text = (max: number) => z.string().max(max);

/** A product the bot showed, as the customer may refer to it ("esa", "la segunda", "me la llevo"). */
const shownProduct = z.object({ sku: text(64), name: text(200) });
export type ShownProduct = z.infer<typeof shownProduct>;

/** A listing the bot quoted, for "¿cuánto sale el de Bocagrande?" and "¿tiene parqueadero?". */
const quotedListing = z.object({ slug: text(64), name: text(200) });
export type QuotedListing = z.infer<typeof quotedListing>;

const FIELDS = {
  /** How many messages this customer has sent us (0: a new guest). Survives the session's expiry. */
  turns: z.number().int().nonnegative(),
  lastMessageAt: z.string().max(40),
  /** Misunderstood bursts in a row (src/conversation/handoff.ts). */
  misunderstood: z.number().int().nonnegative(),
  /** The bot has said hello in this conversation: it does not greet again until the session expires. */
  greeted: z.boolean(),
  /** The options of the last reply that had any, for a typed "2" or an option's title (./options.ts). */
  lastOptions: z.array(z.object({ id: text(256), title: text(100) })).max(20),
  /** The products the last shop reply showed, in the order shown (a card is one). */
  shown: z.array(shownProduct).max(10),
  /** The product the talk is about: the last card shown or the last one added. "dame otra igual" means it. */
  focus: shownProduct,
  /** The product the last answer put in the cart: "me la llevo" right after it is not a second one. */
  justAdded: shownProduct,
  /** Checkout answers so far (./shop/checkout.ts). */
  checkout: z.object({
    offeredName: text(100).nullable().optional(),
    name: text(100).optional(),
    address: text(300).optional(),
    /** The address given had no city we know: the next answer is the city. */
    addressNeedsCity: z.boolean().optional(),
    shipping: text(32).optional(),
    payment: z.enum(['cash_on_delivery', 'bank_transfer', 'payment_link']).optional(),
    cartVersion: z.number().int().optional(),
  }),
  /** The last confirmed checkout, so a repeated "Confirmar" finds the same order. */
  lastCheckout: z.object({
    key: text(64),
    cartVersion: z.number().int(),
    details: z.object({ customerName: text(100), deliveryAddress: text(300), shippingCode: text(32), paymentMethod: z.enum(['cash_on_delivery', 'bank_transfer', 'payment_link']) }),
  }),
  /** The rental stay being asked about: dates, people, area (kept after the quote for follow-ups). */
  booking: z.object({
    checkIn: isoDate.optional(),
    checkOut: isoDate.optional(),
    nights: z.number().int().positive().optional(),
    guests: z.number().int().positive().optional(),
    area: z.object({ city: text(100), zone: text(100).optional() }).optional(),
  }),
  /** The listings the last rental answer offered or the guest picked, newest choice first. */
  quoted: z.array(quotedListing).max(10),
} as const;

type Fields = typeof FIELDS;
export type ConversationMemory = { -readonly [K in keyof Fields]?: z.infer<Fields[K]> };

/** The session's raw context read as memory: each valid field kept, each invalid one left out. */
export function readMemory(raw: unknown): ConversationMemory {
  const memory: Record<string, unknown> = {};
  if (!raw || typeof raw !== 'object') return memory;
  for (const [key, schema] of Object.entries(FIELDS)) {
    const value = (raw as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) memory[key] = parsed.data;
  }
  return memory as ConversationMemory;
}

/** The memory without some fields (a checkout ends, a quote is superseded). */
export function forget<K extends keyof ConversationMemory>(memory: ConversationMemory, ...keys: K[]): ConversationMemory {
  const rest = { ...memory };
  for (const k of keys) delete rest[k];
  return rest;
}
