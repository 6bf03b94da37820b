import type { EventMetadata, MeetingHeldData } from '@crm/domain';
import { type AppConfig, type Clock, loadConfig } from '@crm/platform';
import { dataFields, EventBuilder } from './event-builder';

const NOW = new Date('2024-06-01T12:00:00.000Z');
const clock: Clock = { now: () => NOW };
const config: AppConfig = loadConfig({ DATA_DIR: '/nonexistent', MAX_CLOCK_SKEW_MS: '60000' });
const metadata: EventMetadata = {
  correlationId: 'c-1',
  causationId: null,
  actor: 'anonymous',
  source: 'api',
};
const data: MeetingHeldData = { durationMinutes: 30 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('EventBuilder', () => {
  const builder = new EventBuilder(clock, config);
  const build = (occurredAt?: string, fieldPrefix?: string) =>
    builder.build('MeetingHeld', { occurredAt, eventId: undefined }, data, metadata, fieldPrefix);

  it('builds a version-1 event with a generated UUID and occurredAt defaulting to the clock', () => {
    const built = build();

    expect(built).toEqual({
      ok: true,
      event: {
        type: 'MeetingHeld',
        version: 1,
        eventId: expect.stringMatching(UUID) as string,
        occurredAt: '2024-06-01T12:00:00.000Z',
        data,
        metadata,
      },
      serverTimed: true,
    });
  });

  it('says whether the server chose occurredAt (a retry may then differ in it)', () => {
    expect(build('2024-05-01T10:00:00Z')).toMatchObject({ ok: true, serverTimed: false });
  });

  it('keeps a client-supplied eventId', () => {
    const eventId = '2f1c1a4e-8d3b-4c59-9a55-0a8e1b2c3d4e';

    const built = builder.build('MeetingHeld', { eventId }, data, metadata);

    expect(built.ok && built.event.eventId).toBe(eventId);
  });

  it.each([
    ['2024-05-01T12:00:00+02:00', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T12:00:00-05:30', '2024-05-01T17:30:00.000Z'],
    ['2024-05-01T10:00:00.123Z', '2024-05-01T10:00:00.123Z'],
    ['2024-05-01T10:00:00.5Z', '2024-05-01T10:00:00.500Z'],
  ])('normalises occurredAt %s to UTC %s', (occurredAt, utc) => {
    const built = build(occurredAt);

    expect(built.ok && built.event.occurredAt).toBe(utc);
  });

  it('rejects an occurredAt without offset, under the given field prefix', () => {
    expect(build('2024-05-01T10:00:00', 'items[3]')).toEqual({
      ok: false,
      details: [
        { field: 'items[3].occurredAt', code: 'missingOffset', message: expect.any(String) as string },
      ],
    });
  });

  it.each([
    ['a date without time', '2024-05-01', 'missingOffset'],
    ['nanoseconds, which would be truncated', '2024-05-01T10:00:00.123456789Z', 'maxPrecision'],
    ['an offset without colon', '2024-05-01T12:00:00-0530', 'isRfc3339'],
  ])('rejects %s rather than change it', (_label, occurredAt, code) => {
    const built = build(occurredAt);

    expect(built.ok ? [] : built.details.map((detail) => [detail.field, detail.code])).toEqual([
      ['occurredAt', code],
    ]);
  });

  it('accepts an occurredAt exactly at the allowed clock skew and rejects one a millisecond later', () => {
    expect(build('2024-06-01T12:01:00.000Z').ok).toBe(true);
    expect(build('2024-06-01T12:01:00.001Z')).toEqual({
      ok: false,
      details: [{ field: 'occurredAt', code: 'inFuture', message: 'occurredAt is in the future' }],
    });
  });

  // Known bug: a string with an offset that Date cannot parse makes toISOString throw a RangeError.
  it('rejects an occurredAt that Date cannot parse instead of throwing', () => {
    expect(build('20240501T100000Z').ok).toBe(false);
  });
});

describe('dataFields', () => {
  it('drops the envelope keys and undefined values and returns a plain copy', () => {
    const nested = { sku: 'a' };
    const dto = { type: 'X', eventId: 'e', occurredAt: 't', amount: 5, note: undefined, items: [nested] };

    const fields = dataFields(dto, ['type', 'eventId', 'occurredAt']);

    expect(fields).toEqual({ amount: 5, items: [{ sku: 'a' }] });
    expect((fields.items as unknown[])[0]).not.toBe(nested);
  });
});
