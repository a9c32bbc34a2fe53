// The sixteen intents of DESIGN §3: the names every reader of an understanding agrees on.

export const INTENTS = [
  'greeting', 'goodbye', 'thanks', 'help', 'browse_categories', 'search_products', 'add_to_cart', 'view_cart',
  'remove_from_cart', 'clear_cart', 'checkout', 'order_status', 'booking_inquiry', 'human_agent', 'opt_out', 'unknown',
] as const;

export type Intent = (typeof INTENTS)[number];

export const isIntent = (name: string): name is Intent => (INTENTS as readonly string[]).includes(name);

