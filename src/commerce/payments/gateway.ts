// A payment-link provider, as the shop needs it: make a link for an order, and read the provider's
// notifications. Cash on delivery and bank transfers need none of this.

export interface PaymentLinkRequest {
  orderNumber: number;
  /** In the shop's currency, to the cent. */
  amount: number;
  description: string;
}

export interface PaymentLink {
  /** The gateway's id for the link; its notifications name it. */
  id: string;
  /** Where the customer pays. */
  url: string;
}

/** One notification, checked and read. `eventId` is unique per (provider, change): replays repeat it. */
export interface PaymentEvent {
  eventId: string;
  linkId: string | null;
  status: 'paid' | 'declined' | 'pending' | 'other';
  amount: number;
  raw: unknown;
}

export type ParsedPaymentEvent = { ok: true; event: PaymentEvent } | { ok: false; status: 400 | 401; reason: string };

export interface PaymentGateway {
  readonly name: string;
  createLink: (request: PaymentLinkRequest) => Promise<PaymentLink>;
  /** Verifies the signature over what was received and reads the event; never throws. */
  parseEvent: (rawBody: Buffer, headers: Record<string, string | string[] | undefined>) => ParsedPaymentEvent;
}

export class PaymentGatewayError extends Error {
  readonly status?: number;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'PaymentGatewayError';
    this.status = status;
  }
}
