import type { RecordedEvent } from '../event-store.port';
import { CLAIM_EVENT_TYPE, claimStreamOf } from './kurrent-event-id-claims';
import { escapeRegex, matchesFilter, serverFilter } from './kurrent-filter';

function regexOf(filter: ReturnType<typeof serverFilter>): RegExp {
  if (!('regex' in filter)) throw new Error('expected a regex filter');
  return new RegExp(filter.regex);
}

function recorded(streamId: string, type: string): RecordedEvent {
  return {
    eventId: 'id',
    type,
    version: 1,
    occurredAt: '2024-01-01T00:00:00.000Z',
    data: {},
    metadata: {},
    streamId,
    revision: 0,
    position: 1,
    recordedAt: '2024-01-01T00:00:00.000Z',
  };
}

describe('server-side filter', () => {
  it('without options keeps out system event types and claim markers, and nothing else', () => {
    const filter = serverFilter({});
    expect(filter.filterOn).toBe('eventType');
    const regex = regexOf(filter);
    expect(regex.test('CustomerRegistered')).toBe(true);
    expect(regex.test('crm.event-id-claimed.v2')).toBe(true);
    expect(regex.test('$metadata')).toBe(false);
    expect(regex.test(CLAIM_EVENT_TYPE)).toBe(false);
  });

  it('with types matches exactly those types, metacharacters included', () => {
    const filter = serverFilter({ types: ['A.B', 'C(1)'], streamPrefix: 'customer-' });
    expect(filter.filterOn).toBe('eventType');
    const regex = regexOf(filter);
    expect(['A.B', 'C(1)'].map((type) => regex.test(type))).toEqual([true, true]);
    expect(['AxB', 'A.BC', 'xA.B', 'C1'].map((type) => regex.test(type))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('with only a prefix filters stream names by that exact prefix', () => {
    const filter = serverFilter({ streamPrefix: 'customer-1.' });
    expect(filter.filterOn).toBe('streamName');
    const regex = regexOf(filter);
    expect(regex.test('customer-1.a')).toBe(true);
    expect(regex.test('customer-1xa')).toBe(false);
    expect(regex.test('Customer-1.a')).toBe(false);
  });

  it('escapes what .NET regular expressions treat specially', () => {
    expect(escapeRegex('a.b*c#d e-f$')).toBe('a\\.b\\*c\\#d\\ e\\-f\\$');
  });
});

describe('client-side filter', () => {
  it('applies the prefix the server could not apply alongside types', () => {
    const options = { types: ['T'], streamPrefix: 'customer-' };
    expect(matchesFilter(recorded('customer-1', 'T'), options)).toBe(true);
    expect(matchesFilter(recorded('order-1', 'T'), options)).toBe(false);
    expect(matchesFilter(recorded('customer-1', 'U'), options)).toBe(false);
  });

  it('never lets system events or claim markers through', () => {
    expect(matchesFilter(recorded('$stats-1', 'T'), {})).toBe(false);
    expect(matchesFilter(recorded('customer-1', '$>'), {})).toBe(false);
    expect(matchesFilter(recorded(claimStreamOf('x'), CLAIM_EVENT_TYPE), {})).toBe(false);
    expect(matchesFilter(recorded('customer-1', 'T'), {})).toBe(true);
  });
});
