import { describe, expect, it } from 'vitest';
import { classify, intentFromReplyId } from '../../../src/conversation/keywords/classify.ts';

describe('conflicts between intents', () => {
  it.each([
    ['no quiero mas mensajes', 'opt_out'],
    ['ya no quiero el reloj', 'remove_from_cart'],
    ['quiero pagar', 'checkout'],
    ['quiero 2 camisetas', 'add_to_cart'],
    ['tienen medias?', 'search_products'],
    ['busco medias', 'search_products'],
    ['cuánto vale la gorra?', 'search_products'],
    ['quiero un asesor', 'human_agent'],
    ['quiero reservar', 'booking_inquiry'],
    ['hola, tienen licuadoras?', 'search_products'],
    ['buenas noches', 'greeting'],
    ['cuanto vale la noche', 'booking_inquiry'],
    ['borra todo', 'clear_cart'],
    ['borra la gorra', 'remove_from_cart'],
    ['qué venden?', 'browse_categories'],
    ['venden gorras?', 'search_products'],
    ['dios le pague', 'thanks'],
    // issue 12: safety words in loose writing, and their negations
    ['eliminen mi número de su lista', 'opt_out'],
    ['elimina las medias', 'remove_from_cart'],
    ['STOP por favor no más promociones', 'opt_out'],
    ['ya no quiero que me escriban mas, gracias', 'opt_out'],
    ['x favor ya no m escriban', 'opt_out'],
    ['sáquenme de la lista de difusión', 'opt_out'],
    ['el bot no me entiende, comuníqueme con soporte', 'human_agent'],
    ['me puede atender una persona porfa', 'human_agent'],
    ['no quiero hablar con nadie, solo ver precios', 'browse_categories'],
    ['no necesito un asesor, gracias', 'thanks'],
    ['que pasa con mi pedido?', 'order_status'],
    ['no me llegó el paquete', 'order_status'],
    ['y eso cuando me llega?', 'order_status'],
    ['dónde está mi pedido 1001', 'order_status'],
    ['mi hermano llega mañana', 'unknown'],
    ['tienen soporte para celular?', 'search_products'],
    ['no me interesa esa oferta, tienen otra?', 'search_products'],
    ['quiero hablar con un asesor para pagar', 'human_agent'],
    // business questions are answered from the business's facts, not by a shop action
    ['se puede pagar con daviplata?', 'unknown'],
    ['aceptan nequi?', 'unknown'],
    ['a que hora abren?', 'unknown'],
    ['hacen envios a pasto?', 'unknown'],
    ['la freidora tiene garantia?', 'unknown'],
    ['tienen freidora de aire?', 'search_products'],
    ['listo, quiero pagar con nequi', 'checkout'],
  ])('%s → %s', (text, intent) => {
    expect(classify(text).intent).toBe(intent);
  });
});

describe('confidence', () => {
  it('is high for a clear request and low for an unknown message', () => {
    expect(classify('vacía el carrito').confidence).toBeGreaterThanOrEqual(0.9);
    expect(classify('el perro de mi vecina ladra mucho')).toEqual({ intent: 'unknown', entities: {}, confidence: 0.5 });
    for (const text of ['', '   ', '🎉', '?!', 'a'.repeat(10_000)]) {
      const result = classify(text);
      expect(result.intent).toBe('unknown');
      expect(result.confidence).toBeGreaterThanOrEqual(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
    }
  });
});

describe('intentFromReplyId', () => {
  it('maps the app\'s button and list ids', () => {
    expect(intentFromReplyId('menu')).toBe('help');
    expect(intentFromReplyId('help')).toBe('help');
    expect(intentFromReplyId('menu:help')).toBe('help');
    expect(intentFromReplyId('menu:catalogue')).toBe('browse_categories');
    expect(intentFromReplyId('menu:cart')).toBe('view_cart');
    expect(intentFromReplyId('menu:agent')).toBe('human_agent');
    expect(intentFromReplyId('cart:checkout')).toBe('checkout');
    expect(intentFromReplyId('cart:clear')).toBe('clear_cart');
  });
  it('maps the generic intent:<name> form, and nothing else', () => {
    expect(intentFromReplyId('intent:order_status')).toBe('order_status');
    expect(intentFromReplyId('intent:nonsense')).toBeUndefined();
    expect(intentFromReplyId('toString')).toBeUndefined();
    expect(intentFromReplyId('product:123')).toBeUndefined();
  });
});
