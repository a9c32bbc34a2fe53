import { describe, expect, it } from 'vitest';
import { offeredPaymentMethods } from '../../../src/commerce/payment-methods.ts';
import { cityIn } from '../../../src/conversation/shop/address.ts';
import { deliveryWindow, deliveryWindowText } from '../../../src/conversation/shop/delivery-estimate.ts';

describe('a delivery address', () => {
  it('names its city, in any spelling, or in a third comma-separated part', () => {
    expect(cityIn('cra 45 # 12-30 apto 301, barrio Laureles, Medellin')).toBe('medellin');
    expect(cityIn('Calle 80 # 20-10 Bogotá D.C.')).toBe('bogota');
    expect(cityIn('Carrera 5 # 3-20, barrio Centro, Sopetrán')).toBe('Sopetrán');
    expect(cityIn('Calle 10 # 43-20 apto 501')).toBeUndefined();
    expect(cityIn('Calle 10 # 43-20, El Poblado')).toBeUndefined();
  });
});

describe('payment methods', () => {
  it('offers only what the shop configured', () => {
    expect(offeredPaymentMethods({ cashOnDelivery: true, paymentLinks: false })).toEqual(['cash_on_delivery']);
    expect(offeredPaymentMethods({ cashOnDelivery: true, bankDetails: 'Bancolombia 123', paymentLinks: true })).toEqual(['cash_on_delivery', 'bank_transfer', 'payment_link']);
    expect(offeredPaymentMethods({ cashOnDelivery: false, bankDetails: 'x', paymentLinks: false })).toEqual(['bank_transfer']);
  });
});

describe('when an order arrives', () => {
  const standard = { name: 'Envío estándar', minDays: 2, maxDays: 5, businessDays: true };
  it('counts business days from the order, skipping the weekend', () => {
    // Friday 4 December 2026, 10:00 in Bogotá
    const createdAt = new Date('2026-12-04T15:00:00Z');
    expect(deliveryWindow({ createdAt, delivery: standard })).toEqual({ from: '2026-12-08', to: '2026-12-11' });
    expect(deliveryWindowText({ from: '2026-12-08', to: '2026-12-11' }, createdAt)).toBe('llega entre el martes 8 de diciembre y el viernes 11 de diciembre');
  });

  it('says today, tomorrow, or that it was due, and gives nothing for a delivery without times', () => {
    const now = new Date('2026-12-04T15:00:00Z');
    expect(deliveryWindowText({ from: '2026-12-04', to: '2026-12-04' }, now)).toBe('llega hoy');
    expect(deliveryWindowText({ from: '2026-12-05', to: '2026-12-05' }, now)).toBe('llega mañana');
    expect(deliveryWindowText({ from: '2026-12-01', to: '2026-12-02' }, now)).toBe('debía llegar el miércoles 2 de diciembre');
    expect(deliveryWindow({ createdAt: now })).toBeUndefined();
  });
});
