// A complaint: something went wrong with what the customer bought or how they were served. It goes to a
// person (intent human_agent) with the entity reason 'complaint', so the operator sees it is a complaint
// and not a plain "talk to someone". Patterns run on normalised text (lower case, no accents).

// what is broken ("esta roto"), and what can only have gone wrong in the delivery ("llego abierto": a
// shop's "esta abierto" is about opening hours, "viene usado?" a question about the product)
const BROKEN = String.raw`(?:rot[oa]s?|danad[oa]s?|defectuos[oa]s?|manchad[oa]s?|despegad[oa]s?|vencid[oa]s?|quebrad[oa]s?|descosid[oa]s?|rayad[oa]s?|estropead[oa]s?|averiad[oa]s?|podrid[oa]s?)`;
const DAMAGE = String.raw`(?:${BROKEN}|incomplet[oa]s?|equivocad[oa]s?|mal[oa]s?|golpead[oa]s?|abiert[oa]s?|usad[oa]s?|mojad[oa]s?|partid[oa]s?|sucias?|sucios?)`;
const ARRIVED = String.raw`(?:llego|llegaron|vino|vinieron|salio|salieron|recibi|enviaron|mandaron|entregaron|vendieron|trajeron)`;
const IS = String.raw`(?:esta|estan|estaba|estaban|vino|vinieron)`;
const THING = String.raw`(?:color|talla|producto|productos|modelo|referencia|cosa|cosas|articulo|pedido|tamano|marca)`;
const BAD = String.raw`(?:pesim[oa]|horrible|terrible|malisim[oa]|mal|mala|malo|fatal|deficiente|lo peor)`;

/** Matches a complaint in normalised text. */
export const COMPLAINT = new RegExp(
  [
    String.raw`\b(queja|quejas|quejarme|quejar|reclamo|reclamos|reclamacion|reclamar|pqr|pqrs|denuncia|denunciar)\b`,
    String.raw`\b${ARRIVED}( \w+){0,4} ${DAMAGE}\b|\b${IS}( \w+){0,2} ${BROKEN}\b`,
    // not "repuestos para licuadora dañada": a product for a broken thing is a search
    String.raw`(?<!\bpara( \w+)? )\b(defectuos[oa]s?|danad[oa]s?)\b`,
    String.raw`\b${BAD}( \w+)? (servicio|atencion|experiencia|calidad)\b|\b(servicio|atencion) (tan |muy |super )?(${BAD})\b|\bque (${BAD})( \w+)? (servicio|atencion)\b`,
    String.raw`\b(cobraron|cobro|descontaron|debitaron|cargaron|sacaron)( \w+){0,3} (doble|dos veces|de mas|demas)\b|\b(doble cobro|cobro doble|cobro indebido|doble cargo)\b`,
    String.raw`\b(quiero|necesito|exijo|deseo|quisiera|me toca|como hago|hacer|solicitar|pedir)( para)?( hacer| solicitar| pedir)? (un |una |la |el |mi )?(devolver\w*|devolucion|reembolso|cambio|cambiarla|cambiarlo|cambiarlos|cambiarlas)\b|\bdevuelvan\b|\breembols\w*\b|\bdevolucion de (mi |la |el )?(plata|dinero)\b`,
    String.raw`\b(estafa|estafadores|estafador|estafaron|robaron|fraude|ladrones|tumbaron)\b`,
    String.raw`\bno es lo que (pedi|compre|ordene|encargue)\b|\b(enviaron|mandaron|llego|trajeron|entregaron|vino) (un |una )?(otro|otra|otros|otras) ${THING}\b|\b${THING} (equivocad[oa]|errone[oa]|incorrect[oa])\b`,
    String.raw`\b(falta|faltan|faltaron|faltaba|faltaban) (un |una |\d+ |dos |tres |algo|algunas |algunos )?(producto|productos|cosa|cosas|articulo|articulos|unidad|unidades|pieza|piezas|prenda|prendas|parte|partes)\b`,
    String.raw`\b(no funciona|no sirve|no prende|no enciende|no carga|dejo de funcionar|se dano|se rompio|se quebro|se despego|se descosio)\b`,
    String.raw`\b(?<!no (me|te|le|nos) )(inconforme|insatisfech[oa]|decepcionad[oa]|molest[oa]|indignad[oa]|furios[oa]|emputad[oa]|aburrid[oa] con)\b`,
    String.raw`(?<!no )\b(tengo|hay|tuve) (un |una )?(problema|inconveniente|lio) (con|en) (mi|el|la|lo|su) \w+`,
    String.raw`\bexijo\b|\bnadie (me )?(responde|contesta|atiende|da razon)\b`,
  ].join('|'),
);

/** True when the normalised message is a complaint. */
export const isComplaint = (normalised: string): boolean => COMPLAINT.test(normalised);
