// What each known run-time setting accepts. Unknown keys may be stored (later features add their own),
// but a known switch never takes a value that would be read as something else.

const BOOLEAN = /^(true|false)$/;
const POSITIVE_INT = /^[1-9]\d{0,8}$/;

export const SETTING_RULES: Record<string, { pattern: RegExp; meaning: string }> = {
  use_ai_providers: { pattern: BOOLEAN, meaning: 'true or false' },
  use_redis_sessions: { pattern: BOOLEAN, meaning: 'true or false' },
  session_ttl_seconds: { pattern: POSITIVE_INT, meaning: 'a whole number of seconds' },
  archive_inactive_days: { pattern: POSITIVE_INT, meaning: 'a whole number of days' },
};

/** undefined when the value is acceptable, else why not. */
export function validateSetting(key: string, value: string): string | undefined {
  if (!/^[a-z][a-z0-9_]{1,63}$/.test(key)) return `setting names are lower_snake_case: ${key}`;
  const rule = SETTING_RULES[key];
  if (rule && !rule.pattern.test(value)) return `${key} must be ${rule.meaning}, not ${JSON.stringify(value)}`;
  return undefined;
}
