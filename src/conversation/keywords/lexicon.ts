// Word lists shared by normalisation, typo correction and entity extraction. All entries are in
// normalised form: lower case, accents folded, no punctuation.

/**
 * WhatsApp shorthand and Colombian/LatAm slang, rewritten to the plain words the intent rules
 * know. A value may hold several words ("porfa" → "por favor").
 */
export const SLANG: Readonly<Record<string, string>> = {
  q: 'que', k: 'que', ke: 'que', qe: 'que', qu: 'que',
  xq: 'porque', pq: 'porque', porq: 'porque', xk: 'porque',
  porfa: 'por favor', porfis: 'por favor', porfavor: 'por favor', xfa: 'por favor', xfavor: 'por favor',
  pfa: 'por favor', pf: 'por favor', plis: 'por favor', pliss: 'por favor', pls: 'por favor', plz: 'por favor',
  grax: 'gracias', grx: 'gracias', grs: 'gracias', grcs: 'gracias', gracia: 'gracias', grac: 'gracias', thx: 'gracias',
  tmb: 'tambien', tb: 'tambien', tbn: 'tambien', tmbn: 'tambien',
  dnd: 'donde', dnde: 'donde', cdo: 'cuando', cnd: 'cuando', qdo: 'cuando',
  kiubo: 'quiubo', kiubole: 'quiubo', quiubole: 'quiubo', quibo: 'quiubo', quihubo: 'quiubo',
  bn: 'bien', bno: 'bueno', bna: 'buena', bns: 'buenas',
  okis: 'ok', oki: 'ok', okey: 'ok', okay: 'ok', okas: 'ok', oka: 'ok',
  x: 'por', d: 'de', xa: 'para', pa: 'para', pal: 'para el',
  msj: 'mensaje', msjs: 'mensajes', msg: 'mensaje', mensj: 'mensaje',
  info: 'informacion', cel: 'celular', apto: 'apartamento', apartaestudio: 'apartamento',
  hla: 'hola', holi: 'hola', holis: 'hola', holu: 'hola', wenas: 'buenas', wena: 'buenas', buenass: 'buenas',
  toy: 'estoy', tas: 'estas', ta: 'esta', tons: 'entonces', aki: 'aqui', aka: 'aca',
  nd: 'nada', nda: 'nada', sip: 'si', sii: 'si', nop: 'no', nel: 'no',
  bye: 'chao', bay: 'chao', chau: 'chao', chaito: 'chao', chaio: 'chao', adios: 'chao',
  hr: 'hora', hrs: 'horas', min: 'minutos', dr: 'doctor',
  ud: 'usted', uds: 'ustedes', ustd: 'usted', vos: 'tu',
  wsp: 'whatsapp', wpp: 'whatsapp', wasap: 'whatsapp',
  jsjs: 'jaja', jsjsjs: 'jaja', jeje: 'jaja', jiji: 'jaja', jajaja: 'jaja', xd: 'jaja', lol: 'jaja',
  regaleme: 'me regala', regalame: 'me regala', regalenme: 'me regala',
  mandeme: 'me manda', mandame: 'me manda', pasame: 'me pasa', paseme: 'me pasa', paselo: 'me pasa',
  damelo: 'dame', demelo: 'dame', sacame: 'saca', quitame: 'quita', quitale: 'quita', sacale: 'saca',
  agregame: 'agrega', agregale: 'agrega', agregueme: 'agrega', anademe: 'agrega', anade: 'agrega', anadir: 'agregar',
  anadi: 'agrega', echale: 'agrega', echame: 'agrega', metele: 'agrega', meteme: 'agrega',
  pongame: 'agrega', ponme: 'agrega', ponle: 'agrega', pongale: 'agrega', muestrame: 'muestra', muestreme: 'muestra',
  mostrame: 'muestra', ensename: 'muestra', ensenme: 'muestra', comunicame: 'comunica', comuniqueme: 'comunica',
  checkin: 'check in', 'check-in': 'check in', 'check-out': 'check out',
};

/** Forms of address and padding that say nothing about what the customer wants. */
export const FILLERS = new Set([
  'parce', 'parcero', 'parcera', 'mijo', 'mija', 'mi amor', 'veci', 'vecino', 'vecina', 'amigo', 'amiga', 'hermano',
  'hermana', 'llave', 'por favor', 'senor', 'senora', 'senorita', 'don', 'dona', 'pues', 'porfavor', 'favor', 'plis', 'gracias',
  'hola', 'ola', 'buenas', 'buenos', 'dias', 'tardes', 'noches', 'quiubo', 'ok', 'listo', 'bueno', 'vale', 'dale',
  'oye', 'oiga', 'hey', 'ya', 'mejor', 'no', 'si', 'tambien', 'entonces', 'jaja', 'y', 'e', 'o', 'pero', 'ahora',
  'usted', 'ustedes', 'ahi', 'aqui', 'aca', 'alla', 'hoy', 'porque',
]);

/** Words that may open or close a product query without being part of it ("el jean azul" → "jean azul"). */
export const EDGE_WORDS = new Set([
  'el', 'la', 'los', 'las', 'lo', 'un', 'una', 'unos', 'unas', 'uno', 'de', 'del', 'al', 'a', 'para', 'por',
  'mi', 'mis', 'me', 'te', 'le', 'les', 'nos', 'se', 'su', 'sus', 'tu', 'tus', 'que', 'en', 'con', 'sin', 'como',
  'ese', 'esa', 'esos', 'esas', 'eso', 'este', 'esta', 'estos', 'estas', 'esto', 'aquel', 'aquella', 'algo',
  'algun', 'alguna', 'alguno', 'algunos', 'algunas', 'otro', 'otra', 'otros', 'otras', 'mas', 'muy', 'tan',
  'cual', 'cuales', 'todo', 'toda', 'todos', 'todas', 'es', 'son', 'hay', 'tienen', 'ahi', 'aqui', 'ya', 'y',
  'favor', 'por favor', 'pues', 'tambien', 'ahora', 'hoy',
]);

/**
 * Words the intent rules are written against. Typo correction maps an unknown word to one of these
 * ("carito" → "carrito"), so a misspelt trigger still counts. Product nouns are here only so that a bare
 * "licuadra" or "sapatos" still reads as a product search.
 */
export const TRIGGER_WORDS = [
  'hola', 'buenas', 'buenos', 'saludos', 'quiubo', 'gracias', 'agradezco', 'agradecido', 'agradecida', 'amable',
  'chao', 'hasta', 'luego', 'pronto', 'manana', 'vemos', 'hablamos', 'ayuda', 'ayudar', 'ayudame', 'ayudas',
  'ayudarme', 'opciones', 'funciona', 'menu', 'catalogo', 'categorias', 'categoria', 'productos', 'venden',
  'manejan', 'tienen', 'busco', 'buscando', 'buscar', 'cuanto', 'cuesta', 'cuestan', 'valen', 'precio', 'precios',
  'agrega', 'agregar', 'agregue', 'agregen', 'carrito', 'carro', 'llevo', 'quiero', 'quisiera', 'necesito',
  'comprar', 'compra', 'quita', 'quitar', 'quite', 'saca', 'sacar', 'elimina', 'eliminar', 'elimine', 'borra',
  'borrar', 'borre', 'retira', 'retirar', 'vacia', 'vaciar', 'vacie', 'limpia', 'limpiar', 'pagar', 'pague',
  'finalizar', 'finaliza', 'terminar', 'confirmar', 'confirmo', 'pedido', 'orden', 'paquete', 'envio',
  'llegado', 'llega', 'enviaron', 'despacharon', 'despacho', 'estado', 'seguimiento', 'rastrear', 'guia',
  'reservar', 'reserva', 'reservas', 'apartamento', 'disponibilidad', 'disponible', 'noche', 'noches', 'personas',
  'alquilar', 'arrendar', 'hospedaje', 'alojamiento', 'parqueadero', 'persona', 'humano', 'asesor', 'asesora',
  'agente', 'operador', 'hablar', 'comunica', 'comunicar', 'atender', 'mensajes', 'mensaje', 'escriban',
  'envien', 'manden', 'suscripcion', 'publicidad', 'stop', 'muestra', 'mostrar', 'revisar', 'empezar', 'nuevo',
  'zapatos', 'licuadora', 'camisa', 'camisas', 'camiseta', 'camisetas', 'pantalon', 'pantalones', 'audifonos',
  'celular', 'reloj', 'bolso', 'chaqueta', 'vestido', 'tenis', 'zapatillas', 'medias', 'gorra',
];

/** Common words that look like typos of a trigger but are not ("cargo" is not "carro"). */
export const COMMON_WORDS = [
  'bueno', 'buena', 'cargo', 'carga', 'cargar', 'llevar', 'lleva', 'llevan', 'cuanta', 'cuantos', 'cuantas',
  'paga', 'pago', 'pagos', 'pagan', 'pagas', 'pague', 'gracioso', 'graciosa', 'hablo', 'habla', 'nueva', 'nuevos',
  'nuevas', 'noticias', 'menos', 'orden', 'ordenes', 'pedir', 'pido', 'pides', 'piden', 'reloj', 'relojes',
  'mucho', 'mucha', 'muchos', 'muchas', 'tengo', 'tiene', 'tienes', 'tenemos', 'quieres', 'quiere', 'quieren',
  'busca', 'buscas', 'buscan', 'precioso', 'preciosa', 'carta', 'cartas', 'cerca', 'perro', 'perra', 'vecina',
  'manera', 'mande', 'mandar', 'manda', 'mandan', 'mandas', 'ver', 'verde', 'verdes', 'venta', 'ventas', 'vender',
  'vende', 'vendes', 'casa', 'caso', 'cosa', 'cosas', 'luego', 'lugar', 'hasta', 'hacer', 'hago', 'hace',
  'media', 'medio', 'escribir', 'escribe', 'escriben', 'enviar', 'envia', 'envian', 'recibir', 'recibo', 'llamar', 'llamen',
  'estado', 'estamos', 'estan', 'estas', 'estoy', 'tarde', 'tardes', 'noche', 'porque', 'persona', 'personal',
  // real words one letter from a trigger: "parar" is not "pagar", "basta" not "hasta", "cuenta" not "cuesta"
  'parar', 'paren', 'pare', 'basta', 'compro', 'compre', 'compras', 'cuenta', 'cuentas', 'queja', 'quejas', 'reclamo',
  'danado', 'danada', 'roto', 'rota', 'llamenme', 'llamame', 'soporte', 'despachan', 'mensajero', 'otra', 'otro',
];
