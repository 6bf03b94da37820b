import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@crm/domain';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { CLOCK, type Clock } from '@crm/platform';
import { DEAD_LETTER_COLLECTION, type DeadLetterDocument, saveDeadLetters } from '@crm/projections';
import { projectionNotFound, ProjectionRuntime } from '@crm/projections/runtime';
import { MAX_LIMIT, type Page, READ_STORE, type ReadStore, ReadStoreUnavailableError } from '@crm/read-store';
import {
  deadLetterAlreadyRetried,
  deadLetterEventMissing,
  deadLetterNotFound,
  deadLetterNotOpen,
  deadLetterRetryFailed,
} from './dead-letter.errors';

export const DEAD_LETTER_STATUSES = ['open', 'retried', 'skipped'] as const;

export type DeadLetterQuery = {
  readonly status?: DeadLetterDocument['status'];
  readonly projection?: string;
  readonly cursor?: string;
  readonly limit: number;
};

/**
 * Dead letters: listed, retried (the customer's documents recomputed from
 * their stream, see ProjectionRunner.recomputeCustomer, leaving out the
 * events of the customer's other open or skipped letters) or skipped (marked
 * as accepted, nothing applied).
 */
@Injectable()
export class DeadLetterAdmin {
  constructor(
    private readonly runtime: ProjectionRuntime,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  list(query: DeadLetterQuery): Promise<Page<DeadLetterDocument>> {
    return this.readStore.find<DeadLetterDocument>(DEAD_LETTER_COLLECTION, {
      filter: { status: { $eq: query.status }, projection: { $eq: query.projection } },
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  async retry(id: string): Promise<DeadLetterDocument> {
    const letter = await this.letter(id);
    if (letter.status === 'retried') throw deadLetterAlreadyRetried(id);
    if (!this.runtime.names().includes(letter.projection)) throw projectionNotFound(letter.projection);
    const stream = await this.events.readStream(letter.streamId);
    if (!stream.some((event) => event.eventId === letter.eventId))
      throw deadLetterEventMissing(id, letter.eventId);
    try {
      await this.runtime.recompute(letter.projection, letter.customerId, await this.leftOut(letter));
    } catch (error) {
      if (error instanceof ReadStoreUnavailableError || error instanceof DomainError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const now = this.clock.now().toISOString();
      await saveDeadLetters(this.readStore, [
        { ...letter, status: 'open', error: message, attempts: letter.attempts + 1, lastFailedAt: now },
      ]);
      throw deadLetterRetryFailed(id, message);
    }
    return this.save({ ...letter, status: 'retried' });
  }

  async skip(id: string): Promise<DeadLetterDocument> {
    const letter = await this.letter(id);
    if (letter.status !== 'open') throw deadLetterNotOpen(id, letter.status);
    return this.save({ ...letter, status: 'skipped' });
  }

  /**
   * The customer's other events this projection left out and nobody retried
   * (open or skipped letters): a recompute leaves them out too, so a parked
   * event that still cannot be applied does not block retrying another.
   */
  private async leftOut(retried: DeadLetterDocument): Promise<Set<string>> {
    const ids = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.readStore.find<DeadLetterDocument>(DEAD_LETTER_COLLECTION, {
        filter: { customerId: { $eq: retried.customerId }, projection: { $eq: retried.projection } },
        limit: MAX_LIMIT,
        cursor,
      });
      for (const letter of page.items)
        if (letter.id !== retried.id && letter.status !== 'retried') ids.add(letter.eventId);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return ids;
  }

  private async letter(id: string): Promise<DeadLetterDocument> {
    const letter = await this.readStore.get<DeadLetterDocument>(DEAD_LETTER_COLLECTION, id);
    if (!letter) throw deadLetterNotFound(id);
    return letter;
  }

  private async save(letter: DeadLetterDocument): Promise<DeadLetterDocument> {
    await saveDeadLetters(this.readStore, [letter]);
    return letter;
  }
}
