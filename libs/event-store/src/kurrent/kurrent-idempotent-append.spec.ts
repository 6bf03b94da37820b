import type { AppendedEventRef, EventToAppend } from '../event-store.port';
import { claimEvent, claimOwner, claimStreamOf } from './kurrent-event-id-claims';
import { appendResultOf } from './kurrent-idempotent-append';

const event = (eventId: string): EventToAppend => ({
  eventId,
  type: 'T',
  version: 1,
  occurredAt: '2024-01-01T00:00:00.000Z',
  data: {},
  metadata: {},
});
const ref = (eventId: string, revision: number, position: number, duplicate: boolean): AppendedEventRef => ({
  eventId,
  revision,
  position,
  duplicate,
});
const byId = (...refs: AppendedEventRef[]): Map<string, AppendedEventRef> =>
  new Map(refs.map((entry) => [entry.eventId, entry]));

describe('append result', () => {
  it('points at the newest written event and reports repeats inside the call as duplicates of the first', () => {
    const written = byId(ref('a', 0, 10, false), ref('b', 1, 20, false));
    const result = appendResultOf('s', [event('a'), event('b'), event('a')], new Map(), written);
    expect(result).toEqual({
      streamId: 's',
      streamRevision: 1,
      position: 20,
      duplicate: false,
      events: [ref('a', 0, 10, false), ref('b', 1, 20, false), ref('a', 0, 10, true)],
    });
  });

  it('reports stored events as duplicates and still points at what this call wrote', () => {
    const stored = byId(ref('old', 5, 50, true));
    const written = byId(ref('new', 6, 60, false));
    const result = appendResultOf('s', [event('old'), event('new')], stored, written);
    expect(result).toMatchObject({ streamRevision: 6, position: 60, duplicate: false });
    expect(result.events).toEqual([ref('old', 5, 50, true), ref('new', 6, 60, false)]);
  });

  it('returns the original result when everything was stored already', () => {
    const stored = byId(ref('a', 0, 10, true), ref('b', 1, 20, true));
    const result = appendResultOf('s', [event('b'), event('a')], stored, new Map());
    expect(result).toMatchObject({ streamRevision: 1, position: 20, duplicate: true });
  });
});

describe('eventId claims', () => {
  it('names one claim stream per eventId and records the owning stream', () => {
    const marker = claimEvent('customer-1');
    expect(claimStreamOf('abc')).toBe('crm.event-id-abc');
    expect(claimOwner(marker)).toBe('customer-1');
  });

  it('gives every claim attempt a fresh marker id, so the server cannot take a rival claim for a repeat', () => {
    expect(claimEvent('customer-1').id).not.toBe(claimEvent('customer-1').id);
  });

  it('does not read an ordinary event as a claim', () => {
    expect(claimOwner({ type: 'T', data: { streamId: 'x' } })).toBeUndefined();
  });
});
