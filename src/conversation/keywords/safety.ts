// The two readings that cost most when missed: a customer who wants no more messages (opt_out: a legal
// and reputational duty) and one who wants a person (human_agent, complaints included). They are
// decided before any other intent: when one of these matches, no shop rule can outvote it.
// Patterns run on normalised text (lower case, no accents, slang expanded).
import { COMPLAINT } from './complaint.ts';

// what a customer no longer wants to receive; plural or mass nouns only, since "no me interesa esa
// oferta, tienen otra?" is still shopping
const MESSAGES = String.raw`(?:mensajes|msjs|mensajitos|promociones|promos|publicidad|ofertas|spam|notificaciones|cadenas|difusion|boletines|correos|propaganda|anuncios|whatsapps)`;
const WRITE = String.raw`(?:escrib\w*|envi\w*|mand\w*|molest\w*|contact\w*|llam\w*|busqu\w*|spame\w*)`;
const LIST = String.raw`(?:lista|listas|listado|base de datos|bases de datos|contactos|difusion|grupo|grupos|sistema|registro|campanas?)`;
const ME = String.raw`(?:me |m |nos )`;

const OPT_OUT: readonly RegExp[] = [
  /\bstop\b|\bunsubscribe\b|\bdesuscrib\w*|\bdesinscrib\w*|\bde baja\b|^(baja|parar|alto|para ya|no molestar)$|\bspam\b/,
  // "basta con una" is "one is enough"
  new RegExp(String.raw`\bya basta\b|^basta$|^basta ya\b|\bbasta (ya )?de\b|\bbasta (ya )?con (los |tanto |tantos |sus |tantas |las )?(${MESSAGES}|mensaje|spam)\b`),
  new RegExp(String.raw`\b(dejen|deja|deje|dejar|dejes|paren|para|pare|parar|paren ya) de ${WRITE}`),
  new RegExp(String.raw`\b(no|ya no|nunca) ${ME}?(sigan |siga |sigas |vuelvan a |vuelva a |vuelvas a |vuelvan |mas )?(envien|enviar|envie|manden|mandar|mande|escriban|escribir|escriba|escribas|escribirme|enviarme|mandarme|molesten|molestar|molestes|contacten|contactar|contactes|llamen|llame|llamar|sigan \w+ando|sigan \w+endo|agreguen|metan|incluyan)\b(?! (el|la|los|las|mi|mis) (pedido|paquete|compra|orden|domicilio|producto|factura|cotizacion))`),
  new RegExp(String.raw`\bno (quiero|deseo|me interesa|me interesan|necesito)( seguir)?( recibiendo| recibir)? (mas |sus |tus |los |las |este tipo de |esos |esas |estos |estas )*${MESSAGES}\b`),
  /\bno (quiero|deseo|me interesa|autorizo)( seguir)? recib\w*(?! (el|mi|la|los|las) (pedido|paquete|compra|orden|domicilio))/,
  new RegExp(String.raw`\bno (quiero|deseo) que ${ME}?(sigan |vuelvan a |sigan mandando |sigan enviando )?${WRITE}`),
  new RegExp(String.raw`\bno mas (${MESSAGES}|mensaje|promocion|informacion)\b`),
  new RegExp(String.raw`\b(cancel|desactiv|quit|apag|suspend|elimin)\w* (las |los |mis |la |sus |el |tus )?(${MESSAGES}|suscripcion|alertas)\b`),
  /\b(cancelar|cancela|cancelen|anular|quitar) (mi |la )?suscripcion\b|\bno (me )?(vuelvan|vuelva|vuelvas) a (escribir|enviar|mandar|contactar|llamar)/,
  new RegExp(String.raw`\b(sac|saqu|quit|elimin|borr|retir|remuev|remov)\w*( \w+){0,3} (mi |mis )(numero|contacto|datos|celular|telefono|informacion|whatsapp|correo)\b`),
  new RegExp(String.raw`\b(sac|saqu|quit|elimin|borr|retir|remuev|remov)\w*( \w+){0,3} (de|del) (la |su |sus |esta |este |tu |tus |el |ese |esa )?${LIST}\b`),
  new RegExp(String.raw`\b(salir|salirme|me salgo|retirarme|borrarme|eliminarme|sacarme|quitarme) (de|del) (la |su |sus |esta |este |tu |tus |el )?${LIST}\b`),
  /\bno autorizo\b|\bhabeas data\b|\b(borr|elimin|suprim)\w* (mis |todos mis )?datos\b/,
  new RegExp(String.raw`\b(los|las|lo|la|te|les) (voy a |vamos a )?bloque\w*|\bbloque\w* (este|su|tu|el) (numero|chat|contacto)\b|\bvoy a bloquear\b|\bno ${ME}?(lleguen|llegue|sigan llegando) (mas )?(${MESSAGES}|mensaje|nada)`),
  new RegExp(String.raw`\bno (quiero|deseo) (estar|seguir|aparecer|figurar) en (la |su |sus |esta |este |tu |tus |el )?${LIST}\b|\b(paren|pare|para) con (los |sus |tanto |tantos |el )?(${MESSAGES}|mensaje|spam)\b`),
  /\bcomo (hago para|hago pa|puedo|se hace para)( que)? no (me )?(recibir|lleguen|llegue|escriban|manden|envien)/,
];

// "personas" and "equipo" are left out: "pasame el precio para 4 personas", "del equipo de sonido"
const PERSON = String.raw`(?:persona|humano|humana|asesor|asesora|asesores|agente|agentes|alguien|operador|operadora|representante|encargado|encargada|vendedor|vendedora|gerente|dueno|duena|administrador|administradora|soporte|ventas|jefe|supervisor|supervisora|alguien real)`;

const PERSON_REQUEST: readonly RegExp[] = [
  new RegExp(String.raw`\b(hablar|hablo|hable|hablemos|habla|comunica|comunicar|comunicarme|comunique|comuniquen|comunican|comunicas|pasa|pasar|pasarme|pasas|pasan|pasen|pasenme|pasame|contactar|contacta|contacte|contacten|atender|atenderme|atienda|atiendan|atiende|transferir|transfiere|conecta|conectar|conectame|remitir)\b( \w+){0,4} ${PERSON}\b`),
  // not a bare "pasa con": "que pasa con mi pedido" asks about the order
  /\bme (pasa|pasas|pasan|pasen|comunica|comunican|conecta|transfiere) con\b|\b(pasenme|pasarme|pasar|pasame|conectame|transferir|transfiere) con\b|\bcomunic\w*\b|\b(alguien|gente) (del|de) (equipo|la tienda|ventas|soporte|servicio)\b/,
  /(?<!(para|de|por|cada) )\b(un|una) (persona|humano|humana)\b|\b(quiero|necesito|prefiero) (hablar con )?(una|un|a una|a un) (persona|humano|humana)\b/,
  /\b(humano|humana|asesor|asesora|asesores|agente|operador|operadora|representante)\b|\b(persona|alguien) (real|de verdad)\b|\b(servicio|atencion) (al cliente|humana|personalizada)\b|\bsoporte\b(?! (para|de|pa) )/,
  /\b(ayuda|atencion|respuesta) de (una|un) (persona|humano|humana|asesor|asesora)\b|\bno (del|con el|de un|con un|con una) (bot|robot|maquina)\b/,
  /\b(eres|es|sos|hablo con) un (robot|bot|maquina)\b|\bno (quiero hablar|hablo) con (un |una )?(robot|bot|maquina)\b/,
  /\bme (puede|pueden|podria|podrian|puedes) atender\b|\balguien (que|q) me (atienda|ayude|responda|conteste)\b|\bhay alguien\b|\b(atienda|atiendan|atenderme) alguien\b/,
  /\b(llamame|llamenme|llameme|llamarme)\b|\bme (llaman|llamen|llamas|puede llamar|pueden llamar|podrian llamar|podria llamar|puedes llamar|devuelven la llamada)\b|\bque me (llamen|llame|llames)\b|\bnumero (de contacto|para llamar|de telefono|fijo)\b/,
  /\bcon (alguien|una persona|un asesor|una asesora|el encargado|la encargada|el dueno|la duena|el gerente|ventas|soporte)\b/,
];

// "no quiero hablar con nadie", "no necesito asesor": the person words are there but refused
const PERSON_REFUSED = /\bno (quiero|necesito|deseo|hace falta|me hace falta|requiero|es necesario)( hablar| que me atienda| que me atiendan)?( con)? (nadie|ningun\w*|un |una |el |la |a un |a una )?(asesor|asesora|persona|humano|agente|nadie|alguien|operador)\b|\bsin (asesor|agente|persona|humano)\b/;

/** The safety reading of normalised text, if any: opt_out first, then a person (with its reason). */
export function safetyIntent(text: string): { intent: 'opt_out' | 'human_agent'; complaint: boolean } | undefined {
  if (OPT_OUT.some((p) => p.test(text))) return { intent: 'opt_out', complaint: false };
  const complaint = COMPLAINT.test(text);
  if (complaint) return { intent: 'human_agent', complaint };
  if (!PERSON_REFUSED.test(text) && PERSON_REQUEST.some((p) => p.test(text))) return { intent: 'human_agent', complaint: false };
  return undefined;
}
