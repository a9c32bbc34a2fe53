import { looksLikeQuestion } from '../lib/asking.ts';
import { foldAccents } from '../lib/text.ts';

// The few things customers ask a small business about, each with the words they ask it in and the words
// a business writes it in: "¿a qué hora cierran?" must find "Abrimos de lunes a viernes de 9 a 7", which
// shares no word with it. A question's word that names a concept is searched as any of the concept's
// words. Topical concepts are what makes a message a question about the business ("¿tiene garantía?");
// the others only say which sentence of it answers ("cuesta", "demora"), and alone prove nothing
// ("¿cuánto vale la freidora?" is a product question). Words are folded (no accents, lower case).

export interface Concept {
  name: string;
  topical: boolean;
  /** About a rental place ("piscina", "aire acondicionado"): in a shop the same words name products. */
  place?: boolean;
  words: readonly string[];
  /** Words that name the concept in a question but are too common to search it by ("tienda"). */
  triggers?: readonly string[];
}

const concept = (name: string, topical: boolean, words: string, place = false) => ({ name, topical, place, words: words.split(/\s+/).filter(Boolean) });

export const CONCEPTS: readonly Concept[] = [
  concept('horario', true, `horario horarios hora horas abren abre abrimos abierto abiertos abrir cierran cierra cerramos cerrado cerrados cerrar
    atienden atiende atendemos atencion lunes martes miercoles jueves viernes sabado sabados domingo domingos festivo festivos feriado feriados semana`),
  concept('envio', true, `envio envios enviar enviamos envian envias despacho despachos despachan despachamos domicilio domicilios
    domiciliario transportadora mensajeria flete pais ciudades nacional`),
  concept('entrega', false, `demora demoran demorar tarda tardan tardar llega llegan llegaria entrega entregas entregan dias habiles
    horas mismo rapido urgente express tiempo anticipacion antelacion`),
  concept('costo', false, `cuesta cuestan costo costos cobran cobra cobro vale valor precio tarifa gratis gratuito`),
  concept('pago', true, `pago pagos pagar pagan pague pagarles nequi daviplata tarjeta tarjetas credito debito efectivo transferencia
    transferencias transferir consignar consignacion consigno pse datafono bancolombia davivienda contraentrega`),
  concept('cuenta', true, `cuenta cuentas consignar consigno consignacion transferir transferencia banco bancaria bancario ahorros`),
  concept('garantia', true, `garantia garantias danado danada dano roto rota rompio defectuoso defectuosa defecto falla fallas fallo
    averiado funciona devolucion devoluciones devolver devuelvo devuelven cambio cambios cambiar reembolso reembolsan retracto`),
  { ...concept('ubicacion', true, `direccion ubicados ubicada ubicado ubicacion ubican queda quedan encuentran mapa calle carrera barrio`),
    triggers: ['tienda', 'local', 'fisica', 'sede', 'sedes'] },
  concept('donde', false, `donde direccion ubicados ubicacion queda calle carrera barrio`),
  concept('mascotas', true, `mascota mascotas perro perros perrito perritos perrita perritas gato gatos gatito gatitos gatita`),
  concept('fiestas', true, `fiesta fiestas evento eventos reunion reuniones ruido musica rumba`, true),
  concept('fumar', true, `fumar fuma fumo fumadores cigarrillo`, true),
  concept('llegada', true, `checkin check-in llegada llegar llego llegamos ingreso ingresar entrar entrada`, true),
  concept('salida', true, `checkout check-out salida salir salimos desalojar desocupar`, true),
  concept('capacidad', true, `capacidad caben cupo huespedes`, true),
  concept('parqueadero', true, `parqueadero parqueaderos parqueo parking estacionamiento estacionar garaje`, true),
  concept('wifi', true, `wifi internet`, true),
  concept('piscina', true, `piscina piscinas`, true),
  concept('aire', true, `aire acondicionado ventilador`, true),
];

// Words that start like a concept's word but never mean it ("entre semana" is not an "entrega").
const NEVER = new Set(['entre', 'entonces', 'pagina']);

/** Same word, or the same beginning of five letters or more ("envíos"/"envio", "cierran"/"cierra"). */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length < 5 || b.length < 5) return false;
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n >= 5 && a.length - n <= 3 && b.length - n <= 3;
}

/** The concepts a word (folded) names. */
export function conceptsOf(word: string): Concept[] {
  const w = foldAccents(word);
  if (NEVER.has(w)) return [];
  return CONCEPTS.filter((c) => [...c.words, ...(c.triggers ?? [])].some((cw) => sameWord(w, cw)));
}

/** Whether the word names a concept only as one of its triggers (then it is not searched as itself). */
export const onlyTriggers = (word: string): boolean => {
  const w = foldAccents(word);
  return CONCEPTS.some((c) => c.triggers?.some((t) => sameWord(w, t))) && !CONCEPTS.some((c) => c.words.some((cw) => sameWord(w, cw)));
};

/** A message's words, folded, greetings left out ("buenos días" is not a delivery time). */
export function questionWords(text: string): string[] {
  const folded = foldAccents(text).replace(/\b(buen[oa]s?\s+(dias|tardes|noches))\b/g, ' ');
  return (folded.match(/[\p{L}\p{N}]+(?:-[\p{L}]+)?/gu) ?? []).filter((w) => w.length <= 40).slice(0, 16);
}

/**
 * Cheap, no database: does the message ask about one of the business's topics (hours, delivery,
 * payment…)? A rental place's topics ("piscina", "aire") count only when asked about a place: in a shop
 * "freidora de aire" is a product.
 */
export function topicalConcepts(text: string, { place = true } = {}): string[] {
  return [...new Set(questionWords(text).flatMap((w) => conceptsOf(w).filter((c) => c.topical && (place || !c.place)).map((c) => c.name)))];
}

export const looksLikeFactQuestion = (text: string, opts: { place?: boolean } = {}): boolean => topicalConcepts(text, opts).length > 0;

/** Asked, not ordered: "¿se puede pagar con daviplata?" and "aceptan nequi" vs "quiero pagar". */
export const isAsking = looksLikeQuestion;
