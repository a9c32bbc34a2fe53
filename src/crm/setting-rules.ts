// The run-time settings the code reads, and what each accepts. Only these may be stored: a typo
// (`use_redis_session`) would otherwise be accepted, change nothing, and look like a switch that
// does not work. A feature that reads a new setting adds its rule here (RuntimeSettings takes
// only these names), and a migration may seed its row.

const BOOLEAN = /^(true|false)$/;
const POSITIVE_INT = /^[1-9]\d{0,8}$/;

export const SETTING_RULES = {
  use_ai_providers: { pattern: BOOLEAN, meaning: 'true or false' },
  use_redis_sessions: { pattern: BOOLEAN, meaning: 'true or false' },
  session_ttl_seconds: { pattern: POSITIVE_INT, meaning: 'a whole number of seconds' },
  archive_inactive_days: { pattern: POSITIVE_INT, meaning: 'a whole number of days' },
} satisfies Record<string, { pattern: RegExp; meaning: string }>;

export type SettingName = keyof typeof SETTING_RULES;
export const SETTING_NAMES = Object.keys(SETTING_RULES) as SettingName[];

export function isSettingName(key: string): key is SettingName {
  return Object.hasOwn(SETTING_RULES, key);
}

/** Why `key` is refused: it names no setting the code reads. */
export function unknownSetting(key: string): string {
  return `no setting named ${key}; the settings are ${SETTING_NAMES.join(', ')}`;
}

/** undefined when the value is acceptable, else why not. */
export function validateSetting(key: string, value: string): string | undefined {
  if (!isSettingName(key)) return unknownSetting(key);
  const rule = SETTING_RULES[key];
  if (!rule.pattern.test(value)) return `${key} must be ${rule.meaning}, not ${JSON.stringify(value)}`;
  return undefined;
}
