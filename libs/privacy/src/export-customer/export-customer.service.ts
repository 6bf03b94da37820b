import { Inject, Injectable } from '@nestjs/common';
import { customerStreamId, DomainError, PERSONAL_FIELDS } from '@crm/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@crm/event-store';
import { CLOCK, type Clock, Slicer } from '@crm/platform';
import {
  DEAD_LETTER_COLLECTION,
  IDENTITY_INDEX_COLLECTION,
  IDIC_COLLECTION,
  JOURNEY_COLLECTION,
  KPI_FACTS_COLLECTION,
  CAMPAIGN_CUSTOMERS_COLLECTION,
} from '@crm/projections';
import { type Filter, MAX_LIMIT, type ReadStore, UnknownCollectionError } from '@crm/read-store';
import { KEY_STORE, type KeyStore } from '../key-store/key-store.port';
import type {
  ExportedDataKeyView,
  ExportedProfileView,
  SubjectExportResponse,
} from './subject-export.response';

const PROFILE_FIELDS = [...PERSONAL_FIELDS.CustomerRegistered, 'segment', 'acquisitionChannel'];
const STREAM_PAGE = 1000;
type Doc = Record<string, unknown>;

/** DI token: the read store as reads see it, each collection resolved to its projection's active version. */
export const EXPORTED_READ_MODELS = Symbol('EXPORTED_READ_MODELS');

/**
 * The subject access export (right of access / portability): the customer's
 * events decrypted, the profile they add up to, and every read-model
 * document that concerns them. Every read is by this customer's id, so
 * nothing of another customer can slip in. A long stream is read a page at a
 * time, sharing the event loop a slice at a time. The read models are read
 * as the read routes read them (ProjectionRuntime.readModels): after a
 * blue-green rebuild the documents are in the new version's collections.
 */
@Injectable()
export class ExportCustomerService {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(EXPORTED_READ_MODELS) private readonly readStore: ReadStore,
    @Inject(KEY_STORE) private readonly keyStore: KeyStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async export(customerId: string, slicer: Slicer = new Slicer()): Promise<SubjectExportResponse> {
    const streamId = customerStreamId(customerId);
    const events = await this.stream(streamId, slicer);
    if (events.length === 0)
      throw new DomainError('CUSTOMER.NOT_FOUND', 'not_found', `No customer ${customerId}`);
    const erased = events.find((event) => event.type === 'CustomerErased');
    return {
      customerId,
      streamId,
      exportedAt: this.clock.now().toISOString(),
      profile: profileOf(events),
      erased: erased ? { eventId: erased.eventId, erasedAt: erased.occurredAt } : null,
      dataKey: await this.dataKey(customerId),
      events: events.map((event) => ({
        eventId: event.eventId,
        type: event.type,
        version: event.version,
        streamRevision: event.revision,
        globalPosition: event.position,
        occurredAt: event.occurredAt,
        recordedAt: event.recordedAt,
        data: { ...event.data },
        metadata: { ...event.metadata },
      })),
      readModels: {
        journey: await this.document(JOURNEY_COLLECTION, customerId),
        idic: await this.document(IDIC_COLLECTION, customerId),
        kpiFacts: await this.document(KPI_FACTS_COLLECTION, customerId),
        identityIndex: await this.document(IDENTITY_INDEX_COLLECTION, customerId),
        // The campaign members are derived from this document alone (docs/projections.md).
        campaignFacts: await this.document(CAMPAIGN_CUSTOMERS_COLLECTION, customerId),
        deadLetters: await this.all(DEAD_LETTER_COLLECTION, { customerId }, slicer),
      },
    };
  }

  /** The whole stream, page by page. */
  private async stream(streamId: string, slicer: Slicer): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (let fromRevision = 0; ;) {
      const page = await this.events.readStream(streamId, { fromRevision, limit: STREAM_PAGE });
      events.push(...page);
      const last = page[page.length - 1];
      if (last === undefined || page.length < STREAM_PAGE) return events;
      fromRevision = last.revision + 1;
      await slicer.tick();
    }
  }

  private async dataKey(customerId: string): Promise<ExportedDataKeyView> {
    const record = await this.keyStore.get(customerId);
    if (record === null) return { state: 'none' };
    if (record.state === 'shredded') return { state: 'shredded', shreddedAt: record.shreddedAt };
    return { state: 'active', createdAt: record.createdAt };
  }

  private async document(collection: string, id: string): Promise<Doc | null> {
    return this.orEmpty(() => this.readStore.get(collection, id), null);
  }

  /** Every document matching the filter, page after page. */
  private async all(collection: string, filter: Filter, slicer: Slicer): Promise<Doc[]> {
    return this.orEmpty(async () => {
      const docs: Doc[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.readStore.find(collection, { filter, limit: MAX_LIMIT, cursor });
        docs.push(...page.items);
        cursor = page.nextCursor ?? undefined;
        await slicer.tick();
      } while (cursor !== undefined);
      return docs;
    }, []);
  }

  /** A collection no projection has created yet (e.g. no dead letter ever) holds nothing about anyone. */
  private async orEmpty<T>(read: () => Promise<T>, empty: T): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof UnknownCollectionError) return empty;
      throw error;
    }
  }
}

/** The profile as the events state it: registration, then each update's fields, in stream order. */
function profileOf(events: readonly RecordedEvent[]): ExportedProfileView {
  let kind = 'person';
  const fields: Doc = {};
  const consents: Record<string, boolean> = {};
  for (const event of events) {
    if (event.type === 'CustomerRegistered' && typeof event.data.kind === 'string') kind = event.data.kind;
    if (event.type === 'CustomerRegistered' || event.type === 'CustomerProfileUpdated') {
      for (const field of PROFILE_FIELDS)
        if (event.data[field] !== undefined) fields[field] = event.data[field];
    }
    if (event.type === 'ConsentChanged' && typeof event.data.purpose === 'string') {
      consents[event.data.purpose] = event.data.granted === true;
    }
  }
  return { kind, fields, consents };
}
