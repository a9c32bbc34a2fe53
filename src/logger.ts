import { pino, type Logger } from 'pino';

export type { Logger };

// Customers' numbers are personal data: logs keep the country code and the last three digits only.
export const maskPhone = (phone: string) => (phone.length > 6 ? `${phone.slice(0, 2)}…${phone.slice(-3)}` : '…');

export function createLogger(level: string, name = 'wa'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-hub-signature-256"]', '*.accessToken', '*.token'], censor: '[redacted]' },
  });
}
