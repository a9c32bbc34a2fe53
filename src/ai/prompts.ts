import { INTENTS } from './intents.ts';
import type { AiContext } from './provider.ts';

// The words sent to every provider, in one place, so that they behave alike and can be compared.

const contextLines = (context: AiContext) => [
  ...(context.customerName ? [`Cliente: ${context.customerName}`] : []),
  ...(context.facts ?? []),
];

export function classifyInstructions(context: AiContext): string {
  return [
    'Clasificas mensajes de clientes de una tienda y alojamiento por WhatsApp, en español.',
    `Responde solo con un objeto JSON: {"intent": uno de [${INTENTS.join(', ')}], "entities": {"query"?: texto de lo que busca, "quantity"?: entero, "order"?: referencia de pedido}, "confidence": número de 0 a 1}.`,
    'Usa "unknown" si no encaja ninguna intención. No añadas texto fuera del JSON.',
    ...contextLines(context),
  ].join('\n');
}

export function replyInstructions(context: AiContext): string {
  return [
    'Eres el asistente de WhatsApp de un pequeño negocio (tienda y alojamiento). Responde en español, breve, cordial y concreto,',
    'en texto plano apto para WhatsApp (sin markdown, como mucho un emoji). No inventes precios, existencias ni reservas:',
    'si no lo sabes, ofrece el menú o un asesor humano.',
    ...contextLines(context),
  ].join('\n');
}

/** For a picture a customer sent: what matters to a shop and a rental host, not an art critique. */
export function describeImageInstructions(): string {
  return [
    'Describes en español, en una o dos frases, una imagen que un cliente envió por WhatsApp a una tienda y alojamiento.',
    'Di lo que sirve para atenderlo: el producto (tipo, color, marca o talla visibles), el texto legible (por ejemplo un',
    'comprobante de pago: monto, fecha, referencia) o el problema que muestra. Sin saludos ni suposiciones.',
  ].join('\n');
}

export const imageRequestText = (caption?: string) => (caption ? `El cliente escribió con la imagen: "${caption}"` : 'El cliente envió esta imagen sin texto.');
