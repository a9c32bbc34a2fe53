// The one internal shape every provider's webhook is normalised into, and the one shape every
// reply takes on its way out. Providers translate at the edge; nothing past it knows Meta from Whapi.

export type ProviderName = 'meta' | 'whapi' | 'sandbox';

export type InboundKind =
  | 'text'
  | 'interactive' // button_reply / list_reply (Meta), buttons_reply / list_reply (Whapi)
  | 'button' // Meta template quick-reply button
  | 'image'
  | 'video'
  | 'audio'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contacts'
  | 'reaction'
  | 'order'
  | 'system'
  | 'unsupported';

export interface MediaDetails {
  id?: string; // Meta media id (fetch with GET {graph}/{id})
  link?: string; // Whapi gives a direct link
  mimeType?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
  voice?: boolean;
}

/**
 * Every id a delivery names the customer by (DESIGN §7, 2026): a phone number (digits), a business-scoped
 * user id (`US.1349…`), the parent BSUID shared across linked businesses (`US.ENT.…`), a username, or
 * Whapi's linked id (`…@lid`). Any of them may be missing; a message carries at least one of the first
 * four. Intake resolves them to the customer's one chat key (src/crm/customer-keys.ts).
 */
export interface CustomerIds {
  phone?: string;
  bsuid?: string;
  parentBsuid?: string;
  username?: string;
  lid?: string;
}

/** A `system` message saying the customer's number or business-scoped id changed: the new ids. */
export interface IdentityChange {
  type: 'user_changed_number' | 'user_changed_user_id';
  phone?: string;
  bsuid?: string;
  parentBsuid?: string;
}

export interface InboundMessage {
  provider: ProviderName;
  providerMessageId: string;
  /**
   * The key of the chat everywhere downstream (sessions, carts, orders, history, rate limits). The
   * normalisers put the phone number (or, without one, another id) here; intake replaces it with the key
   * of the customer `sender` resolves to, so one customer keeps one key whatever ids later messages carry.
   */
  chatId: string;
  /** The ids the provider named the sender by. */
  sender?: CustomerIds;
  /** The sender's number or business-scoped id changed (a `system` message). */
  identityChange?: IdentityChange;
  /** Provider's own address for the chat when it differs from the number (Whapi `…@s.whatsapp.net`). */
  providerChatId?: string;
  customerName?: string;
  /** When the customer sent it (provider clock). */
  sentAt: Date;
  kind: InboundKind;
  /** The words the understanding reads: body, caption, button title, order note… */
  text?: string;
  /** Deterministic id of a tapped button or list row (interactive reply id, template button payload). */
  replyId?: string;
  /** The message this one quotes or reacts to. */
  contextMessageId?: string;
  /** Type-specific details: media, location, contacts, reaction, order items, system event. */
  details: Record<string, unknown>;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed' | 'played' | 'deleted' | 'pending';

export interface StatusUpdate {
  provider: ProviderName;
  /** Id the provider gave our outgoing message. */
  providerMessageId: string;
  status: DeliveryStatus;
  at: Date;
  recipient?: string;
  /** The recipient's phone number and business-scoped ids, when the provider names them. */
  recipientPhone?: string;
  recipientUserId?: string;
  recipientParentUserId?: string;
  errorCode?: number;
  errorTitle?: string;
  /** What Meta bills for the message (status `pricing`). */
  pricing?: MessagePricing;
}

/** A status's `pricing`: the category Meta bills the message under and whether it is billed. */
export interface MessagePricing {
  /** marketing, utility, authentication, authentication_international, service, marketing_lite, referral_conversion… */
  category: string;
  billable: boolean;
  /** PMP (per-message pricing) since July 2025; CBP before. */
  model?: string;
  /** regular, free_customer_service, free_entry_point */
  type?: string;
}

/** A customer stopped or resumed marketing messages in WhatsApp's settings (Meta's `user_preferences`). */
export interface MarketingPreference {
  provider: ProviderName;
  sender: CustomerIds;
  choice: 'stop' | 'resume';
  at: Date;
  detail?: string;
}

export interface PresenceUpdate {
  chatId: string;
  /** typing | recording | online | offline | paused … as the provider says it. */
  status: string;
}

/** Everything one webhook delivery carried, after walking every level of it. */
export interface NormalisedDelivery {
  messages: InboundMessage[];
  statuses: StatusUpdate[];
  presences: PresenceUpdate[];
  /** Marketing opt-outs and opt-ins from the customer's WhatsApp settings. */
  preferences: MarketingPreference[];
  /** Items we recognised as not for us (from_me, groups, unknown fields), with why: counted and logged. */
  skipped: { reason: string }[];
}

// ---- outgoing ----

export interface ReplyButton {
  id: string;
  title: string;
}
export interface ListRow {
  id: string;
  title: string;
  description?: string;
}
export interface ListSection {
  title?: string;
  rows: ListRow[];
}

export type OutboundContent =
  | { type: 'text'; text: string; previewUrl?: boolean }
  | { type: 'buttons'; body: string; buttons: ReplyButton[]; header?: string; footer?: string }
  | { type: 'list'; body: string; button: string; sections: ListSection[]; header?: string; footer?: string }
  // `category` as the template was approved: an authentication template can only go to a phone number
  | { type: 'template'; name: string; language: string; components?: unknown[]; category?: 'marketing' | 'utility' | 'authentication' };

/**
 * Where a reply goes: the phone number when the customer's is known, else the business-scoped id (Meta
 * takes it in `recipient`, never in `to`). Whapi addresses the chat by `providerChatId`.
 */
export interface OutboundMessage {
  /** The customer's number, digits only. */
  to?: string;
  /** The customer's business-scoped user id (or parent BSUID), for a customer whose number is not known. */
  recipient?: string;
  providerChatId?: string;
  content: OutboundContent;
  /** Provider message id of the customer message this answers (shown as a quote when wanted). */
  replyToMessageId?: string;
}

export interface SendResult {
  providerMessageId: string;
}
