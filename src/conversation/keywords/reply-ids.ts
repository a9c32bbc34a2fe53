import { isIntent } from './intents.ts';
import type { Intent } from './intents.ts';

// Buttons and list rows the app sends carry ids; a tap is an unambiguous choice, so it maps straight
// to an intent without reading any text.
const REPLY_IDS: Readonly<Record<string, Intent>> = {
  menu: 'help',
  help: 'help',
  'menu:help': 'help',
  'menu:catalogue': 'browse_categories',
  'menu:cart': 'view_cart',
  'menu:agent': 'human_agent',
  'cart:checkout': 'checkout',
  'cart:clear': 'clear_cart',
};

/** The intent a button or list-row id stands for: the app's fixed ids, or any `intent:<name>`. */
export function intentFromReplyId(id: string): Intent | undefined {
  if (Object.hasOwn(REPLY_IDS, id)) return REPLY_IDS[id];
  if (id.startsWith('intent:')) {
    const name = id.slice('intent:'.length);
    return isIntent(name) ? name : undefined;
  }
  return undefined;
}
