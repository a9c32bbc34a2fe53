import { describe, expect, it } from 'vitest';
import { respond } from '../../src/conversation/respond.ts';
import type { CustomerTurn } from '../../src/conversation/turn.ts';
import { burstWords, conversationFor, wantsAi, type Understanding } from '../../src/conversation/understand.ts';

const turn = (t: Partial<CustomerTurn>): CustomerTurn => ({ kind: 'text', text: null, replyId: null, customerName: null, details: {}, ...t });
const bodyOf = (o: ReturnType<typeof respond>) => {
  if (o.action !== 'reply') return '';
  const c = o.replies[0];
  return c.type === 'text' ? c.text : c.type === 'buttons' || c.type === 'list' ? c.body : '';
};
const understood = (u: Partial<Understanding>): Understanding => ({ intent: 'unknown', entities: {}, source: 'ai', ...u });

describe('which bursts go to the AI', () => {
  it('not greetings, thanks, goodbyes, opt-outs or requests for a person: keywords settle those, for free', () => {
    for (const text of ['hola', 'quiubo parce', 'muchas gracias', 'chao', 'no me escriban mas', 'quiero hablar con un asesor']) {
      expect(wantsAi([turn({ text })]), text).toBe(false);
    }
  });
  it('not a tapped button, nor a message without words', () => {
    expect(wantsAi([turn({ kind: 'interactive', text: 'Ver catálogo', replyId: 'menu:catalogue' })])).toBe(false);
    expect(wantsAi([turn({ kind: 'audio' })])).toBe(false);
    expect(wantsAi([turn({ kind: 'sticker' })])).toBe(false);
  });
  it('questions, searches and anything unclear', () => {
    for (const text of ['a que hora abren el domingo?', 'busco una chaqueta de jean azul', 'hola, tienen zapatos?', 'el apto tiene parqueadero?']) {
      expect(wantsAi([turn({ text })]), text).toBe(true);
    }
  });
  it('reads a described picture as words when it has no caption', () => {
    const photo = turn({ kind: 'image', details: { imageDescription: 'unos zapatos de cuero café' } });
    expect(burstWords([photo])).toBe('(foto: unos zapatos de cuero café)');
    expect(burstWords([turn({ kind: 'image', text: 'tienen estos?', details: { imageDescription: 'zapatos' } })])).toBe('tienen estos?');
    expect(wantsAi([photo])).toBe(true);
  });
});

describe('the conversation handed to the model', () => {
  it('merges neighbours of the same side, ends with the customer and opens with the customer', () => {
    const chat = conversationFor(
      [
        { role: 'assistant', content: 'promo de la semana' },
        { role: 'user', content: 'hola' },
        { role: 'user', content: 'una pregunta' },
        { role: 'assistant', content: '¡Hola!' },
      ],
      'abren el domingo?',
    );
    expect(chat).toEqual([
      { role: 'user', content: 'hola\nuna pregunta' },
      { role: 'assistant', content: '¡Hola!' },
      { role: 'user', content: 'abren el domingo?' },
    ]);
  });
  it('does not repeat the burst when the history already ends with it, and keeps a bounded window', () => {
    expect(conversationFor([{ role: 'user', content: 'abren el domingo?' }], 'abren el domingo?')).toEqual([{ role: 'user', content: 'abren el domingo?' }]);
    const long = Array.from({ length: 40 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `m${i}` }) as const);
    const chat = conversationFor(long, 'última', 12);
    expect(chat.length).toBeLessThanOrEqual(12);
    expect(chat[0].role).toBe('user');
    expect(chat[chat.length - 1]).toEqual({ role: 'user', content: 'última' });
  });
});

describe('respond with an understanding', () => {
  it('sends the AI reply for a question no flow answers', () => {
    const o = respond([turn({ text: 'a que hora abren?' })], undefined, understood({ aiReply: 'Abrimos a las 8.' }));
    expect(o).toEqual({ action: 'reply', replies: [{ type: 'text', text: 'Abrimos a las 8.' }] });
  });
  it('without an AI reply: the canned answer with the menu, never silence', () => {
    expect(bodyOf(respond([turn({ text: 'a que hora abren?' })], undefined, understood({})))).toContain('No estoy seguro de haber entendido');
    expect(bodyOf(respond([turn({ text: 'disponible para navidad?' })], undefined, understood({ intent: 'booking_inquiry' })))).toContain('fechas de llegada y salida');
  });
  it('follows the AI intent over the keywords, but a tapped button over both', () => {
    const ai = understood({ intent: 'human_agent' });
    expect(bodyOf(respond([turn({ text: 'el robot no me sirve' })], undefined, ai))).toContain('le aviso a una persona');
    expect(bodyOf(respond([turn({ kind: 'interactive', text: 'Mi carrito', replyId: 'menu:agent' })], undefined, understood({ intent: 'thanks' })))).toContain('le aviso a una persona');
  });
  it('answers a described picture through the AI reading, and an unread one with the acknowledgement', () => {
    const photo = turn({ kind: 'image', details: { imageDescription: 'un perro' } });
    expect(bodyOf(respond([photo], undefined, understood({ aiReply: '¡Qué lindo perro! ¿En qué te ayudo?' })))).toContain('perro');
    expect(bodyOf(respond([photo]))).toContain('Recibí tu imagen');
  });
});
