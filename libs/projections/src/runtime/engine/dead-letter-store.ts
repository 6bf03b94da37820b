import { customerStreamId } from '@crm/domain';
import type { ReadStore, Write } from '@crm/read-store';
import { DEAD_LETTER_COLLECTION, type DeadLetterDocument, deadLetterId } from '../../runner/dead-letter';
import type { FailedEvent } from './failure-isolation';

/**
 * The checkpoint key dead-letter units commit under. It means nothing by
 * itself: a unit needs a projection whose checkpoint may rise to the highest
 * position of its writes, and the projections' own checkpoints must not.
 */
export const DEAD_LETTER_UNIT = 'dead-letters';

/**
 * A letter's `position` is its event's, so a newer version of the letter is
 * no "newer" for the store's position guard. It is replaced instead: a delete
 * just above the stored position, then the put, in one unit (one transaction
 * on SQLite).
 */
function replaceLetter(letter: DeadLetterDocument): Write[] {
  return [
    { kind: 'delete', collection: DEAD_LETTER_COLLECTION, id: letter.id, position: letter.position + 1 },
    { kind: 'put', collection: DEAD_LETTER_COLLECTION, document: letter },
  ];
}

export async function saveDeadLetters(
  store: ReadStore,
  letters: readonly DeadLetterDocument[],
): Promise<void> {
  if (letters.length === 0) return;
  await store.commit({
    projection: DEAD_LETTER_UNIT,
    position: Math.max(...letters.map((letter) => letter.position + 1)),
    writes: letters.flatMap(replaceLetter),
  });
}

/**
 * Opens (or reopens) a letter per failed event: references only, never the
 * event's data. `projection` is the logical name, so every version of a
 * projection shares one letter per event.
 */
export async function recordFailures(
  store: ReadStore,
  projection: string,
  failures: readonly FailedEvent[],
  failedAt: string,
  source: DeadLetterDocument['source'] = 'embedded',
): Promise<void> {
  if (failures.length === 0) return;
  const ids = failures.map((failure) => deadLetterId(projection, failure.event.event.eventId));
  const known = new Map(
    (await store.getMany<DeadLetterDocument>(DEAD_LETTER_COLLECTION, ids)).map((doc) => [doc.id, doc]),
  );
  const letters = failures.map(({ event: e, error, attempts }): DeadLetterDocument => {
    const id = deadLetterId(projection, e.event.eventId);
    const before = known.get(id);
    return {
      id,
      position: e.position,
      projection,
      eventId: e.event.eventId,
      streamId: customerStreamId(e.customerId),
      customerId: e.customerId,
      type: e.event.type,
      error,
      attempts: (before?.attempts ?? 0) + attempts,
      firstFailedAt: before?.firstFailedAt ?? failedAt,
      lastFailedAt: failedAt,
      status: 'open',
      source,
    };
  });
  await saveDeadLetters(store, letters);
}
