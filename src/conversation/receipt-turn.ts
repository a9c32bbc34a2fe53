import { awaitsTransfer } from '../commerce/orders.ts';
import type { Queryable } from '../db/client.ts';
import { foldAccents } from '../lib/text.ts';
import type { OutboundContent } from '../whatsapp/types.ts';
import type { ShopSession } from './shop/flows.ts';
import { paymentToCheck, receiptReceived } from './texts.ts';
import type { CustomerTurn } from './turn.ts';

// A customer who paid by transfer sends the receipt: a screenshot or a PDF. The bot cannot check a
// transfer, so it says it got it and puts the chat in front of a person (a handoff that does not silence
// the bot). It is a receipt when the customer says so in a caption or words, or when they have an
// order waiting for a transfer. "Ya les pagué" in words goes to the same person, who checks the account.

const SAYS_RECEIPT = /\b(comprobante|soporte|recibo|voucher|constancia|pantallazo|captura|transferi|transferencia|consigne|consignacion|ya pague|pague|pago|deposite|deposito)\b/;

// "ya les pagué", "ya hice la transferencia": said in words, with an order waiting for a transfer
const SAYS_PAID = /\bya (les |le )?(pague|pagamos|transferi|consigne|deposite|hice (el pago|la transferencia|la consignacion)|envie (el pago|la plata))\b/;

export async function receiptTurn(db: Queryable, phone: string, burst: CustomerTurn[], session: ShopSession): Promise<{ replies: OutboundContent[] } | undefined> {
  if (session.state.startsWith('checkout:')) return undefined;
  const said = foldAccents(burst.map((t) => t.text ?? '').join(' ').toLowerCase());
  if (!burst.some((t) => t.kind === 'image' || t.kind === 'document')) {
    return SAYS_PAID.test(said) && (await awaitsTransfer(db, phone)) ? { replies: [paymentToCheck()] } : undefined;
  }
  if (SAYS_RECEIPT.test(said) || (await awaitsTransfer(db, phone))) return { replies: [receiptReceived()] };
  return undefined;
}
