// What a person starting the service needs to read first: where the console and the bot simulator are,
// which webhooks listen, which provider sends, how to sign in. Printed once at start-up as a few plain
// lines on stderr (the JSON log on stdout gets the same facts as one line, without the setup link).
//
// First run: with no ADMIN_TOKEN and no operator, nobody could open the console. A one-time setup link is
// made then (src/operators/first-operator.ts) and printed here: whoever can read the start-up output of the
// machine is the person installing it. It creates one owner account, once, within 24 hours.
import type { Config } from '../config/load.ts';
import type { Sql } from '../db/client.ts';
import { ADMIN_PATHS } from '../http/admin-paths.ts';
import { newSetupToken, noOperatorYet, SETUP_TOKEN_HOURS } from '../operators/first-operator.ts';

export interface StartupSummary {
  /** for people: printed as is */
  lines: string[];
  /** for the JSON log (no secret in it) */
  fields: Record<string, unknown>;
}

/** The base URL people open: PUBLIC_URL, else this machine's address and the port listened on. */
export function publicBase(config: Pick<Config, 'PUBLIC_URL' | 'HOST'>, port: number): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  const host = ['0.0.0.0', '::', ''].includes(config.HOST) ? 'localhost' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return `http://${host}:${port}`;
}

const PROVIDER_MEANING = {
  sandbox: 'sandbox: replies are recorded in the outbox and sent nowhere; talk to the bot in the simulator',
  meta: 'meta: WhatsApp Cloud API',
  whapi: 'whapi: Whapi.cloud',
} as const;

function webhookLines(config: Config, base: string): { lines: string[]; active: string[] } {
  const active: string[] = [];
  const lines: string[] = [];
  if (config.META_APP_SECRET && config.META_VERIFY_TOKEN) {
    active.push('meta');
    lines.push(`  webhook  ${base}/webhooks/meta  (Meta; verify token META_VERIFY_TOKEN)`);
  } else {
    lines.push('  webhook  /webhooks/meta is off: set META_APP_SECRET and META_VERIFY_TOKEN');
  }
  if (config.WHAPI_WEBHOOK_TOKEN) {
    active.push('whapi');
    lines.push(`  webhook  ${base}/webhooks/whapi/<WHAPI_WEBHOOK_TOKEN>  (Whapi)`);
  } else {
    lines.push('  webhook  /webhooks/whapi/:token is off: set WHAPI_WEBHOOK_TOKEN');
  }
  if (config.PAYMENT_PROVIDER !== 'none') {
    active.push(`payments/${config.PAYMENT_PROVIDER}`);
    lines.push(`  webhook  ${base}/webhooks/payments/${config.PAYMENT_PROVIDER}  (payment notifications)`);
  }
  return { lines, active };
}

function aiLine(config: Config): string {
  const keys = [config.OPENAI_API_KEY && 'OpenAI', config.DEEPSEEK_API_KEY && 'DeepSeek', config.GEMINI_API_KEY && 'Gemini'].filter(Boolean);
  return keys.length ? `AI: ${keys.join(', ')}, with the keyword understanding as fallback` : 'AI: none configured, keyword understanding only (every message is still answered)';
}

/**
 * The summary for a process of `role` that listens on `port` (web and all), or none (worker). With no
 * operator and no ADMIN_TOKEN it makes a setup token, so call it once per start.
 */
export async function startupSummary(o: { config: Config; sql: Sql; role: 'all' | 'web' | 'worker'; port?: number }): Promise<StartupSummary> {
  const { config, role } = o;
  const provider = PROVIDER_MEANING[config.WHATSAPP_PROVIDER];
  const stages = role === 'web' ? [] : config.WORKER_STAGES;
  const head = `WhatsApp assistant started (${role === 'all' ? 'web and every worker stage in one process' : role === 'web' ? 'web role' : `worker: ${stages.join(', ')}`})`;
  if (role === 'worker' || o.port === undefined) {
    return { lines: [head, `  provider ${provider}`, `  ${aiLine(config)}`], fields: { role, provider: config.WHATSAPP_PROVIDER, stages } };
  }
  const base = publicBase(config, o.port);
  const url = (path: string) => `${base}${path}`;
  const webhooks = webhookLines(config, base);
  const lines = [
    head,
    `  console        ${url(ADMIN_PATHS.console)}`,
    `  bot simulator  ${url(ADMIN_PATHS.simulator)}`,
    `  dashboard      ${url(ADMIN_PATHS.dashboard)}    queues ${url(ADMIN_PATHS.queues)}`,
    `  provider ${provider}`,
    ...webhooks.lines,
    `  ${aiLine(config)}`,
  ];
  let signIn: string;
  if (!(await noOperatorYet(o.sql))) {
    signIn = 'operators';
    lines.push(`  sign in at ${url(ADMIN_PATHS.login)}${config.ADMIN_TOKEN ? ' (scripts: ADMIN_TOKEN as a bearer token)' : ''}`);
  } else if (config.ADMIN_TOKEN) {
    signIn = 'admin token';
    lines.push(`  no operator account yet: create the first at ${url(ADMIN_PATHS.setup)} with ADMIN_TOKEN, or run npm run operator -- add YOUR-NAME --owner`);
  } else {
    signIn = 'setup link';
    const token = await newSetupToken(o.sql);
    lines.push(
      `  first run: no operator account yet. Create the owner's account here (one use, valid ${SETUP_TOKEN_HOURS} h):`,
      `    ${url(`${ADMIN_PATHS.setup}?token=${token}`)}`,
      '  or run npm run operator -- add YOUR-NAME --owner',
    );
  }
  return {
    lines,
    fields: {
      role, provider: config.WHATSAPP_PROVIDER, webhooks: webhooks.active, stages,
      console: url(ADMIN_PATHS.console), simulator: url(ADMIN_PATHS.simulator), dashboard: url(ADMIN_PATHS.dashboard), signIn,
    },
  };
}
