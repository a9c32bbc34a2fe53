import { describe, expect, it } from 'vitest';
import {
  clip,
  DEFAULT_LIST_BUTTON,
  DEFAULT_SECTION_TITLE,
  fitContent,
  MAX_BUTTON_ID,
  MAX_BUTTON_TITLE,
  MAX_FOOTER,
  MAX_HEADER,
  MAX_INTERACTIVE_BODY,
  MAX_LIST_BUTTON,
  MAX_ROW_DESCRIPTION,
  MAX_ROW_ID,
  MAX_ROW_TITLE,
  MAX_SECTION_TITLE,
  MAX_TEXT_BODY,
  renderAsText,
} from '../../src/whatsapp/limits.ts';
import type { OutboundContent } from '../../src/whatsapp/types.ts';

const rows = (k: number) => Array.from({ length: k }, (_, i) => ({ id: `r${i + 1}`, title: `Opción ${i + 1}` }));

describe('clip', () => {
  it('leaves text that fits alone and cuts the rest to the limit with an ellipsis', () => {
    expect(clip('Ver catálogo', 20)).toBe('Ver catálogo');
    expect(clip('x'.repeat(20), 20)).toBe('x'.repeat(20));
    expect(clip('Zapatos deportivos negros talla 42', 20)).toBe('Zapatos deportivos…');
    expect(clip('abcdefghijklmnopqrstu', 20)).toBe('abcdefghijklmnopqrs…');
    expect(clip('abcdefghijklmnopqrstu', 20)).toHaveLength(20);
  });

  it('never splits an emoji, even one made of several code points', () => {
    const family = '👨‍👩‍👧'; // 8 UTF-16 units, one character on screen
    const cut = clip(`abcdefghijklmno${family}xyz`, 20);
    expect(cut).toBe('abcdefghijklmno…');
    expect(clip(`${'a'.repeat(10)}🛒🛒🛒🛒🛒`, 16)).toBe(`${'a'.repeat(10)}🛒🛒…`);
    for (const s of [cut, clip('🙂'.repeat(30), 20)]) expect(s.isWellFormed()).toBe(true);
    expect(clip('🙂'.repeat(30), 20).length).toBeLessThanOrEqual(20);
  });
});

describe('fitContent', () => {
  it('clips a text message to 4,096 characters', () => {
    const fitted = fitContent({ type: 'text', text: 'a'.repeat(5000), previewUrl: true });
    expect(fitted).toEqual({ type: 'text', text: 'a'.repeat(MAX_TEXT_BODY - 1) + '…', previewUrl: true });
  });

  it('leaves content that already fits exactly as it was', () => {
    const ok: OutboundContent = { type: 'buttons', body: 'Hola', buttons: [{ id: 'a', title: 'Sí' }, { id: 'b', title: 'No' }], header: 'Pedido', footer: 'Tienda' };
    expect(fitContent(ok)).toEqual(ok);
    const list: OutboundContent = { type: 'list', body: 'Elige', button: 'Ver', sections: [{ title: 'Ropa', rows: [{ id: 'x', title: 'Camisa', description: 'Algodón' }] }] };
    expect(fitContent(list)).toEqual(list);
    const template: OutboundContent = { type: 'template', name: 'pedido_listo', language: 'es', components: [{ type: 'body', parameters: [] }] };
    expect(fitContent(template)).toBe(template);
  });

  it('clips every part of a buttons message and cuts long ids without a mark', () => {
    const fitted = fitContent({
      type: 'buttons',
      body: 'b'.repeat(2000),
      header: 'h'.repeat(100),
      footer: 'f'.repeat(100),
      buttons: [{ id: 'i'.repeat(300), title: 'Hablar con un asesor humano' }],
    });
    expect(fitted).toEqual({
      type: 'buttons',
      body: 'b'.repeat(MAX_INTERACTIVE_BODY - 1) + '…',
      header: 'h'.repeat(MAX_HEADER - 1) + '…',
      footer: 'f'.repeat(MAX_FOOTER - 1) + '…',
      buttons: [{ id: 'i'.repeat(MAX_BUTTON_ID), title: 'Hablar con un aseso…' }],
    });
    if (fitted.type === 'buttons') expect(fitted.buttons[0].title.length).toBeLessThanOrEqual(MAX_BUTTON_TITLE);
  });

  it('turns more than 3 buttons into a list with one row per button', () => {
    const fitted = fitContent({ type: 'buttons', body: '¿Qué necesitas?', header: 'Menú', buttons: rows(4) });
    expect(fitted).toEqual({ type: 'list', body: '¿Qué necesitas?', header: 'Menú', button: DEFAULT_LIST_BUTTON, sections: [{ rows: rows(4) }] });
  });

  it('turns more than 10 options into numbered plain text', () => {
    const fromButtons = fitContent({ type: 'buttons', body: 'Elige una talla', buttons: rows(11), footer: 'Responde con el número' });
    expect(fromButtons.type).toBe('text');
    if (fromButtons.type === 'text') {
      expect(fromButtons.text).toBe(`Elige una talla\n\n${rows(11).map((r, i) => `${i + 1}. ${r.title}`).join('\n')}\n\nResponde con el número`);
    }
    const fromList = fitContent({ type: 'list', body: 'Productos', button: 'Ver', sections: [{ title: 'A', rows: rows(6) }, { title: 'B', rows: rows(5) }] });
    expect(fromList).toMatchObject({ type: 'text' });
    if (fromList.type === 'text') expect(fromList.text).toContain('\n11. Opción 5');
  });

  it('keeps exactly 10 rows across sections as a list', () => {
    const fitted = fitContent({ type: 'list', body: 'Productos', button: 'Ver', sections: [{ title: 'A', rows: rows(6) }, { title: 'B', rows: rows(4) }] });
    expect(fitted.type).toBe('list');
  });

  it('sends options without a body, or no options at all, as text', () => {
    expect(fitContent({ type: 'buttons', body: '  ', buttons: rows(2) })).toEqual({ type: 'text', text: '1. Opción 1\n2. Opción 2' });
    expect(fitContent({ type: 'buttons', body: 'Solo texto', buttons: [] })).toEqual({ type: 'text', text: 'Solo texto' });
    expect(fitContent({ type: 'list', body: 'Nada', button: 'Ver', sections: [{ title: 'Vacía', rows: [] }] })).toEqual({ type: 'text', text: 'Nada' });
  });

  it('clips every part of a list, drops empty sections and blank extras', () => {
    const fitted = fitContent({
      type: 'list',
      body: 'Catálogo',
      button: 'Ver todos los productos disponibles',
      header: ' ',
      sections: [
        { title: 'Zapatos deportivos para hombre', rows: [{ id: 'z'.repeat(250), title: 'Zapatilla running ultraligera', description: 'd'.repeat(100) }] },
        { title: 'Vacía', rows: [] },
      ],
    });
    expect(fitted).toEqual({
      type: 'list',
      body: 'Catálogo',
      button: 'Ver todos los produ…',
      sections: [
        {
          title: 'Zapatos deportivos para…',
          rows: [{ id: 'z'.repeat(MAX_ROW_ID), title: 'Zapatilla running ultra…', description: 'd'.repeat(MAX_ROW_DESCRIPTION - 1) + '…' }],
        },
      ],
    });
    if (fitted.type === 'list') {
      expect(fitted.button.length).toBeLessThanOrEqual(MAX_LIST_BUTTON);
      expect(fitted.sections[0].title!.length).toBeLessThanOrEqual(MAX_SECTION_TITLE);
      expect(fitted.sections[0].rows[0].title.length).toBeLessThanOrEqual(MAX_ROW_TITLE);
    }
  });

  it('gives a list of several sections a title on each, or merges them when none has one', () => {
    const mixed = fitContent({ type: 'list', body: 'b', button: 'Ver', sections: [{ title: 'Ropa', rows: rows(1) }, { rows: rows(2) }] });
    expect(mixed.type === 'list' && mixed.sections.map((s) => s.title)).toEqual(['Ropa', DEFAULT_SECTION_TITLE]);
    const untitled = fitContent({ type: 'list', body: 'b', button: ' ', sections: [{ rows: rows(1) }, { rows: rows(3).slice(1) }] });
    expect(untitled).toEqual({ type: 'list', body: 'b', button: DEFAULT_LIST_BUTTON, sections: [{ rows: rows(3) }] });
  });
});

describe('renderAsText', () => {
  it('writes header, body, numbered options with descriptions, then footer', () => {
    const text = renderAsText({
      type: 'list',
      header: 'Catálogo',
      body: 'Elige un producto:',
      button: 'Ver',
      footer: 'Responde con el número',
      sections: [{ rows: [{ id: 'a', title: 'Camisa', description: 'Algodón, $40.000' }, { id: 'b', title: 'Pantalón' }] }],
    });
    expect(text).toBe('Catálogo\n\nElige un producto:\n\n1. Camisa — Algodón, $40.000\n2. Pantalón\n\nResponde con el número');
  });

  it('numbers across sections and names the sections when there are several', () => {
    const text = renderAsText({ type: 'list', body: 'Menú', button: 'Ver', sections: [{ title: 'Bebidas', rows: rows(2) }, { title: 'Postres', rows: rows(1) }] });
    expect(text).toBe('Menú\n\n*Bebidas*\n1. Opción 1\n2. Opción 2\n*Postres*\n3. Opción 1');
  });

  it('renders buttons and passes text through', () => {
    expect(renderAsText({ type: 'buttons', body: '¿Confirmas?', buttons: [{ id: 'y', title: 'Sí' }, { id: 'n', title: 'No' }] })).toBe('¿Confirmas?\n\n1. Sí\n2. No');
    expect(renderAsText({ type: 'text', text: 'Hola' })).toBe('Hola');
    expect(renderAsText({ type: 'template', name: 'pedido_listo', language: 'es' })).toContain('pedido_listo');
  });
});
