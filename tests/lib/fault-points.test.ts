import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.ts';
import { faultHook } from '../../src/lib/fault-points.ts';

// The crash points' switch: inert unless named, dies exactly at the named point's n-th hit, and a value
// that names no point stops start-up like any other bad setting.

describe('FAULT_INJECT', () => {
  it('is no hook at all when unset', () => {
    expect(faultHook(undefined)).toBeUndefined();
    expect(faultHook('')).toBeUndefined();
  });

  it('dies at the named point only, at its n-th hit', () => {
    let deaths = 0;
    const hook = faultHook('outbound:after-accept#3', () => deaths++)!;
    hook('converse:before-commit');
    hook('outbound:after-accept');
    hook('outbound:after-accept');
    expect(deaths).toBe(0);
    hook('outbound:after-accept');
    expect(deaths).toBe(1);
    hook('outbound:after-accept');
    expect(deaths).toBe(1);
    const first = faultHook('converse:before-commit', () => deaths++)!;
    first('converse:before-commit');
    expect(deaths).toBe(2);
  });

  it('refuses a value that names no crash point', () => {
    expect(() => loadConfig({ FAULT_INJECT: 'converse:after-commit' })).toThrow(ConfigError);
    expect(() => loadConfig({ FAULT_INJECT: 'outbound:after-accept#0' })).toThrow(/FAULT_INJECT/);
    expect(loadConfig({ FAULT_INJECT: 'outbound:after-accept#2' }).FAULT_INJECT).toBe('outbound:after-accept#2');
    expect(loadConfig({}).FAULT_INJECT).toBeUndefined();
  });
});
