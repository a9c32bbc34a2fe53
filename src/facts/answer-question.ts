import type { Queryable } from '../db/client.ts';
import { CONCEPTS } from './concepts.ts';
import { LISTING_SOURCE, listingFacts, listingPassages } from './listing-facts.ts';
import { namesConcept, questionParts } from './question.ts';
import { rankEntries, type RankedEntry } from './rank.ts';
import { matchPassages, type Passage } from './retrieve.ts';
import { PAYMENTS_SOURCE, paymentPassages, SHIPPING_SOURCE, shippingPassages, type PaymentSettings } from './system-facts.ts';

// A question about the business answered from what the business wrote down and from its settings, or
// not at all: an answer is given only when the match is confident, otherwise undefined and the caller
// says a person will answer. Nothing here is about any particular business: the concepts are Spanish,
// the facts are the business's.

export interface FactQuestionOptions {
  /** The checkout's payment settings (what is really taken). */
  payments: PaymentSettings;
  /** The rental listings the question is about (those just quoted to the guest). */
  listingIds?: readonly number[];
  listingSlugs?: readonly string[];
  /** Leave the shop's delivery and payment settings out (a rental host's question). Default: in. */
  shopFacts?: boolean;
}

export interface FactAnswer {
  text: string;
  /** Share of the question the answer matched (0–1). */
  confidence: number;
  /** Where it came from: source ('table', 'file', 'shipping', 'payments', 'listing') and topic. */
  sources: { source: string; topic: string }[];
}

const WRITTEN = new Set(['table', 'file']);

export async function answerFactQuestion(db: Queryable, text: string, opts: FactQuestionOptions): Promise<FactAnswer | undefined> {
  const listings = (await listingFacts(db, { ids: opts.listingIds, slugs: opts.listingSlugs })).flatMap(listingPassages);
  const shop = async () => (opts.shopFacts === false ? [] : [...(await shippingPassages(db)), ...paymentPassages(opts.payments)]);
  // the place being talked about first: "¿a qué hora se puede llegar?" after a quote is the check-in,
  // however well "listo en 24 horas" of a delivery option matches its words
  if (listings.length) return (await answerFrom(db, text, listings, opts)) ?? answerFrom(db, text, await shop(), opts);
  return answerFrom(db, text, await shop(), opts);
}

async function answerFrom(db: Queryable, text: string, extra: Passage[], opts: FactQuestionOptions): Promise<FactAnswer | undefined> {
  const parts = await questionParts(db, text, extra.map((p) => `${p.topic} ${p.content}`));
  if (!parts.some((p) => ['topic', 'detail', 'word'].includes(p.kind))) return undefined;
  const matches = await matchPassages(db, parts.map((p) => p.words), extra);

  // Between entries that match alike: the listing being talked about, then the business's own words,
  // then what its settings say. A question for the account to pay into is the settings' to answer:
  // the account number is configuration, not prose.
  const accountAsked = namesConcept(text, 'cuenta');
  const priority = (source: string) =>
    source === LISTING_SOURCE ? 2.5 : WRITTEN.has(source) ? 1.5 : source === PAYMENTS_SOURCE && accountAsked ? 3 : 0;
  const listed = new Set(extra.filter((p) => p.source === LISTING_SOURCE).map((p) => p.topic)).size;
  const entries = rankEntries(parts, matches, { priority, maxEntries: listed > 1 ? 3 : 2, filedOnly: (source) => source === SHIPPING_SOURCE || source === PAYMENTS_SOURCE });
  if (!entries.length) return undefined;
  return {
    text: entries.map((e) => say(e, extra)).join('\n'),
    confidence: Math.min(...entries.map((e) => e.coverage)),
    sources: entries.map(({ source, topic }) => ({ source, topic })),
  };
}

/** An entry as a reply: its matching sentences; a settings' list (deliveries, payments) whole. */
function say(e: RankedEntry, extra: readonly Passage[]): string {
  if (e.source === SHIPPING_SOURCE) {
    return `🚚 ${extra.filter((p) => p.source === SHIPPING_SOURCE).map((p) => `• ${p.content}`).join('\n')}`;
  }
  if (e.source === PAYMENTS_SOURCE) return extra.filter((p) => p.source === PAYMENTS_SOURCE && p.topic === e.topic).map((p) => p.content).join(' ');
  const said = e.passages.map((p) => p.content).join(' ');
  return e.source === LISTING_SOURCE ? `*${e.topic}*: ${said}` : said;
}

