import type { EventToAppend } from '../event-store.port';
import { decodeRecord, encodeEvent, readPositionAfter, type StoredRecord } from './kurrent-event-codec';

const event: EventToAppend = {
  eventId: '3f2c1a9e-8d4b-4c2a-9f1e-0b7d6c5a4e3f',
  type: 'TouchpointRecorded',
  version: 2,
  occurredAt: '2024-05-01T12:00:00.000Z',
  data: { channel: 'email', nested: { n: 1.5 } },
  metadata: { correlationId: 'c-1', causationId: null, version: 'not ours' },
};

/** What the client hands back for a JSON event written with `encodeEvent`. */
function asStored(overrides: Partial<StoredRecord> = {}): StoredRecord {
  const sent = encodeEvent(event);
  return {
    streamId: 'customer-1',
    id: sent.id,
    type: sent.type,
    revision: 4n,
    created: new Date('2024-05-01T12:00:01.250Z'),
    isJson: true,
    data: JSON.parse(JSON.stringify(sent.data)) as unknown,
    metadata: JSON.parse(JSON.stringify(sent.metadata)) as unknown,
    position: { commit: 1234n, prepare: 1234n },
    ...overrides,
  };
}

describe('event codec', () => {
  it('sends the data as is and nests the port metadata beside version and occurredAt', () => {
    expect(encodeEvent(event)).toEqual({
      id: event.eventId,
      contentType: 'application/json',
      type: 'TouchpointRecorded',
      data: event.data,
      metadata: { version: 2, occurredAt: event.occurredAt, metadata: event.metadata },
    });
  });

  it('decodes a stored event back to the appended fields plus stream, revision, position and recordedAt', () => {
    expect(decodeRecord(asStored())).toEqual({
      ...event,
      streamId: 'customer-1',
      revision: 4,
      position: 1234,
      recordedAt: '2024-05-01T12:00:01.250Z',
    });
  });

  it.each([
    ['binary', { isJson: false }],
    ['without metadata', { metadata: undefined }],
    ['without version', { metadata: { occurredAt: 'x', metadata: {} } }],
    ['with non-object data', { data: [1, 2] }],
  ])('skips a record not written by this adapter (%s)', (_, overrides: Partial<StoredRecord>) => {
    expect(decodeRecord(asStored(overrides))).toBeUndefined();
  });

  it('fails loudly when the server sends no position (servers before 22.6)', () => {
    expect(() => decodeRecord(asStored({ position: undefined }))).toThrow(/no log position/);
  });

  it('starts log reads at the start, or at the exact record address of an exclusive position', () => {
    expect(readPositionAfter(undefined)).toBe('start');
    expect(readPositionAfter(0)).toBe('start');
    expect(readPositionAfter(987)).toEqual({ commit: 987n, prepare: 987n });
  });
});
