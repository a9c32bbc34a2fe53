// Prices as customers in Colombia read them: "$120.000" (no decimals for whole pesos).
const pesos = new Intl.NumberFormat('es-CO', { style: 'currency', currency: 'COP', maximumFractionDigits: 2, minimumFractionDigits: 0 });

export function formatMoney(amount: number): string {
  return pesos.format(amount).replace(/\s/g, '');
}
