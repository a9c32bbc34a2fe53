import { describe, expect, it } from 'vitest';
import { rateLimitNotice } from '../../src/conversation/texts.ts';

// The notice is a promise the pipeline keeps: it says when, in plain Spanish with real plurals.
const textOf = (ms: number, now: Date) => (rateLimitNotice(ms, now) as { text: string }).text;
const morning = new Date('2026-03-10T14:00:00Z'); // 9:00 in Bogotá
const night = new Date('2026-03-11T03:00:00Z'); // 22:00 in Bogotá

describe('rateLimitNotice', () => {
  it.each([
    [800, 'en unos 5 segundos'],
    [37_000, 'en unos 40 segundos'],
    [58_000, 'en un minuto'],
    [60_000, 'en un minuto'],
    [150_000, 'en unos 3 minutos'],
    [3_600_000, 'en una hora'],
    [2.5 * 3_600_000, 'en unas 3 horas'],
  ])('%i ms → "%s"', (ms, when) => {
    expect(textOf(ms, morning)).toBe(`Recibí tus mensajes 🙏 Te respondo ${when}.`);
  });

  it('says "mañana" when the release is another day in Bogotá, and never "(s)"', () => {
    expect(textOf(5 * 3_600_000, night)).toBe('Recibí tus mensajes 🙏 Te respondo mañana.');
    for (const ms of [1, 999, 61_000, 7_200_000, 86_000_000]) expect(textOf(ms, morning)).not.toMatch(/\(s\)|\b1 minutos|\b1 horas/);
  });
});
