// The sixteen intents of DESIGN §3 and the weighted patterns that recognise them. Patterns run on
// normalised text (see normalise.ts): lower case, no accents, slang expanded, typos corrected.

export const INTENTS = [
  'greeting', 'goodbye', 'thanks', 'help', 'browse_categories', 'search_products', 'add_to_cart', 'view_cart',
  'remove_from_cart', 'clear_cart', 'checkout', 'order_status', 'booking_inquiry', 'human_agent', 'opt_out', 'unknown',
] as const;

export type Intent = (typeof INTENTS)[number];

export const isIntent = (name: string): name is Intent => (INTENTS as readonly string[]).includes(name);

/**
 * On equal scores the earlier intent wins: a customer who says two things at once most needs the one
 * with consequences (stop messaging me, a person, emptying the cart) over small talk.
 */
export const PRECEDENCE: readonly Intent[] = [
  'opt_out', 'human_agent', 'clear_cart', 'remove_from_cart', 'checkout', 'order_status', 'booking_inquiry',
  'view_cart', 'add_to_cart', 'search_products', 'browse_categories', 'help', 'goodbye', 'thanks', 'greeting', 'unknown',
];

interface Rule {
  intent: Intent;
  weight: number;
  pattern: RegExp;
}

// A rule adds its weight once however often it matches; an intent's score is the sum of its rules.
// Small talk has a single rule each, so "hola, tienen camisas?" stays a search however warm the hello.
const rule = (intent: Intent, weight: number, source: string): Rule => ({ intent, weight, pattern: new RegExp(source) });

const QTY = String.raw`(?:\d{1,3}|un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|par|docena|media docena)`;
const CART = String.raw`(?:carrito|carro|canasta|bolsa|cesta)`;
const REMOVE = String.raw`(?:quita|quitar|quite|quiten|saca|sacar|saque|elimina|eliminar|elimine|borra|borrar|borre|retira|retirar|retire|remueve|remover|descarta|descartar)`;
const ORDER = String.raw`(?:pedido|pedidos|orden|ordenes|paquete|paquetes|compra|compras|envio|domicilio)`;
const MONTH = String.raw`(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)`;
const COUNT = String.raw`(?:\d{1,2}|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez)`;
const PRODUCT = String.raw`(?:zapatos|licuadora|camisa|camisas|camiseta|camisetas|pantalon|pantalones|audifonos|celular|reloj|bolso|chaqueta|vestido|tenis|zapatillas|medias|gorra)`;

const RULES: readonly Rule[] = [
  rule('opt_out', 10, String.raw`^(stop|baja|unsubscribe|desuscribirme|desuscribir)$|\bde baja\b|\bdesuscrib`),
  rule('opt_out', 10, String.raw`\b(no|dejen de|deje de|dejar de) (me )?(envien|enviar|envie|manden|mandar|mande|escriban|escribir|escriba|escribirme|enviarme|mandarme|molesten|molestar|molestarme|contacten|contactar)\b`),
  rule('opt_out', 10, String.raw`\bno quiero (recibir |que me (envien|manden|escriban) )?(mas )?(mensajes|publicidad|promociones|notificaciones|ofertas|spam)\b`),
  rule('opt_out', 10, String.raw`\b(cancelar|cancela|anular|quitar) (mi |la )?suscripcion\b|\bno (me )?(vuelvan|vuelva|vuelvas) a (escribir|enviar|mandar|contactar|llamar)`),

  rule('human_agent', 9, String.raw`\b(hablar|hablo|comunica|comunicar|comunicarme|comunique|pasa|pasar|pasarme|contactar|atender|atienda|atiende|transferir|transfiere)\b( \w+){0,4} (persona|humano|humana|asesor|asesora|agente|alguien|operador|operadora|representante|encargado|encargada|vendedor|vendedora|gerente|dueno|duena|administrador)\b`),
  rule('human_agent', 9, String.raw`\b(quiero|necesito|prefiero) (hablar con )?(una|un|a una|a un) (persona|humano|humana)\b`),
  rule('human_agent', 8, String.raw`\b(humano|humana|asesor|asesora|agente|operador|operadora|representante)\b|\b(persona|alguien) (real|de verdad)\b|\bservicio al cliente\b`),
  rule('human_agent', 5, String.raw`\b(eres|es|sos) un (robot|bot|maquina)\b`),

  rule('clear_cart', 9, String.raw`\b(${REMOVE}|cancela|cancelar|cancele|vacia|vaciar|limpia|limpiar|anula|anular)( \w+){0,2}? todo\b`),
  rule('clear_cart', 8, String.raw`\b(vacia|vaciar|vacie|vacien|limpia|limpiar|limpie|reinicia|reiniciar|resetea|resetear)( \w+){0,2} (${CART}|pedido|compra)\b|^(vaciar|vacia)$`),
  rule('clear_cart', 6, String.raw`\b(empezar|empiezo|empecemos|empiezo|comenzar|comienzo|arrancar|arranco) de (nuevo|cero)\b`),

  rule('remove_from_cart', 7, String.raw`\b${REMOVE}\b`),
  rule('remove_from_cart', 7, String.raw`\b(ya no|mejor no|no) (lo |la |los |las )?(quiero|voy a llevar|llevo|necesito)\b`),

  // "dios le pague" is thanks, not payment
  rule('checkout', 7, String.raw`\b(pagar|pago|(?<!dios le )pague|pagarlo|pagamos|pagaria|checkout)\b`),
  rule('checkout', 8, String.raw`\b(finalizar|finaliza|finalizo|terminar|termina|termino|confirmar|confirma|confirmo|completar|completa|cerrar|proceder|procedo)( \w+)? (compra|pedido|orden)\b`),
  rule('checkout', 7, String.raw`\b(hacer|hago|hacemos|realizar|realizo|montar|monto|poner|pongo) (el |mi |un |la )?(pedido|compra|orden)\b`),
  rule('checkout', 6, String.raw`\b(nequi|daviplata|pse|contraentrega|contra entrega|transferencia|efectivo|bancolombia|tarjeta|consignacion|consignar|datafono)\b`),
  rule('checkout', 4, String.raw`\beso es todo\b|^(comprar|finalizar|confirmar)$`),

  rule('order_status', 8, String.raw`\b(donde|como|en que) (esta|estan|va|van|viene|vienen) (mi|mis|el|la|los|las) ${ORDER}\b`),
  rule('order_status', 8, String.raw`\b(estado|seguimiento|rastreo|rastrear|tracking)( \w+){0,2} ${ORDER}\b|\bguia\b`),
  rule('order_status', 8, String.raw`\b(ha|han) (llegado|entregado|enviado|despachado)\b|\bcuando (me )?(llega|llegan|llegara|llegaria|entregan|despachan|envian|mandan)\b`),
  rule('order_status', 7, String.raw`\b(enviaron|despacharon|mandaron|salio|despachado|entregaron)\b`),
  rule('order_status', 4, String.raw`#\d+|\b(orden|pedido|compra) (numero |no |nro )?\d{3,}\b`),

  rule('booking_inquiry', 8, String.raw`\b(reserv\w*|hosped\w*|alojamiento|alojar\w*|alquil\w*|arrend\w*|check (in|out)|huesped\w*|estadia)\b`),
  rule('booking_inquiry', 7, String.raw`\b(apartamento|apartamentos|habitacion|habitaciones|finca|cabana|el poblado|airbnb)\b`),
  // "buenas noches" and "feliz noche" are small talk, not a night's stay
  rule('booking_inquiry', 6, String.raw`(?<!buenas |feliz |linda |bonita )\bnoches?\b`),
  rule('booking_inquiry', 5, String.raw`\bdisponib\w*|\b(para|somos) ${COUNT} (personas|adultos|huespedes|ninos)\b`),
  rule('booking_inquiry', 4, String.raw`\b(parqueadero|piscina|jacuzzi)\b`),
  rule('booking_inquiry', 3, String.raw`\b(cupo|libre|fechas|fin de semana|puente|festivo|vacaciones|temporada)\b`),
  rule('booking_inquiry', 3, String.raw`\bdel \d{1,2} al \d{1,2}\b|\b${MONTH}\b`),

  rule('view_cart', 8, String.raw`\b(ver|veo|mirar|miro|revisar|reviso|muestra|mostrar|muestre|ensena|consultar)( \w+){0,2} ${CART}\b`),
  rule('view_cart', 8, String.raw`\bque (tengo|llevo|hay|va)( \w+){0,3} ${CART}\b`),
  rule('view_cart', 7, String.raw`^(mi |el |ver |ver el |ver mi )?${CART}$|\bcuanto llevo\b|\b(pedido|compra) actual\b|^(ver|mostrar|muestra) (mi|el) pedido$|\btotal( \w+){0,3} (${CART}|compra|pedido)\b`),

  rule('add_to_cart', 8, String.raw`\b(agrega|agregar|agregue|agreguen|agregalo|agregala|adiciona|adicionar|sumale|incluye|incluir|mete|meter)\b`),
  rule('add_to_cart', 8, String.raw`\bme (lo |la |los |las )?llevo\b`),
  rule('add_to_cart', 7, String.raw`\b(quiero|quisiera|necesito|deseo|dame|deme|me da|me das|me regala|me vende|me vendes|me manda|me envia|me pasa) ${QTY}\b`),
  rule('add_to_cart', 7, String.raw`\b(quiero|quisiera|voy a|vamos a|deseo|necesito) (comprar|pedir|llevar|llevarme|ordenar|encargar)\b|\b(lo|la|los|las) (quiero|compro|pido)\b`),
  // a bare "quiero X" leans to adding, but a count is already scored above and must not count twice
  rule('add_to_cart', 4, String.raw`\b(quiero|quisiera|necesito|deseo) (?!${QTY}\b)\w+`),

  rule('search_products', 6, String.raw`\b(busco|buscando|buscar|buscaba)\b`),
  rule('search_products', 6, String.raw`\b(cuanto|cuanta|cuantos|cuantas) (vale|valen|cuesta|cuestan|sale|salen|esta|estan|es|son|cobran|cobra)\b|\b(precio|precios|valor|costo|cuesta|cuestan|valen)\b|\ba como (es|son|esta|estan|el|la|los|las|sale|salen)\b`),
  rule('search_products', 5, String.raw`\b(tienen|tiene|tienes|hay|habra|manejan|maneja|manejas|venden|vende|vendes|consigo|consiguen|ofrecen|traen)\b`),
  rule('search_products', 4, String.raw`\b${PRODUCT}\b`),

  rule('browse_categories', 8, String.raw`\b(catalogo|catalogos|categorias|categoria|portafolio|secciones|lista de productos)\b`),
  rule('browse_categories', 8, String.raw`\b(que|cuales)( tipo de| clase de)?( productos| cosas| articulos)? (tienen|venden|manejan|hay|ofrecen)( ustedes)?( para (vender|la venta))?$`),
  rule('browse_categories', 8, String.raw`\b(muestra|mostrar|ver|ensena)( \w+)? lo que (tienen|venden|hay|manejan)\b|^(ver |los |sus |mostrar )?productos$`),

  rule('help', 7, String.raw`\bque (puedo|se puede|puedes|pueden) hacer\b`),
  rule('help', 6, String.raw`\b(ayuda|ayudar|ayudame|ayudeme|ayudas|ayudarme|ayudan|auxilio|menu|opciones|instrucciones)\b|\bcomo funciona\b`),
  rule('help', 5, String.raw`\bno entiendo\b|\bcomo (uso|usar|se usa|utilizo)\b|^informacion$`),

  rule('goodbye', 5.5, String.raw`\b(chao|hasta (luego|manana|pronto|la proxima|otro dia|mas tarde)|nos vemos|nos hablamos|hablamos (luego|despues|manana|mas tarde|otro dia)|feliz (noche|dia|tarde|fin de semana)|buen fin de semana|que (este|estes|esten) (bien|muy bien)|me voy|cuidate|cuidese|bendiciones)\b`),
  rule('thanks', 5, String.raw`\b(gracias|agradezco|agradecido|agradecida|agradecemos|muy amables?|thank|thanks|dios le (pague|bendiga)|dios lo bendiga)\b`),
  rule('greeting', 4, String.raw`\b(hola|ola|buenas|buenos dias|buen dia|quiubo|que mas|que hubo|que tal|hey|saludos|como estas|como esta|como vamos|epa|alo)\b`),
];

/** Below this no intent is believed: the message is "unknown". */
export const MIN_SCORE = 4;

export type Scores = Partial<Record<Intent, number>>;

/** Every intent that any rule recognises in the normalised text, with its summed weight. */
export function scoreIntents(text: string): Scores {
  const scores: Scores = {};
  for (const { intent, weight, pattern } of RULES) {
    if (pattern.test(text)) scores[intent] = (scores[intent] ?? 0) + weight;
  }
  return scores;
}

/** The best-scoring intent (precedence breaks ties), with its score and the runner-up's. */
export function pickIntent(scores: Scores): { intent: Intent; score: number; runnerUp: number } {
  let intent: Intent = 'unknown';
  let score = 0;
  let runnerUp = 0;
  for (const candidate of PRECEDENCE) {
    const s = scores[candidate] ?? 0;
    if (s > score) [intent, score, runnerUp] = [candidate, s, score];
    else if (s > runnerUp) runnerUp = s;
  }
  return score >= MIN_SCORE ? { intent, score, runnerUp } : { intent: 'unknown', score: 0, runnerUp: score };
}
