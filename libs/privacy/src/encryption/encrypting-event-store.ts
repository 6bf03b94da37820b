import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  FollowOptions,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '@crm/event-store';
import type { PersonalDataCipher } from './personal-data-cipher';

/**
 * An EventStore over any other: personal fields are encrypted on the way in
 * and decrypted on every way out, so the inner store (and whatever reads it
 * raw, such as the Kafka relay) only ever holds ciphertext, and the rest of
 * the product sees plaintext, or ERASED_VALUE after erasure.
 */
export class EncryptingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async append(
    streamId: string,
    events: readonly EventToAppend[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    const encrypted = await Promise.all(events.map((event) => this.cipher.encrypt(streamId, event)));
    return this.inner.append(streamId, encrypted, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.cipher.decryptAll(await this.inner.readStream(streamId, options));
  }

  streamRevision(streamId: string): Promise<number | null> {
    return this.inner.streamRevision(streamId);
  }

  streamRevisions(streamIds: readonly string[]): Promise<Map<string, number>> {
    return this.inner.streamRevisions(streamIds);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.cipher.decryptAll(await this.inner.readAll(options));
  }

  async *follow(options?: FollowOptions): AsyncGenerator<RecordedEvent> {
    for await (const event of this.inner.follow(options)) yield await this.cipher.decrypt(event);
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
