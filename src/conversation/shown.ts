import type { OutboundContent } from '../whatsapp/types.ts';
import { bookingActionOf } from '../bookings/booking-ids.ts';
import type { ConversationMemory, QuotedListing, ShownProduct } from './memory.ts';
import { forget } from './memory.ts';
import { shopActionOf } from './shop/ids.ts';

// What a reply showed the customer, read back from the reply itself: every product the shop shows carries
// its SKU in a button or row id (a card's "Agregar", a list's rows, the cart's lines), so this stays true
// whoever built the reply. Kept in the session for the next message: "la segunda", "me la llevo", "esa".

/** The products a reply showed, in the order the customer saw them (the last reply that showed any). */
export function productsShownIn(replies: OutboundContent[]): ShownProduct[] | undefined {
  for (const r of [...replies].reverse()) {
    const shown: ShownProduct[] = [];
    const note = (id: string, title: string) => {
      const a = shopActionOf(id);
      const sku = a && (a.do === 'product' || a.do === 'add' || a.do === 'line' || a.do === 'remove') ? a.sku : undefined;
      if (sku && !shown.some((s) => s.sku === sku)) shown.push({ sku, name: title });
    };
    if (r.type === 'buttons') {
      // a product card: its name is the bold first line, its one product id the "Agregar" button
      const name = /^\*(.+)\*$/m.exec(r.body)?.[1];
      if (name) for (const b of r.buttons) note(b.id, name);
    }
    if (r.type === 'list') for (const s of r.sections) for (const row of s.rows) note(row.id, row.title);
    if (shown.length) return shown.slice(0, 10);
  }
  return undefined;
}

/**
 * The memory after a reply: what it showed becomes what "esa" and "la segunda" mean. One product shown is
 * the talk's focus; a list of several leaves no single focus (then "me la llevo" asks which). A reply that
 * showed no products (a confirmation, a question) leaves both as the flow set them.
 */
export function rememberShown(memory: ConversationMemory, replies: OutboundContent[]): ConversationMemory {
  const shown = productsShownIn(replies);
  if (!shown) return memory;
  const rest = forget(memory, 'focus');
  return shown.length === 1 ? { ...rest, shown, focus: shown[0] } : { ...rest, shown };
}

/** The listings a rental answer offered (its rows and buttons carry their slugs), in the order shown. */
export function listingsShownIn(replies: OutboundContent[]): QuotedListing[] | undefined {
  const quoted: QuotedListing[] = [];
  for (const r of replies) {
    const options = r.type === 'list' ? r.sections.flatMap((s) => s.rows) : r.type === 'buttons' ? r.buttons : [];
    for (const o of options) {
      const a = bookingActionOf(o.id);
      if (a?.do === 'pick' && !quoted.some((q) => q.slug === a.slug)) quoted.push({ slug: a.slug, name: o.title });
    }
  }
  return quoted.length ? quoted.slice(0, 10) : undefined;
}
