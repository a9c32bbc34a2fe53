import { pino, type DestinationStream, type Logger } from 'pino';
import { currentLogFields } from './log-context.ts';
import { maskObject, maskPhonesInText, phoneFieldSerializers } from './log-mask.ts';

export type { Logger };

// Customers' numbers are personal data: logs keep the country code and the last three digits only.
export { maskPhone } from './log-mask.ts';

const NO_CONTEXT = {};

/** `destination` is for tests that read the lines back; by default pino writes to stdout. */
export function createLogger(level: string, name = 'wa', destination?: DestinationStream): Logger {
  return pino({
    name,
    level,
    // a job's queue, id and chat on every line logged while it runs (src/log-context.ts)
    mixin: () => currentLogFields() ?? NO_CONTEXT,
    mixinMergeStrategy: (line, context) => (context === NO_CONTEXT ? line : { ...context, ...line }),
    // phone numbers masked in every field (errors made plain here, see log-mask.ts), child bindings and messages
    formatters: { log: maskObject },
    serializers: {
      ...phoneFieldSerializers,
      err: (err: unknown) => (err instanceof Error ? maskObject({ ...pino.stdSerializers.err(err) }) : err),
      msg: (msg: unknown) => (typeof msg === 'string' ? maskPhonesInText(msg) : msg),
    },
    redact: { paths: ['req.headers.authorization', 'req.headers["x-hub-signature-256"]', '*.accessToken', '*.token'], censor: '[redacted]' },
  }, destination);
}
