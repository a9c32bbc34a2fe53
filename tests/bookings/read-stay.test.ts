import { describe, expect, it } from 'vitest';
import { mentionsStay, mergeStay, readStay } from '../../src/bookings/read-stay.ts';

// Wednesday 10 December 2025, 10:00 in Bogotá (UTC-5).
const WEDNESDAY = new Date('2025-12-10T15:00:00Z');
const at = (now: Date) => (text: string) => readStay(text, { now });
const read = at(WEDNESDAY);

describe('stay dates as guests write them', () => {
  it.each([
    ['del 15 al 18 de diciembre', '2025-12-15', '2025-12-18', 3],
    ['15-18 dic', '2025-12-15', '2025-12-18', 3],
    ['15 al 18 de dic.', '2025-12-15', '2025-12-18', 3],
    ['Del quince al dieciocho de diciembre', '2025-12-15', '2025-12-18', 3],
    ['entre el 20 y el 23 de diciembre', '2025-12-20', '2025-12-23', 3],
    ['desde el 20 hasta el 23 de diciembre', '2025-12-20', '2025-12-23', 3],
    ['del 20 de dic al 23', '2025-12-20', '2025-12-23', 3],
    ['diciembre 20 al 23', '2025-12-20', '2025-12-23', 3],
    ['20/12 al 23/12', '2025-12-20', '2025-12-23', 3],
    ['20/12/2025 - 23/12/2025', '2025-12-20', '2025-12-23', 3],
    ['2025-12-20 a 2025-12-23', '2025-12-20', '2025-12-23', 3],
    ['llegamos el 15 y salimos el 18', '2025-12-15', '2025-12-18', 3],
    ['salimos el 18, llegamos el 15', '2025-12-15', '2025-12-18', 3],
    ['el sábado 20 de diciembre por 2 noches', '2025-12-20', '2025-12-22', 2],
    ['una semana desde el 2 de enero', '2026-01-02', '2026-01-09', 7],
    ['3 noches hasta el 18 de diciembre', '2025-12-15', '2025-12-18', 3],
  ])('%s', (text, checkIn, checkOut, nights) => {
    expect(read(text)).toMatchObject({ checkIn, checkOut, nights });
  });

  it.each([
    ['del 30 de diciembre al 2 de enero', '2025-12-30', '2026-01-02', 3],
    ['del 30 al 2 de enero', '2025-12-30', '2026-01-02', 3],
    ['hola, quiero reservar del 28 dic al 3 ene', '2025-12-28', '2026-01-03', 6],
    ['del 5 al 8 de enero', '2026-01-05', '2026-01-08', 3],
    // the 5th of December has passed: the coming one is next year's
    ['del 5 al 8 de diciembre', '2026-12-05', '2026-12-08', 3],
    // no month: this month while the day is still ahead, the next one after
    ['del 20 al 23', '2025-12-20', '2025-12-23', 3],
    ['del 5 al 8', '2026-01-05', '2026-01-08', 3],
    ['del 28 al 2', '2025-12-28', '2026-01-02', 5],
  ])('crosses into the right year and month: %s', (text, checkIn, checkOut, nights) => {
    expect(read(text)).toMatchObject({ checkIn, checkOut, nights });
  });

  it.each([
    ['este sábado', '2025-12-13'],
    ['el sábado', '2025-12-13'],
    ['el próximo viernes', '2025-12-12'],
    ['el viernes de la otra semana', '2025-12-19'],
    ['el otro sábado', '2025-12-20'],
    ['el viernes 19', '2025-12-19'],
    // a weekday with a day number is the coming date that is both: Friday the 9th is in January
    ['el viernes 9', '2026-01-09'],
    ['mañana', '2025-12-11'],
    ['pasado mañana', '2025-12-12'],
    ['hoy', '2025-12-10'],
    ['para navidad', '2025-12-24'],
    ['dentro de 2 semanas', '2025-12-24'],
  ])('weekdays and relative days give the arrival and ask for the rest: %s', (text, checkIn) => {
    const r = read(text);
    expect(r.checkIn).toBe(checkIn);
    expect(r.checkOut).toBeUndefined();
    expect(r.missing).toEqual(['checkOut', 'guests']);
  });

  it.each([
    ['3 noches desde el viernes', '2025-12-12', '2025-12-15'],
    ['pasado mañana por 2 noches', '2025-12-12', '2025-12-14'],
    ['para navidad, 3 noches', '2025-12-24', '2025-12-27'],
    ['este fin de semana', '2025-12-12', '2025-12-14'],
    ['el próximo fin de semana', '2025-12-12', '2025-12-14'],
    ['el finde que viene', '2025-12-12', '2025-12-14'],
    ['el otro fin de semana', '2025-12-19', '2025-12-21'],
    ['un fin de semana largo de 3 noches', '2025-12-12', '2025-12-15'],
    ['desde mañana hasta el domingo', '2025-12-11', '2025-12-14'],
    ['del viernes al lunes', '2025-12-12', '2025-12-15'],
    ['del sábado al viernes', '2025-12-13', '2025-12-19'],
  ])('weekends and lengths: %s', (text, checkIn, checkOut) => {
    expect(read(text)).toMatchObject({ checkIn, checkOut });
  });

  it('reads weekends from where the week is: on Friday "próximo" is next week, on Saturday "este" starts tonight', () => {
    const friday = at(new Date('2025-12-12T15:00:00Z'));
    expect(friday('este fin de semana')).toMatchObject({ checkIn: '2025-12-12', checkOut: '2025-12-14' });
    expect(friday('el próximo fin de semana')).toMatchObject({ checkIn: '2025-12-19', checkOut: '2025-12-21' });
    expect(friday('el próximo viernes').checkIn).toBe('2025-12-19');
    expect(friday('este viernes').checkIn).toBe('2025-12-12');
    const saturday = at(new Date('2025-12-13T15:00:00Z'));
    expect(saturday('este fin de semana')).toMatchObject({ checkIn: '2025-12-13', checkOut: '2025-12-14', nights: 1 });
    const sunday = at(new Date('2025-12-14T15:00:00Z'));
    expect(sunday('este fin de semana')).toMatchObject({ checkIn: '2025-12-19', checkOut: '2025-12-21' });
  });

  it('counts "today" in Bogotá, not on the server clock', () => {
    // 23:30 on Wednesday in Bogotá is already Thursday in UTC
    const lateEvening = new Date('2025-12-11T04:30:00Z');
    expect(readStay('mañana', { now: lateEvening }).checkIn).toBe('2025-12-11');
    expect(readStay('mañana', { now: lateEvening, timeZone: 'UTC' }).checkIn).toBe('2025-12-12');
    expect(readStay('hoy 2 noches', { now: lateEvening })).toMatchObject({ checkIn: '2025-12-10', checkOut: '2025-12-12' });
  });

  it('says what is missing when the message has no dates, or only a length', () => {
    expect(read('2 noches')).toEqual({ nights: 2, missing: ['checkIn', 'checkOut', 'guests'] });
    expect(read('hasta el 18')).toEqual({ checkOut: '2025-12-18', missing: ['checkIn', 'guests'] });
    expect(read('hola, buenas noches, tienen apartamentos?')).toEqual({ missing: ['checkIn', 'checkOut', 'guests'] });
    expect(read('me pueden llamar en la mañana')).toEqual({ missing: ['checkIn', 'checkOut', 'guests'] });
    expect(read('quiero 2 camisas')).toEqual({ missing: ['checkIn', 'checkOut', 'guests'] });
  });

  it('refuses stays that have passed or that end before they start', () => {
    expect(read('del 15 al 18 de diciembre de 2024').missing).toEqual(['checkIn', 'checkOut', 'guests']);
    expect(read('del 15 al 18 de diciembre de 2026')).toMatchObject({ checkIn: '2026-12-15', checkOut: '2026-12-18' });
    expect(read('llegamos el 20/12/2025 y salimos el 18/12/2025')).toMatchObject({ checkIn: '2025-12-20', missing: ['checkOut', 'guests'] });
  });

  it('reads dates and people from the same message without mixing their numbers', () => {
    expect(read('Hola! somos 4, del 15 al 18 de diciembre')).toEqual({ checkIn: '2025-12-15', checkOut: '2025-12-18', nights: 3, guests: 4, missing: [] });
    expect(read('para 2 personas el 20 de diciembre, 3 noches')).toEqual({ checkIn: '2025-12-20', checkOut: '2025-12-23', nights: 3, guests: 2, missing: [] });
    expect(read('dos adultos y un niño este fin de semana')).toMatchObject({ checkIn: '2025-12-12', checkOut: '2025-12-14', guests: 3, missing: [] });
    expect(read('para 4 de enero')).toMatchObject({ checkIn: '2026-01-04', missing: ['checkOut', 'guests'] });
  });
});

describe('a stay told over several messages', () => {
  const today = '2025-12-10';
  it('fills in what the later message adds and keeps the rest', () => {
    expect(mergeStay({ checkIn: '2025-12-12' }, { nights: 2 }, today)).toEqual({ checkIn: '2025-12-12', checkOut: '2025-12-14', nights: 2 });
    expect(mergeStay({ nights: 2, guests: 4 }, { checkIn: '2025-12-20' }, today)).toEqual({ checkIn: '2025-12-20', checkOut: '2025-12-22', nights: 2, guests: 4 });
    expect(mergeStay({ checkOut: '2025-12-18' }, { checkIn: '2025-12-15' }, today)).toEqual({ checkIn: '2025-12-15', checkOut: '2025-12-18', nights: 3 });
    expect(mergeStay({ checkIn: '2025-12-15', checkOut: '2025-12-18', nights: 3, guests: 2 }, { guests: 5 }, today)).toEqual({ checkIn: '2025-12-15', checkOut: '2025-12-18', nights: 3, guests: 5 });
    // new dates replace the old ones whole
    expect(mergeStay({ checkIn: '2025-12-15', checkOut: '2025-12-18', nights: 3 }, { checkIn: '2025-12-20', checkOut: '2025-12-21', nights: 1 }, today)).toEqual({ checkIn: '2025-12-20', checkOut: '2025-12-21', nights: 1 });
    // a different length moves the departure
    expect(mergeStay({ checkIn: '2025-12-15', checkOut: '2025-12-18', nights: 3 }, { nights: 5 }, today)).toEqual({ checkIn: '2025-12-15', checkOut: '2025-12-20', nights: 5 });
  });

  it('forgets remembered days that have passed since', () => {
    expect(mergeStay({ checkIn: '2025-12-12', checkOut: '2025-12-14', nights: 2 }, { guests: 2 }, '2025-12-13')).toEqual({ nights: 2, guests: 2 });
  });

  it('tells a message about a stay from one about something else', () => {
    expect(mentionsStay('del 15 al 18', { now: WEDNESDAY })).toBe(true);
    expect(mentionsStay('somos 4', { now: WEDNESDAY })).toBe(true);
    expect(mentionsStay('2 noches', { now: WEDNESDAY })).toBe(true);
    expect(mentionsStay('quiero ver camisas rojas', { now: WEDNESDAY })).toBe(false);
    expect(mentionsStay('gracias!', { now: WEDNESDAY })).toBe(false);
  });
});
