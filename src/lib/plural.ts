/** Spanish singular or plural by count: never "producto(s)". `plural(n, '1 noche', `${n} noches`)`. */
export const plural = (count: number, one: string, many: string): string => (count === 1 ? one : many);
