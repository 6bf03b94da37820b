import { open, seal } from './aes-gcm';

/**
 * A personal field as the log stores it: a string, so any JSON consumer of
 * the raw log (Kafka, a backup, a dump) handles it, and self-describing:
 * `enc:v1:` then base64url of iv ‖ ciphertext ‖ tag. The plaintext is the
 * field's JSON value, so an object (`attributes`) is encrypted whole.
 */
export const ENCRYPTED_FIELD_PREFIX = 'enc:v1:';

/** Where a value sits; bound into the ciphertext so it cannot be moved to another customer, event or field. */
export type FieldContext = {
  readonly customerId: string;
  readonly eventId: string;
  readonly field: string;
};

export function isEncryptedField(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ENCRYPTED_FIELD_PREFIX);
}

export function encryptField(key: Buffer, value: unknown, context: FieldContext): string {
  const plaintext = Buffer.from(JSON.stringify(value), 'utf8');
  return ENCRYPTED_FIELD_PREFIX + seal(key, plaintext, aadOf(context)).toString('base64url');
}

/** @throws DecryptionFailedError when the key or the context is not the one it was sealed with. */
export function decryptField(key: Buffer, encrypted: string, context: FieldContext): unknown {
  const sealed = Buffer.from(encrypted.slice(ENCRYPTED_FIELD_PREFIX.length), 'base64url');
  const what = `field ${context.field} of event ${context.eventId}`;
  return JSON.parse(open(key, sealed, aadOf(context), what).toString('utf8')) as unknown;
}

function aadOf({ customerId, eventId, field }: FieldContext): Buffer {
  // NUL cannot occur in any of the three, so the encoding is unambiguous.
  return Buffer.from(`crm-field/v1\0${customerId}\0${eventId}\0${field}`, 'utf8');
}
