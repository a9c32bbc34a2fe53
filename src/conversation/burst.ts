import type { HandoffReason } from '../crm/handoffs.ts';
import type { CheckoutSettings } from './shop/checkout.ts';
import type { ShopSession } from './shop/flows.ts';
import type { TurnOutcome } from './turn.ts';
import type { Understanding } from './understand.ts';
import type { ShownProduct } from './memory.ts';

// What answering one burst takes and gives: shared by handle-burst and the turns it delegates to
// (facts-turn), so neither has to import the other for its types.

export interface BurstContext {
  phone: string;
  session: ShopSession;
  /** Messages this customer sent before this burst (0: a new guest). */
  previousTurns: number;
  understanding?: Understanding;
  checkout: CheckoutSettings;
  /** The product the previous answer put in the cart (see memory.justAdded). */
  justAdded?: ShownProduct;
}

export interface BurstResult {
  outcome: TurnOutcome;
  session: ShopSession;
  intent: string;
  source: string;
  placedOrderIds: number[];
  /** Words nothing made sense of: no flow took them, no AI reply, so the customer got "no entendí". */
  misunderstood?: boolean;
  /** A person should see this chat, for this reason (src/conversation/handoff.ts opens it). */
  handoff?: HandoffReason;
}
