/** Where tests create and drop their databases (trust auth on the local server). */
export const ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const databaseUrl = (name: string) => ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
