// The weighted patterns for the ordinary intents (the safety intents, opt_out and human_agent, are
// decided first, in safety.ts). Patterns run on normalised text (see normalise.ts): lower case, no
// accents, slang expanded, typos corrected.
import type { Intent } from './intent-names.ts';

export interface Rule {
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

// pointing at a product instead of naming it; an ordinal picks from the list just shown
const POINTER = String.raw`(?:ese|esa|esos|esas|este|esta|estos|estas|eso|aquel|aquella)`;
const ORDINAL = String.raw`(?:primer|primero|primera|segundo|segunda|tercer|tercero|tercera|cuarta|quinto|quinta|ultimo|ultima|penultimo|penultima|1ro|1ra|2do|2da|3ro|3ra)`;
const GIVE = String.raw`(?:quiero|quisiera|necesito|deseo|dame|deme|me da|me das|me regala|me regalas|me vende|me vendes|me manda|me mandas|me envia|me pasa|me pasas|pon|ponga|pongan|agrega|me llevo|llevo|mandame|enviame)`;

export const RULES: readonly Rule[] = [
  rule('clear_cart', 9, String.raw`\b(${REMOVE}|cancela|cancelar|cancele|vacia|vaciar|limpia|limpiar|anula|anular)( \w+){0,2}? todo\b`),
  rule('clear_cart', 8, String.raw`\b(vacia|vaciar|vacie|vacien|limpia|limpiar|limpie|reinicia|reiniciar|resetea|resetear)( \w+){0,2} (${CART}|pedido|compra)\b|^(vaciar|vacia)$`),
  rule('clear_cart', 6, String.raw`\b(empezar|empiezo|empecemos|empiezo|comenzar|comienzo|arrancar|arranco) de (nuevo|cero)\b`),
  rule('clear_cart', 9, String.raw`\b(borralo|borrala|eliminalo|eliminala|quitalo|quitala|sacalo|sacala|cancelalo) todo\b`),

  rule('remove_from_cart', 7, String.raw`\b${REMOVE}\b`),
  // not "no quiero hablar con nadie", "no necesito un asesor", "no quiero que...": refusing, not removing
  rule('remove_from_cart', 7, String.raw`\b(ya no|mejor no|no) (lo |la |los |las )?(quiero|voy a llevar|llevo|necesito)\b(?! (un |una |el |la |a )?(asesor|persona|humano|agente|ayuda|hablar|que|saber|ver|nada|recibir|esperar|ningun\w*|nadie|mas)\b)`),
  rule('remove_from_cart', 7, String.raw`\b(ya no|no|mejor no) me (interesa|interesan|gusta|gustan|convence|convencen) (el|la|los|las)\b`),
  // "sacala", "quitalo", "bórralo": the verb with the pronoun glued on
  rule('remove_from_cart', 7, String.raw`\b(sacalo|sacala|sacalos|sacalas|quitalo|quitala|quitalos|quitalas|borralo|borrala|borralos|borralas|eliminalo|eliminala|eliminalos|eliminalas|retiralo|retirala)\b`),

  // "dios le pague" is thanks, not payment
  rule('checkout', 7, String.raw`\b(pagar|pago|(?<!dios le )pague|pagarlo|pagamos|pagaria|checkout)\b`),
  rule('checkout', 8, String.raw`\b(finalizar|finaliza|finalizo|finalicemos|terminar|termina|termino|terminemos|confirmar|confirma|confirmo|confirmemos|completar|completa|cerrar|cerremos|cierra|proceder|procedo|procedamos)( \w+)? (compra|pedido|orden)\b`),
  rule('checkout', 7, String.raw`\b(hacer|hago|hacemos|hagamos|realizar|realizo|montar|monto|poner|pongo|montemos) (el |mi |un |la )?(pedido|compra|orden)\b`),
  rule('checkout', 6, String.raw`\b(nequi|daviplata|pse|contraentrega|contra entrega|transferencia|efectivo|bancolombia|tarjeta|consignacion|consignar|datafono)\b`),
  rule('checkout', 4, String.raw`\beso es todo\b|^(comprar|finalizar|confirmar)$`),

  rule('order_status', 8, String.raw`\b(donde|como|en que|por donde) (esta|estan|va|van|viene|vienen|anda|andan) (mi|mis|el|la|los|las) ${ORDER}\b|\b(mi|mis) ${ORDER}( \w+){0,2} (donde|por donde|como) (esta|estan|va|van|anda|andan|viene)\b`),
  rule('order_status', 8, String.raw`\b(estado|seguimiento|rastreo|rastrear|tracking)( \w+){0,2} ${ORDER}\b|\bguia\b`),
  rule('order_status', 8, String.raw`\b(ha|han) (llegado|entregado|enviado|despachado)\b|\bcuando (me |lo |la |los |las |nos )?(llega|llegan|llegara|llegaria|entregan|despachan|envian|mandan|despacharan|enviaran)\b`),
  rule('order_status', 7, String.raw`\b(enviaron|despacharon|mandaron|salio|despachado|entregaron)\b`),
  // "no me ha llegado", "todavia no me llega", "nada que llega", "aun no recibo nada"
  rule('order_status', 8, String.raw`\b(no|aun no|todavia no|nada que|ya|nunca) (me )?(ha |han |he )?(llega|llegan|llego|llegaron|llegado|recibo|recibido|recibi|viene|vienen)\b|\b(sigo|seguimos|estoy) esperando\b|\ben camino\b|\bva en camino\b`),
  // "llega" alone is weak ("mi hermano llega mañana"); beside an order it is a question about it
  rule('order_status', 3, String.raw`\bllega\w*\b`),
  rule('order_status', 5, String.raw`\bllega\w*( \w+){0,3} ${ORDER}\b|\b${ORDER}( \w+){0,3} llega\w*|\b(mensajero|domiciliario|repartidor|transportadora|transportador)\b|\b(para|pa) cuando\b|\bque (paso|pasa|ha pasado) con\b|\bhace (\d+|un|una|dos|tres|cuatro|cinco|varios|varias|mas de \w+) (dias|dia|semanas|semana|horas|mes|meses)\b`),
  rule('order_status', 3, String.raw`\b(mi|mis) ${ORDER}\b|\blo (mio|que (compre|pedi|ordene|pague))\b|\b(demora|tarda|demoran|tardan|demorar|tardar)\b`),
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
  rule('view_cart', 7, String.raw`\b(cuanto|cuanta) (va|es|sale|seria|queda|da)( \w+){0,2} (total|cuenta)\b|\bcuanto (le )?(debo|es lo que llevo|llevo en total|seria todo|es todo|me sale todo)\b|\bresumen\b|^(el )?total$`),
  rule('view_cart', 7, String.raw`^(mi |el |ver |ver el |ver mi |ver la |la )?${CART}$|\bcuanto llevo\b|\b(pedido|compra) actual\b|^(ver|mostrar|muestra) (mi|el) pedido$|\btotal( \w+){0,3} (${CART}|compra|pedido)\b`),

  rule('add_to_cart', 8, String.raw`\b(agrega|agregar|agregue|agreguen|agregalo|agregala|adiciona|adicionar|sumale|incluye|incluir|mete|meter)\b`),
  rule('add_to_cart', 8, String.raw`\bme (lo |la |los |las )?llevo\b`),
  // "me aparta una cama" is "set one aside for me" (a purchase), not an apartment
  rule('add_to_cart', 7, String.raw`\b(pon|ponga|pongan|poneme|pone|apartame|separame|aparta(?! ?estudio)|separa|apartar|separar)\b`),
  // "ese me sirve", "me sirve esa": the one just shown is chosen
  rule('add_to_cart', 8, String.raw`\b(ese|esa|este|esta|eso|esos|esas|estos|estas)( me| nos)? (sirve|sirven|conviene|convence)\b|\bme (sirve|sirven|conviene) (ese|esa|este|esta|esos|esas|estos|estas)\b`),
  // "dame otra igual", "otra igual porfa", "ponme otra", "una mas", "y otra para mi hermana"
  rule('add_to_cart', 8, String.raw`\b(otro|otra|otros|otras) (igual|iguales|igualito|igualita|mismo|misma|mas)\b|^(y )?(otra|otro)\b|\b${GIVE} (otro|otra)\b|^(y )?(una|uno|otra|otro|dos|tres|\d{1,2}) mas\b`),
  // "esa", "esa misma", "ese de ahi": choosing what was just shown
  rule('add_to_cart', 8, String.raw`^(y )?${POINTER}( mismo| misma| mismos| mismas| de ahi| de alli| por favor| porfa)?$`),
  rule('add_to_cart', 8, String.raw`(?<!\bno )\b${GIVE} (el |la |los |las |lo )?${ORDINAL}\b`),
  // "también unas medias tobilleras": adding one more thing to what is already taken
  rule('add_to_cart', 7, String.raw`^(y )?tambien (un|una|unos|unas|el|la|los|las|\d{1,2}|dos|tres|cuatro|cinco) \w+`),
  // "no necesito un asesor" refuses; it adds nothing
  rule('add_to_cart', 7, String.raw`(?<!\bno )\b(quiero|quisiera|necesito|deseo|dame|deme|me da|me das|me regala|me regalas|me vende|me vendes|me manda|me mandas|me envia|me pasa|me pasas|pon|ponga) ${QTY}\b`),
  rule('add_to_cart', 7, String.raw`\b(quiero|quisiera|voy a|vamos a|deseo|necesito) (comprar|pedir|llevar|llevarme|ordenar|encargar)\b|\b(lo|la|los|las) (quiero|compro|pido)\b`),
  // a bare "quiero X" leans to adding, but a count is already scored above and must not count twice
  rule('add_to_cart', 4, String.raw`(?<!\bno )\b(quiero|quisiera|necesito|deseo) (?!${QTY}\b)\w+`),

  rule('search_products', 6, String.raw`\b(busco|buscando|buscar|buscaba)\b`),
  // "muéstrame la olla a presión", "quiero ver el balón": a look at a product by name (the cart, the
  // catalogue and an ordinal have stronger rules of their own)
  rule('search_products', 5, String.raw`^(y )?(muestra|mostrar|ensena|quiero ver|quisiera ver|me deja ver|puedo ver|a ver) (el|la|los|las|un|una|unos|unas) \w+`),
  // "muestrame la segunda", "la segunda", "el tercero": a look at one of the products just listed
  rule('search_products', 8, String.raw`^(y )?((muestra|ver|veo|mirar|miro|ensena|a ver|mostrar) )?(me )?(el |la |lo |los |las )?${ORDINAL}( opcion| foto| producto| modelo| referencia)?$|\b(muestra|ver|veo|ensena|mostrar) (el|la|los|las) ${ORDINAL}\b|^(y )?(la |el )?(opcion|numero) [1-9]$`),
  rule('search_products', 5, String.raw`^informacion (del|de la|de los|de las|sobre|de) \w+|\bnecesito (unos|unas)\b`),
  rule('search_products', 6, String.raw`\b(cuanto|cuanta|cuantos|cuantas) (vale|valen|cuesta|cuestan|sale|salen|esta|estan|es|son|cobran|cobra)\b|\b(precio|precios|valor|costo|cuesta|cuestan|valen)\b|\ba como (es|son|esta|estan|el|la|los|las|sale|salen)\b`),
  rule('search_products', 5, String.raw`\b(tienen|tiene|tienes|hay|habra|tendran|tendra|tendras|manejan|maneja|manejas|venden|vende|vendes|consigo|consiguen|ofrecen|traen)\b`),
  rule('search_products', 4, String.raw`\b${PRODUCT}\b`),

  rule('browse_categories', 8, String.raw`\b(catalogo|catalogos|categorias|categoria|portafolio|secciones|lista de productos)\b`),
  rule('browse_categories', 8, String.raw`\b(que|cuales)( mas)?( tipo de| clase de)?( productos| cosas| articulos)? (me |nos )?(tienen|venden|manejan|hay|ofrecen)( ustedes)?( para (vender|la venta))?$`),
  rule('browse_categories', 7, String.raw`\b(ver|conocer|saber|mirar) (los |sus )?precios$`),
  rule('browse_categories', 8, String.raw`\b(muestra|mostrar|ver|ensena)( \w+)? lo que (tienen|venden|hay|manejan)\b|^(ver |los |sus |mostrar )?productos$`),

  rule('help', 7, String.raw`\bque (puedo|se puede|puedes|pueden) hacer\b`),
  rule('help', 6, String.raw`\b(ayuda|ayudar|ayudame|ayudeme|ayudas|ayudarme|ayudan|auxilio|menu|opciones|instrucciones)\b|\bcomo funciona\b`),
  rule('help', 7, String.raw`\bpara que sirve (esto|este|el|este chat|este numero|el bot)\b|^para que sirve`),
  // "gracias por la ayuda" thanks for help given, it does not ask for more
  rule('help', -10, String.raw`\b(gracias|agradezco|agradecido|agradecida) (por|x) (la |su |tu |toda la |toda su )?(ayuda|colaboracion)\b`),
  rule('help', 5, String.raw`\bno entiendo\b|\bcomo (uso|usar|se usa|utilizo)\b|^informacion$`),

  rule('goodbye', 5.5, String.raw`\b(chao|hasta (luego|manana|pronto|la proxima|otro dia|mas tarde)|nos vemos|nos hablamos|hablamos (luego|despues|manana|mas tarde|otro dia)|feliz (noche|dia|tarde|fin de semana)|buen fin de semana|que (este|estes|esten) (bien|muy bien)|me voy|cuidate|cuidese|bendiciones)\b`),
  rule('thanks', 5, String.raw`\b(gracias|agradezco|agradecido|agradecida|agradecemos|muy amables?|thank|thanks|dios le (pague|bendiga)|dios lo bendiga)\b`),
  rule('greeting', 4, String.raw`\b(hola|ola|buenas|buenos dias|buen dia|quiubo|que mas|que hubo|que tal|hey|saludos|como estas|como esta|como vamos|epa|alo)\b`),
];

