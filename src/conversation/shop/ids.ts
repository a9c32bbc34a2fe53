// Ids carried by the shop's buttons and list rows. A tap comes back with its id, so a choice is never
// re-read from words. Each id is short (WhatsApp allows 256 characters) and says what to do.

export type ShopAction =
  | { do: 'category'; slug: string; page: number }
  | { do: 'product'; sku: string }
  | { do: 'add'; sku: string; quantity: number }
  | { do: 'decrease'; sku: string; by?: number }
  | { do: 'remove'; sku: string }
  | { do: 'line'; sku: string }
  | { do: 'ship'; code: string }
  | { do: 'pay'; method: string }
  | { do: 'confirm'; cartVersion: number }
  | { do: 'cancel' }
  | { do: 'use_name' };

export const ids = {
  category: (slug: string, page = 0) => `cat:${slug}:${page}`,
  product: (sku: string) => `prod:${sku}`,
  add: (sku: string, quantity = 1) => `add:${quantity}:${sku}`,
  /** Take units off a line (one unless `by` says more): "quita una", the "Uno menos" button. */
  decrease: (sku: string, by = 1) => (by === 1 ? `dec:${sku}` : `dec:${by}:${sku}`),
  remove: (sku: string) => `rm:${sku}`,
  line: (sku: string) => `line:${sku}`,
  ship: (code: string) => `ship:${code}`,
  pay: (method: string) => `pay:${method}`,
  confirm: (cartVersion: number) => `order:confirm:${cartVersion}`,
  cancel: () => 'order:cancel',
  useName: () => 'co:name',
};

/** The shop action a tapped id stands for, or undefined for ids that are not the shop's. */
export function shopActionOf(id: string | null | undefined): ShopAction | undefined {
  if (!id) return undefined;
  const [head, ...rest] = id.split(':');
  const tail = rest.join(':');
  switch (head) {
    case 'cat': {
      const m = /^(.+):(\d{1,4})$/.exec(tail);
      return m ? { do: 'category', slug: m[1], page: Number(m[2]) } : undefined;
    }
    case 'prod': return tail ? { do: 'product', sku: tail } : undefined;
    case 'add': {
      const m = /^(\d{1,3}):(.+)$/.exec(tail);
      return m ? { do: 'add', quantity: Number(m[1]), sku: m[2] } : undefined;
    }
    case 'dec': {
      const m = /^(\d{1,2}):(.+)$/.exec(tail);
      if (m) return { do: 'decrease', by: Number(m[1]), sku: m[2] };
      return tail ? { do: 'decrease', sku: tail } : undefined;
    }
    case 'rm': return tail ? { do: 'remove', sku: tail } : undefined;
    case 'line': return tail ? { do: 'line', sku: tail } : undefined;
    case 'ship': return tail ? { do: 'ship', code: tail } : undefined;
    case 'pay': return tail ? { do: 'pay', method: tail } : undefined;
    case 'order':
      if (tail === 'cancel') return { do: 'cancel' };
      return /^confirm:\d+$/.test(tail) ? { do: 'confirm', cartVersion: Number(tail.split(':')[1]) } : undefined;
    case 'co': return tail === 'name' ? { do: 'use_name' } : undefined;
    default: return undefined;
  }
}
