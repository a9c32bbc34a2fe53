import { describe, expect, it } from 'vitest';
import { isPostgresNullSocketWrite } from '../../src/db/postgres-js-guard.ts';

describe('the postgres.js null-socket guard', () => {
  it('recognises exactly the library bug and nothing else', () => {
    const bug = new TypeError("Cannot read properties of null (reading 'write')");
    bug.stack = `${bug.message}\n    at Immediate.nextWrite (file:///app/node_modules/postgres/src/connection.js:255:22)\n    at process.processImmediate (node:internal/timers:574:21)`;
    expect(isPostgresNullSocketWrite(bug)).toBe(true);

    const ours = new TypeError("Cannot read properties of null (reading 'write')");
    ours.stack = `${ours.message}\n    at send (file:///app/src/whatsapp/meta/send.ts:10:3)`;
    expect(isPostgresNullSocketWrite(ours)).toBe(false);
    const other = new TypeError("Cannot read properties of undefined (reading 'replace')");
    other.stack = `${other.message}\n    at queryError (file:///app/node_modules/postgres/src/connection.js:389:48)`;
    expect(isPostgresNullSocketWrite(other)).toBe(false);
    expect(isPostgresNullSocketWrite(new Error('boom'))).toBe(false);
  });
});
