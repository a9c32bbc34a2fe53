import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyMetaSignature } from '../../src/whatsapp/meta/signature.ts';
import { metaEnvelope, metaTextMessage } from '../support/meta-payloads.ts';

const SECRET = 'f3a9c2e1b7d04a5c9e8f1a2b3c4d5e6f';
const hmacHex = (raw: Buffer | string, secret = SECRET) => createHmac('sha256', secret).update(raw).digest('hex');
const header = (raw: Buffer | string, secret = SECRET) => `sha256=${hmacHex(raw, secret)}`;

const raw = Buffer.from(JSON.stringify(metaEnvelope([metaTextMessage({ from: '573001234567', id: 'wamid.HBgMNTczMDAxMjM0NTY3FQIAEhgg', body: 'hola', timestamp: '1767225600' })])));

describe('verifyMetaSignature', () => {
  it('accepts the HMAC-SHA256 of the raw body under the app secret', () => {
    expect(verifyMetaSignature(raw, header(raw), SECRET)).toBe(true);
  });

  it('accepts upper-case hex digits (the digest is the same number)', () => {
    expect(verifyMetaSignature(raw, `sha256=${hmacHex(raw).toUpperCase()}`, SECRET)).toBe(true);
  });

  it('rejects a body with one byte changed', () => {
    const tampered = Buffer.from(raw);
    const at = tampered.indexOf('hola');
    tampered[at] = 'H'.charCodeAt(0);
    expect(tampered.equals(raw)).toBe(false);
    expect(verifyMetaSignature(tampered, header(raw), SECRET)).toBe(false);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyMetaSignature(raw, header(raw, 'another-app-secret'), SECRET)).toBe(false);
  });

  it('rejects a missing or empty header', () => {
    expect(verifyMetaSignature(raw, undefined, SECRET)).toBe(false);
    expect(verifyMetaSignature(raw, '', SECRET)).toBe(false);
  });

  it('rejects a wrong or missing prefix', () => {
    const hex = hmacHex(raw);
    expect(verifyMetaSignature(raw, hex, SECRET)).toBe(false);
    expect(verifyMetaSignature(raw, `sha1=${hex}`, SECRET)).toBe(false);
    expect(verifyMetaSignature(raw, `SHA256=${hex}`, SECRET)).toBe(false);
    expect(verifyMetaSignature(raw, ` sha256=${hex}`, SECRET)).toBe(false);
  });

  it('rejects digests of the wrong length, including a valid one with extra characters', () => {
    const hex = hmacHex(raw);
    expect(verifyMetaSignature(raw, `sha256=${hex.slice(0, 62)}`, SECRET)).toBe(false);
    expect(verifyMetaSignature(raw, `sha256=${hex.slice(0, 63)}`, SECRET)).toBe(false);
    expect(verifyMetaSignature(raw, `sha256=${hex}00`, SECRET)).toBe(false);
    // Buffer.from(hex) alone would stop at "z" and compare only the valid part
    expect(verifyMetaSignature(raw, `sha256=${hex}zz`, SECRET)).toBe(false);
    expect(verifyMetaSignature(raw, `sha256=${hex}\n`, SECRET)).toBe(false);
    expect(verifyMetaSignature(raw, 'sha256=', SECRET)).toBe(false);
  });

  it('rejects non-hex characters of the right length', () => {
    expect(verifyMetaSignature(raw, `sha256=${'g'.repeat(64)}`, SECRET)).toBe(false);
  });

  it('never verifies with an empty app secret, even a signature made with it', () => {
    expect(verifyMetaSignature(raw, header(raw, ''), '')).toBe(false);
  });

  it('does not throw on inputs outside its type', () => {
    expect(verifyMetaSignature('not a buffer' as unknown as Buffer, header('not a buffer'), SECRET)).toBe(false);
    expect(verifyMetaSignature(raw, ['sha256=00'] as unknown as string, SECRET)).toBe(false);
    expect(verifyMetaSignature(undefined as unknown as Buffer, undefined, SECRET)).toBe(false);
  });

  describe('is computed over the raw bytes, never a re-serialised body', () => {
    // As Meta sends it: non-ASCII escaped as \uXXXX (emoji as surrogate pairs), "/" escaped, no spaces.
    const metaRaw = Buffer.from(
      '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp",' +
        '"metadata":{"display_phone_number":"573000000000","phone_number_id":"1098765432"},"contacts":[{"profile":{"name":"Jos\\u00e9 Mu\\u00f1oz"},"wa_id":"573001234567"}],' +
        '"messages":[{"from":"573001234567","id":"wamid.HBgMNTczMDAxMjM0NTY3FQIAEhgg","timestamp":"1767225600","text":{"body":"\\u00bfTienen caf\\u00e9? \\ud83d\\ude00 24\\/7"},"type":"text"}]},"field":"messages"}]}]}',
      'utf8',
    );

    it('verifies the raw body, which parses to the accented text and emoji', () => {
      expect(verifyMetaSignature(metaRaw, header(metaRaw), SECRET)).toBe(true);
      const parsed = JSON.parse(metaRaw.toString('utf8'));
      expect(parsed.entry[0].changes[0].value.messages[0].text.body).toBe('¿Tienen café? 😀 24/7');
      expect(parsed.entry[0].changes[0].value.contacts[0].profile.name).toBe('José Muñoz');
    });

    it('does not verify the same JSON re-serialised (escapes become UTF-8 bytes)', () => {
      const reserialised = Buffer.from(JSON.stringify(JSON.parse(metaRaw.toString('utf8'))), 'utf8');
      expect(reserialised.equals(metaRaw)).toBe(false);
      expect(verifyMetaSignature(reserialised, header(metaRaw), SECRET)).toBe(false);
    });

    it('verifies a body sent as literal UTF-8 (emoji and accents as multi-byte sequences)', () => {
      const utf8Raw = Buffer.from(JSON.stringify(metaEnvelope([metaTextMessage({ from: '573001234567', id: 'wamid.utf8', body: 'Ñandú 🦩 ¡olé!', name: 'Zoë' })])), 'utf8');
      expect(utf8Raw.length).toBeGreaterThan(utf8Raw.toString('utf8').length);
      expect(verifyMetaSignature(utf8Raw, header(utf8Raw), SECRET)).toBe(true);
      // signing the string as latin1 bytes (a decoded-then-re-encoded body) gives another digest
      expect(verifyMetaSignature(utf8Raw, header(Buffer.from(utf8Raw.toString('utf8'), 'latin1')), SECRET)).toBe(false);
    });
  });
});
