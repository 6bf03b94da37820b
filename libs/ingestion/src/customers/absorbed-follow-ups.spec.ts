import { type CrmEvent, customerStreamId, toStoredShape } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import type { EventStore, ReadStreamOptions, RecordedEvent } from '@crm/event-store';
import { absorbedBy, absorbedFollowUps } from './absorbed-follow-ups';

/** A log in memory: each event of [customerId, event] at its index + 1 as position. */
function logOf(entries: readonly (readonly [string, CrmEvent])[]): Pick<EventStore, 'readStream'> {
  const recorded: RecordedEvent[] = entries.map(([customerId, event], index) => ({
    ...toStoredShape(event),
    streamId: customerStreamId(customerId),
    revision: index,
    position: index + 1,
    recordedAt: '2026-01-01T00:00:00.000Z',
  }));
  return {
    readStream: (streamId: string, options: ReadStreamOptions = {}) =>
      Promise.resolve(
        recorded.filter(
          (e) => e.streamId === streamId && (options.types === undefined || options.types.includes(e.type)),
        ),
      ),
  };
}

const a = createEventFactory({ customerId: 'a', seed: 1 });
const b = createEventFactory({ customerId: 'b', seed: 2 });
const c = createEventFactory({ customerId: 'c', seed: 3 });

describe('absorbedFollowUps', () => {
  const cIntoB = { survivorId: 'b', mergedId: 'c' };
  const bIntoA = { survivorId: 'a', mergedId: 'b' };
  const cScheduled = c.followUpScheduled({ followUpId: 'c-1' });
  const bScheduled = b.followUpScheduled({ followUpId: 'b-1' });
  const bCompleted = b.followUpCompleted({ followUpId: 'b-1' });
  const log = logOf([
    ['c', c.customerRegistered()],
    ['c', cScheduled],
    ['b', b.customerRegistered()],
    ['b', bScheduled],
    ['c', c.customersMerged(cIntoB)],
    ['b', b.customersMerged(cIntoB)],
    ['b', bCompleted],
    ['b', b.customersMerged(bIntoA)],
    ['a', a.customersMerged(bIntoA)],
  ]);

  it("gives a merged customer's follow-ups before the merge, those of a chain of merges included, in log order", async () => {
    expect(await absorbedFollowUps(log, 'b', 9)).toEqual([cScheduled, bScheduled, bCompleted]);
  });

  it('leaves out what came at or after the merge', async () => {
    expect(await absorbedFollowUps(log, 'b', 7)).toEqual([cScheduled, bScheduled]);
  });

  it('names the merged customer only on the survivor’s own stream', () => {
    expect(absorbedBy(a.customersMerged(bIntoA), customerStreamId('a'))).toBe('b');
    expect(absorbedBy(b.customersMerged(bIntoA), customerStreamId('b'))).toBeNull();
    expect(absorbedBy(a.followUpScheduled(), customerStreamId('a'))).toBeNull();
  });
});
