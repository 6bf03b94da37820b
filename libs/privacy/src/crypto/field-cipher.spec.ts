import { randomBytes } from 'node:crypto';
import { DecryptionFailedError } from './aes-gcm';
import { decryptField, encryptField, ENCRYPTED_FIELD_PREFIX, isEncryptedField } from './field-cipher';

const key = randomBytes(32);
const context = { customerId: 'ada', eventId: '6f1c1a4e-7d1b-4a8e-9a43-0b8e8d9f5a01', field: 'email' };

describe('field cipher', () => {
  it.each<[string, unknown]>([
    ['a string', 'ada@example.com'],
    ['an object, encrypted whole', { vip: true, note: 'prefers mornings', score: 3, none: null }],
    ['an empty string', ''],
  ])('gives back %s exactly', (_name, value) => {
    const encrypted = encryptField(key, value, context);
    expect(isEncryptedField(encrypted)).toBe(true);
    expect(decryptField(key, encrypted, context)).toEqual(value);
  });

  it('stores a self-describing string that does not contain the plaintext', () => {
    const encrypted = encryptField(key, 'ada@example.com', context);
    expect(encrypted.startsWith(ENCRYPTED_FIELD_PREFIX)).toBe(true);
    expect(encrypted).not.toContain('ada');
    expect(encrypted).toMatch(/^enc:v1:[A-Za-z0-9_-]+$/);
  });

  it('uses a fresh IV each time, so equal values do not look equal', () => {
    expect(encryptField(key, 'same', context)).not.toBe(encryptField(key, 'same', context));
  });

  it.each([
    ['another customer', { ...context, customerId: 'bob' }],
    ['another event', { ...context, eventId: 'a1b2c3d4-0000-4000-8000-000000000000' }],
    ['another field', { ...context, field: 'phone' }],
  ])('refuses to open under %s (the ciphertext cannot be moved)', (_name, other) => {
    const encrypted = encryptField(key, 'ada@example.com', context);
    expect(() => decryptField(key, encrypted, other)).toThrow(DecryptionFailedError);
  });

  it('refuses a wrong key and an altered ciphertext', () => {
    const encrypted = encryptField(key, 'ada@example.com', context);
    expect(() => decryptField(randomBytes(32), encrypted, context)).toThrow(DecryptionFailedError);
    const body = Buffer.from(encrypted.slice(ENCRYPTED_FIELD_PREFIX.length), 'base64url');
    body[body.length - 20] = (body[body.length - 20] ?? 0) ^ 1;
    const altered = ENCRYPTED_FIELD_PREFIX + body.toString('base64url');
    expect(() => decryptField(key, altered, context)).toThrow(DecryptionFailedError);
  });

  it('recognises only its own format', () => {
    expect(isEncryptedField('ada@example.com')).toBe(false);
    expect(isEncryptedField({ $enc: 'v1' })).toBe(false);
    expect(isEncryptedField(undefined)).toBe(false);
  });
});
