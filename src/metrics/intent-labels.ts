// The intents as the dashboard names them for the team, in Spanish (DESIGN §3's sixteen). An intent not
// listed here (a newer one, a test's) is shown by its own name with spaces for underscores.

export const INTENT_LABELS: Readonly<Record<string, string>> = {
  greeting: 'Saludo',
  goodbye: 'Despedida',
  thanks: 'Agradecimiento',
  help: 'Pide ayuda',
  browse_categories: 'Ver el catálogo',
  search_products: 'Buscar productos',
  add_to_cart: 'Agregar al carrito',
  view_cart: 'Ver el carrito',
  remove_from_cart: 'Quitar del carrito',
  clear_cart: 'Vaciar el carrito',
  checkout: 'Finalizar la compra',
  order_status: 'Estado del pedido',
  booking_inquiry: 'Consulta de reserva',
  human_agent: 'Hablar con una persona',
  opt_out: 'No recibir mensajes',
  unknown: 'Sin entender',
};

export const intentLabel = (intent: string): string => INTENT_LABELS[intent] ?? intent.replace(/_/g, ' ');
