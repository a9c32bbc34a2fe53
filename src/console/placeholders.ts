// What a customer message that is not plain text shows in the console: a placeholder in Spanish for the
// media, pin, card or reaction, with whatever words came with it (caption, transcript) kept beside it.

type Details = Record<string, unknown>;
const rec = (v: unknown): Details => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Details) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

/** The placeholder for a message of this kind, or undefined for text and taps (their words say it all). */
export function inboundPlaceholder(kind: string, details: Details): string | undefined {
  const media = rec(details.media);
  switch (kind) {
    case 'text':
    case 'interactive':
    case 'button':
      return undefined;
    case 'image':
      return 'Imagen';
    case 'video':
      return 'Video';
    case 'audio':
      return media.voice === false ? 'Audio' : 'Nota de voz';
    case 'document':
      return str(media.filename) ? `Documento: ${str(media.filename)}` : 'Documento';
    case 'sticker':
      return 'Sticker';
    case 'location': {
      const l = rec(details.location);
      return typeof l.latitude === 'number' && typeof l.longitude === 'number' ? `Ubicación (${l.latitude}, ${l.longitude})` : 'Ubicación';
    }
    case 'contacts': {
      const n = Array.isArray(details.contacts) ? details.contacts.length : 0;
      return n > 1 ? `${n} contactos` : 'Contacto';
    }
    case 'reaction': {
      const emoji = str(rec(details.reaction).emoji);
      return emoji ? `Reaccionó ${emoji}` : 'Quitó su reacción';
    }
    case 'order': {
      const items = rec(details.order).items;
      const n = Array.isArray(items) ? items.length : 0;
      return `Pedido del catálogo de WhatsApp (${n} ${n === 1 ? 'producto' : 'productos'})`;
    }
    case 'system':
      return str(rec(details.system).body) ? `Aviso de WhatsApp: ${str(rec(details.system).body)}` : 'Aviso de WhatsApp';
    default:
      return 'Mensaje que WhatsApp no deja leer a la API';
  }
}
