import type { ListSection, OutboundContent } from './types.ts';

// WhatsApp's limits for interactive messages (Cloud API reference). Past them the API refuses the
// message outright, so content is fitted before it is sent, never after a refusal.
export const LIMITS = {
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listRows: 10,
  rowTitle: 24,
  rowDescription: 72,
  listButton: 20,
  sectionTitle: 24,
  interactiveBody: 1024,
  header: 60,
  footer: 60,
  textBody: 4096,
} as const;

export function clip(text: string, max: number): string {
  const chars = [...text]; // by code point, so an emoji is never cut in half
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

/** Content valid for WhatsApp: clipped titles, and too many buttons become a list, too many rows become text. */
export function fitContent(content: OutboundContent): OutboundContent {
  switch (content.type) {
    case 'text':
      return { ...content, text: clip(content.text, LIMITS.textBody) };
    case 'template':
      return content;
    case 'buttons': {
      if (content.buttons.length > LIMITS.buttons) {
        return fitContent({ type: 'list', body: content.body, button: 'Ver opciones', header: content.header, footer: content.footer, sections: [{ rows: content.buttons }] });
      }
      if (content.buttons.length === 0) return { type: 'text', text: clip(content.body, LIMITS.textBody) };
      return {
        type: 'buttons',
        body: clip(content.body, LIMITS.interactiveBody),
        buttons: content.buttons.map((b) => ({ id: b.id.slice(0, LIMITS.buttonId), title: clip(b.title, LIMITS.buttonTitle) })),
        ...(content.header ? { header: clip(content.header, LIMITS.header) } : {}),
        ...(content.footer ? { footer: clip(content.footer, LIMITS.footer) } : {}),
      };
    }
    case 'list': {
      const rows = content.sections.reduce((n, s) => n + s.rows.length, 0);
      if (rows > LIMITS.listRows || rows === 0) return { type: 'text', text: clip(renderAsText(content), LIMITS.textBody) };
      const sections: ListSection[] = content.sections
        .filter((s) => s.rows.length)
        .map((s) => ({
          ...(s.title ? { title: clip(s.title, LIMITS.sectionTitle) } : {}),
          rows: s.rows.map((r) => ({
            id: r.id.slice(0, LIMITS.buttonId),
            title: clip(r.title, LIMITS.rowTitle),
            ...(r.description ? { description: clip(r.description, LIMITS.rowDescription) } : {}),
          })),
        }));
      // with several sections WhatsApp requires every section to have a title
      if (sections.length > 1) sections.forEach((s, i) => (s.title ??= `Opciones ${i + 1}`));
      return {
        type: 'list',
        body: clip(content.body, LIMITS.interactiveBody),
        button: clip(content.button, LIMITS.listButton),
        sections,
        ...(content.header ? { header: clip(content.header, LIMITS.header) } : {}),
        ...(content.footer ? { footer: clip(content.footer, LIMITS.footer) } : {}),
      };
    }
  }
}

/** The plain-text form, for providers or clients that show no buttons: numbered options the customer can type. */
export function renderAsText(content: OutboundContent): string {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'template':
      return content.name;
    case 'buttons':
    case 'list': {
      const options = content.type === 'buttons' ? content.buttons : content.sections.flatMap((s) => s.rows);
      const lines = options.map((o, i) => `${i + 1}. ${o.title}${'description' in o && o.description ? ` — ${o.description}` : ''}`);
      return [content.header, content.body, lines.join('\n'), content.footer].filter(Boolean).join('\n\n');
    }
  }
}
