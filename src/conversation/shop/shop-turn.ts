import type { OutboundContent } from '../../whatsapp/types.ts';
import type { Entities, Intent } from '../keywords/classify.ts';
import type { ConversationMemory } from '../memory.ts';
import type { ShopAction } from './ids.ts';

// What one shop turn takes and gives, apart from the flows so that checkout (which flows calls) can
// name them without importing flows back.

export interface ShopSession {
  state: string;
  context: ConversationMemory;
}

export interface ShopTurn {
  phone: string;
  customerName: string | null;
  intent: Intent;
  entities: Entities;
  /** The tapped shop button or list row, if that is what the customer did. */
  action?: ShopAction;
  /** A WhatsApp catalogue order: SKUs (product_retailer_id) and quantities. */
  catalogueOrder?: { sku: string; quantity: number }[];
  /** The customer's words, for checkout answers (name, address). */
  text: string;
}

export interface ShopOutcome {
  replies: OutboundContent[];
  session: ShopSession;
  /** Orders placed by this turn (the caller sends payment links after commit). */
  placedOrderIds?: number[];
}
