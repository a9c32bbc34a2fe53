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

export interface InboundMessage {
  provider: ProviderName;
  providerMessageId: string;
  /** The customer's WhatsApp number, digits only: the key of the chat everywhere downstream. */
  chatId: string;
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
  errorCode?: number;
  errorTitle?: string;
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
  | { type: 'template'; name: string; language: string; components?: unknown[] };

export interface OutboundMessage {
  /** Customer number, digits only. */
  to: string;
  providerChatId?: string;
  content: OutboundContent;
  /** Provider message id of the customer message this answers (shown as a quote when wanted). */
  replyToMessageId?: string;
}

export interface SendResult {
  providerMessageId: string;
}
