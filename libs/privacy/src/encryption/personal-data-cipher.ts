import { CUSTOMER_STREAM_PREFIX, ERASED_VALUE, isCrmEventType, PERSONAL_FIELDS } from '@crm/domain';
import type { EventToAppend, RecordedEvent } from '@crm/event-store';
import { decryptField, encryptField, isEncryptedField } from '../crypto/field-cipher';
import type { DataKeys } from '../key-store/data-keys';

/**
 * Encrypts and decrypts the personal fields of customer events
 * (`PERSONAL_FIELDS` of the catalogue) with the customer's data key. Events
 * of other streams, unknown types and non-personal fields pass unchanged.
 * Also for consumers of the raw log (a Kafka projection consumer decrypts
 * what the relay published with `decrypt`).
 */
export class PersonalDataCipher {
  constructor(private readonly keys: DataKeys) {}

  async encrypt(streamId: string, event: EventToAppend): Promise<EventToAppend> {
    const customerId = customerOf(streamId);
    const fields = personalFieldsIn(event, customerId);
    if (customerId === null || fields.length === 0) return event;
    const key = await this.keys.forWriting(customerId);
    const data: Record<string, unknown> = { ...event.data };
    for (const field of fields) {
      data[field] = encryptField(key, data[field], { customerId, eventId: event.eventId, field });
    }
    return { ...event, data };
  }

  /** Personal fields in plaintext, or ERASED_VALUE once the customer's key is shredded. */
  async decrypt<E extends EventToAppend & { readonly streamId: string }>(event: E): Promise<E> {
    const customerId = customerOf(event.streamId);
    if (customerId === null) return event;
    const fields = encryptedFieldsIn(event);
    if (fields.length === 0) return event;
    const key = await this.keys.forReading(customerId);
    const data: Record<string, unknown> = { ...event.data };
    for (const field of fields) {
      const context = { customerId, eventId: event.eventId, field };
      data[field] = key === null ? ERASED_VALUE : decryptField(key, data[field] as string, context);
    }
    return { ...event, data };
  }

  /**
   * The events with their personal fields decrypted. Most events of a log
   * have none (touchpoints, purchases): they are passed through as they are,
   * without a promise each, which a rebuild reading the whole log would feel.
   */
  async decryptAll(events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
    const decrypted = events.slice();
    const pending: Promise<void>[] = [];
    decrypted.forEach((event, index) => {
      if (!hasEncryptedField(event)) return;
      pending.push(this.decrypt(event).then((plain) => void (decrypted[index] = plain)));
    });
    await Promise.all(pending);
    return decrypted;
  }
}

function customerOf(streamId: string): string | null {
  return streamId.startsWith(CUSTOMER_STREAM_PREFIX) ? streamId.slice(CUSTOMER_STREAM_PREFIX.length) : null;
}

/** Personal fields holding a value not yet encrypted (an already encrypted one is left as it is). */
function personalFieldsIn(event: EventToAppend, customerId: string | null): string[] {
  if (customerId === null || !isCrmEventType(event.type)) return [];
  return PERSONAL_FIELDS[event.type].filter((field) => {
    const value = event.data[field];
    return value !== undefined && !isEncryptedField(value);
  });
}

function hasEncryptedField(event: RecordedEvent): boolean {
  return (
    isCrmEventType(event.type) &&
    PERSONAL_FIELDS[event.type].some((field) => isEncryptedField(event.data[field]))
  );
}

function encryptedFieldsIn(event: EventToAppend): string[] {
  if (!isCrmEventType(event.type)) return [];
  return PERSONAL_FIELDS[event.type].filter((field) => isEncryptedField(event.data[field]));
}
