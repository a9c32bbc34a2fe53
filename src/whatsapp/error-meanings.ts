// What a provider's refusal means, in words an operator can act on (Spanish first: the team is; English
// beside it). Meta's codes are from the Cloud API's error-code reference. Whapi answers by HTTP status, and
// its body's `code` repeats the status, so its meanings are keyed by status.

export interface ErrorMeaning {
  es: string;
  en: string;
}

const META: Record<number, ErrorMeaning> = {
  131047: { es: 'Fuera de la ventana de 24 h: el cliente no escribe hace más de un día; solo se le puede enviar una plantilla.', en: 'Re-engagement window closed: more than 24 h since the customer last wrote; only a template can be sent.' },
  470: { es: 'Fuera de la ventana de 24 h (código antiguo): solo se puede enviar una plantilla.', en: 'Outside the 24 h window (legacy code): only a template can be sent.' },
  131026: { es: 'No entregable: el número no usa WhatsApp, su aplicación es muy antigua o no aceptó los términos.', en: 'Undeliverable: the number is not on WhatsApp, its app is too old, or it has not accepted the terms.' },
  131049: { es: 'Meta no lo entregó para cuidar la experiencia: límite de mensajes de marketing a este cliente.', en: 'Not delivered by Meta to keep engagement healthy: per-user marketing message limit.' },
  131062: { es: 'Este mensaje no puede ir a un identificador de usuario (BSUID): las plantillas de autenticación necesitan el número del cliente.', en: 'Business-scoped user id recipients are not supported for this message: authentication templates need the phone number.' },
  131050: { es: 'El cliente dejó de recibir mensajes de marketing de este negocio.', en: 'The customer has stopped receiving marketing messages from this business.' },
  130429: { es: 'Límite de envío del número superado (mensajes por segundo).', en: "The number's throughput limit was hit (messages per second)." },
  131056: { es: 'Demasiados mensajes al mismo cliente en poco tiempo.', en: 'Pair rate limit: too many messages to the same customer in a short time.' },
  80007: { es: 'Límite de llamadas de la cuenta de WhatsApp Business superado.', en: 'The WhatsApp Business account rate limit was hit.' },
  368: { es: 'La cuenta está bloqueada temporalmente por infringir políticas.', en: 'Temporarily blocked for policy violations.' },
  131000: { es: 'Error desconocido de Meta al enviar.', en: 'Something went wrong at Meta while sending.' },
  131005: { es: 'Acceso denegado: el token no tiene permiso para enviar desde este número.', en: 'Access denied: the token lacks permission to send from this number.' },
  131008: { es: 'Falta un parámetro obligatorio en el mensaje.', en: 'A required parameter is missing.' },
  131009: { es: 'Un valor del mensaje no es válido (botones, listas o textos fuera de los límites).', en: 'A parameter value is not valid (buttons, lists or text past the limits).' },
  131021: { es: 'El destinatario es el mismo número que envía.', en: 'The recipient is the sending number itself.' },
  131031: { es: 'La cuenta de WhatsApp Business está bloqueada.', en: 'The WhatsApp Business account is locked.' },
  131042: { es: 'Problema de pago de la cuenta de WhatsApp Business.', en: 'A payment problem on the WhatsApp Business account.' },
  131051: { es: 'Tipo de mensaje no admitido.', en: 'Unsupported message type.' },
  131057: { es: 'La cuenta de WhatsApp Business está en mantenimiento.', en: 'The WhatsApp Business account is in maintenance mode.' },
  132000: { es: 'La plantilla no recibió el número de parámetros que espera.', en: 'The template got the wrong number of parameters.' },
  132001: { es: 'La plantilla no existe en ese idioma o aún no está aprobada.', en: 'The template does not exist in that language or is not approved.' },
  132015: { es: 'La plantilla está pausada por su baja calidad.', en: 'The template is paused for low quality.' },
  132016: { es: 'La plantilla está desactivada.', en: 'The template is disabled.' },
  133010: { es: 'El número del negocio no está registrado en la API de WhatsApp.', en: 'The business phone number is not registered with the Cloud API.' },
  190: { es: 'El token de acceso de Meta venció o no es válido.', en: 'The Meta access token has expired or is invalid.' },
  100: { es: 'Parámetro no válido en la solicitud.', en: 'Invalid parameter in the request.' },
  10: { es: 'Permiso denegado para esta operación.', en: 'Permission denied for this operation.' },
};

const WHAPI: Record<number, ErrorMeaning> = {
  0: { es: 'Whapi no envía plantillas de Meta: el mensaje no salió.', en: 'Whapi cannot send Meta templates: the message was not sent.' },
  400: { es: 'Whapi rechazó la solicitud (datos no válidos).', en: 'Whapi refused the request (invalid data).' },
  401: { es: 'El token de Whapi no es válido.', en: 'The Whapi token is invalid.' },
  402: { es: 'El canal de Whapi no está pagado o terminó su prueba.', en: 'The Whapi channel is unpaid or its trial has ended.' },
  403: { es: 'Whapi no permite esta operación al canal.', en: 'Whapi forbids this operation for the channel.' },
  404: { es: 'Whapi no encuentra el chat o el número no usa WhatsApp.', en: 'Whapi cannot find the chat, or the number is not on WhatsApp.' },
};

const EXPIRED: ErrorMeaning = { es: 'Caducó sin enviarse: pasó demasiado tiempo desde el mensaje del cliente.', en: 'Expired unsent: too long after the customer wrote.' };

/** The meaning of a provider's code (null when we do not know it); `expired` for replies never handed to a provider. */
export function errorMeaning(provider: string | null, code: number | null, opts: { expired?: boolean } = {}): ErrorMeaning | null {
  if (opts.expired) return EXPIRED;
  if (code === null) return null;
  if (provider === 'whapi') return WHAPI[code] ?? null;
  return META[code] ?? null;
}

/** The `code` label of wa_replies_undelivered_total: the provider's code, else its HTTP status, else what happened. */
export function undeliveredCodeLabel(code: number | null | undefined, status?: number): string {
  if (code !== null && code !== undefined) return String(code);
  return status ? `http_${status}` : 'unknown';
}
