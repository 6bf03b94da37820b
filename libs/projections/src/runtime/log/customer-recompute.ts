import type { ReadStore, Write } from '@crm/read-store';
import { DEAD_LETTER_UNIT } from '../engine/dead-letter-store';
import { storableOnly } from '../engine/storable-writes';
import type { CustomerEvent, DocumentReader, Projection } from '../../runner/projection';

const NOTHING_STORED: DocumentReader = { getMany: () => Promise.resolve([]) };

/**
 * Rebuilds one customer's documents of a projection from the customer's
 * events (their whole stream up to the projection's checkpoint), and
 * replaces the stored ones. Replaying the events over the stored documents
 * would change nothing: each already carries the position of the customer's
 * last event, and `evolve` skips anything at or below it. So each document is
 * computed from nothing and swapped in with a delete just above any position
 * the projection can have stored (its checkpoint) followed by the put, in one
 * unit, with whatever the projection counted of the stored documents in
 * shared counters taken back out (`retract`). The unit commits under DEAD_LETTER_UNIT, leaving the projection's
 * checkpoint where it is. Call it only while the runner feeding the
 * projection is between steps (ProjectionRunner.exclusive). Events in
 * `leaveOut` (the customer's other letters, still open or skipped) stay left
 * out, as the runner left them out, so one retried letter does not trip on
 * another.
 *
 * @throws whatever `project` throws, or UnstorableWriteError: nothing is written then.
 */
export async function recomputeCustomer(
  store: ReadStore,
  projection: Projection,
  events: readonly CustomerEvent[],
  checkpoint: number,
  leaveOut: ReadonlySet<string> = new Set(),
): Promise<number> {
  const applied = events.filter((e) => e.position <= checkpoint && !leaveOut.has(e.event.eventId));
  if (applied.length === 0) return 0;
  const customerIds = [...new Set(applied.map((e) => e.customerId))];
  const retracted = (await projection.retract?.(customerIds, store)) ?? [];
  const puts = await storableOnly(projection).project(applied, NOTHING_STORED);
  const above = checkpoint + 1;
  const replaced = puts.flatMap((write): Write[] =>
    write.kind === 'put'
      ? [{ kind: 'delete', collection: write.collection, id: write.document.id, position: above }, write]
      : [write],
  );
  const writes = [...retracted, ...replaced];
  await store.commit({ projection: DEAD_LETTER_UNIT, position: above, writes });
  return applied.length;
}
