// Questions about the business rather than a shop action: how to pay, opening hours, shipping, where
// the shop is, warranties. Another part of the app answers them from the business's facts, so the
// keyword reading is "unknown" rather than checkout or a product search ("aceptan nequi?" is not
// "I want to pay now"; "la freidora tiene garantia?" is not a search for "garantia").
// A product question stays a search: "tienen freidora de aire?" names no fact below.

const PAY_METHOD = String.raw`(?:nequi|daviplata|pse|contraentrega|contra entrega|transferencia\w*|efectivo|bancolombia|tarjeta\w*|consignacion|datafono|paypal|mercado pago|mercadopago|credito|cuotas|addi|sistecredito|bre b|qr|oxxo|yape|plin|dolares|cheque)`;

const QUESTIONS: readonly RegExp[] = [
  // "se puede pagar con daviplata?", "aceptan nequi?", "reciben tarjeta?", "tienen pago contraentrega?"
  new RegExp(String.raw`\b(se puede|puedo|podria|pueden|aceptan|acepta|reciben|recibe|manejan|maneja|tienen|tiene|hay|sirve|vale|trabajan con|funciona)( pagar| pago| pagos| el pago| cancelar| abonar)?( con| por| en| a| de| contra)? (el |la |un |una )?${PAY_METHOD}\b`),
  new RegExp(String.raw`\b(metodos?|medios?|formas?) de pago\b|\bcomo (se paga|puedo pagar con|se puede pagar con)\b`),
  // opening hours
  /\b(a que hora|a q hora|hasta que hora|desde que hora|que horario|cual es (el|su) horario|horarios?) (abren|cierran|atienden|trabajan|abre|cierra|atiende|de atencion|tienen|manejan|es|son)\b|\b(abren|cierran|atienden|abre|trabajan) (los |el |hoy|manana|domingos?|sabados?|festivos?|fines)|\bhorario de atencion\b|^(abren|cierran|atienden)\b/,
  // shipping and delivery terms (not "my order": that is order_status)
  /\b(hacen|tienen|manejan|hay|realizan|hace|tiene|maneja|ofrecen) (envios?|domicilios?|despachos?|entregas?)\b|\b(envios?|domicilios?|despachos?) (a|para|hasta|en) (?!mi\b|mis\b)\w+|\b(costo|valor|precio|cuanto (vale|cuesta|sale|cobran)|cuanto es) (del |de |el |los )?(envio|domicilio|flete)\b|\b(envio|domicilio|flete) (es |sale )?(gratis|tiene costo|incluido|cuesta|vale)\b|\b(cuanto|que tanto) (se )?(demora|tarda|demoran|tardan) (el |un |en llegar (el |un )?)?(envio|domicilio|despacho|pedido a)\b/,
  // where the shop is
  /\b(cual es|me da|me regala|me pasa|donde queda|donde quedan|donde estan ubicados|donde es) (la |su )?(direccion|ubicacion|local|tienda|sede|punto)\b|\b(donde|en que parte|en que ciudad) (queda|quedan|estan ubicados|se encuentran|estan)\b(?! (mi|mis|el|la|los) (pedido|paquete|orden|compra))|\btienda fisica\b|\b(local|punto) fisico\b|\bustedes son de\b|\bde donde son\b|\ben que ciudad\b/,
  // warranty and returns policy
  /\bgarantia\b|\b(tienen|hay|aceptan|hacen) (cambios|devoluciones)\b|\bpolitica de (cambio|devolucion)/,
];

/** True when the normalised message asks a fact about the business rather than for a shop action. */
export const isBusinessQuestion = (normalised: string): boolean => QUESTIONS.some((q) => q.test(normalised));
