import type { ListRow, ListSection, OutboundContent } from './types.ts';

// WhatsApp's limits for messages (Cloud API reference). Past them the API refuses the whole message,
// so content is fitted before it is sent, never after a refusal. Lengths are counted in UTF-16 units
// (JavaScript's .length): never less than the characters WhatsApp counts, so a fitted text always fits.
export const MAX_REPLY_BUTTONS = 3;
export const MAX_BUTTON_TITLE = 20;
export const MAX_BUTTON_ID = 256;
/** Rows in all sections of one list together. */
export const MAX_LIST_ROWS = 10;
export const MAX_ROW_TITLE = 24;
export const MAX_ROW_DESCRIPTION = 72;
export const MAX_ROW_ID = 200;
export const MAX_LIST_BUTTON = 20;
export const MAX_SECTION_TITLE = 24;
export const MAX_INTERACTIVE_BODY = 1024;
export const MAX_HEADER = 60;
export const MAX_FOOTER = 60;
export const MAX_TEXT_BODY = 4096;

/** Label of the button that opens a list made from too many reply buttons (the customer reads Spanish). */
export const DEFAULT_LIST_BUTTON = 'Ver opciones';
/** Title for untitled sections of a list with several sections: WhatsApp then requires one on each. */
export const DEFAULT_SECTION_TITLE = 'Más opciones';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` in at most `max` UTF-16 units, cut between whole characters (an emoji is never split), ending in `mark` when cut. */
export function clip(text: string, max: number, mark = '…'): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length + mark.length > max) break;
    kept += segment;
  }
  return (mark ? kept.trimEnd() : kept) + mark;
}

/** Ids are cut, never marked: an id only has to be unique and stable, and the caller's ids should fit anyway. */
const cutId = (id: string, max: number) => clip(id, max, '');

const isBlank = (s: string | undefined) => !s || s.trim() === '';

/** Header and footer are optional: a blank one is dropped, a long one clipped. */
function frame(c: { header?: string; footer?: string }): { header?: string; footer?: string } {
  return {
    ...(isBlank(c.header) ? {} : { header: clip(c.header!, MAX_HEADER) }),
    ...(isBlank(c.footer) ? {} : { footer: clip(c.footer!, MAX_FOOTER) }),
  };
}

/** The numbered-text form, as content: for anything WhatsApp would refuse as interactive. */
const asText = (content: OutboundContent): OutboundContent => ({ type: 'text', text: clip(renderAsText(content), MAX_TEXT_BODY) });

/**
 * Content WhatsApp accepts: long texts clipped with "…", ids cut, and content that cannot be
 * interactive becomes something that can be sent: more than 3 buttons a list, more than 10 rows
 * (or no options, or no body) numbered plain text the customer can answer by typing.
 */
export function fitContent(content: OutboundContent): OutboundContent {
  switch (content.type) {
    case 'text':
      return { ...content, text: clip(content.text, MAX_TEXT_BODY) };
    case 'template':
      return content; // its text lives in the approved template on Meta's side
    case 'buttons':
      if (content.buttons.length > MAX_REPLY_BUTTONS) {
        const { header, footer } = content;
        return fitContent({ type: 'list', body: content.body, button: DEFAULT_LIST_BUTTON, header, footer, sections: [{ rows: content.buttons }] });
      }
      if (content.buttons.length === 0 || isBlank(content.body)) return asText(content);
      return {
        type: 'buttons',
        body: clip(content.body, MAX_INTERACTIVE_BODY),
        buttons: content.buttons.map((b) => ({ id: cutId(b.id, MAX_BUTTON_ID), title: clip(b.title, MAX_BUTTON_TITLE) })),
        ...frame(content),
      };
    case 'list': {
      const sections = content.sections.filter((s) => s.rows.length > 0);
      const rows = sections.reduce((n, s) => n + s.rows.length, 0);
      if (rows === 0 || rows > MAX_LIST_ROWS || isBlank(content.body)) return asText(content);
      return {
        type: 'list',
        body: clip(content.body, MAX_INTERACTIVE_BODY),
        button: isBlank(content.button) ? DEFAULT_LIST_BUTTON : clip(content.button, MAX_LIST_BUTTON),
        sections: fitSections(sections),
        ...frame(content),
      };
    }
  }
}

function fitSections(sections: ListSection[]): ListSection[] {
  const fitRow = (r: ListRow): ListRow => ({
    id: cutId(r.id, MAX_ROW_ID),
    title: clip(r.title, MAX_ROW_TITLE),
    ...(isBlank(r.description) ? {} : { description: clip(r.description!, MAX_ROW_DESCRIPTION) }),
  });
  // Several sections need a title each. When none has one there is no grouping worth keeping: one section.
  if (sections.length > 1 && sections.every((s) => isBlank(s.title))) sections = [{ rows: sections.flatMap((s) => s.rows) }];
  const titled = sections.length > 1;
  return sections.map((s) => {
    const title = isBlank(s.title) ? (titled ? DEFAULT_SECTION_TITLE : undefined) : s.title!;
    return { ...(title === undefined ? {} : { title: clip(title, MAX_SECTION_TITLE) }), rows: s.rows.map(fitRow) };
  });
}

/**
 * The plain-text form, for providers or clients that show no buttons: header, body, the options
 * numbered so the customer can answer with a number or the words ("1. Title — description"), footer.
 */
export function renderAsText(content: OutboundContent): string {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'template':
      // A template's words are stored at Meta; only its name is known here (a debugging aid, not a message).
      return `[template ${content.name} (${content.language})]`;
    case 'buttons':
    case 'list': {
      const groups: { title?: string; rows: ListRow[] }[] = content.type === 'buttons' ? [{ rows: content.buttons }] : content.sections;
      // Section titles help only when there are groups to tell apart.
      const showTitles = groups.filter((g) => g.rows.length > 0).length > 1;
      let n = 0;
      const lines: string[] = [];
      for (const g of groups) {
        if (g.rows.length === 0) continue;
        if (showTitles && !isBlank(g.title)) lines.push(`*${g.title!.trim()}*`);
        for (const o of g.rows) lines.push(`${++n}. ${o.title}${isBlank(o.description) ? '' : ` — ${o.description}`}`);
      }
      return [content.header, content.body, lines.join('\n'), content.footer].filter((part) => !isBlank(part)).join('\n\n');
    }
  }
}
