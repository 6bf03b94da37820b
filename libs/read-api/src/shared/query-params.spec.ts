import { RequestValidationError } from '@crm/platform';
import {
  choiceParam,
  integerParam,
  parseInstant,
  parseKpiPeriod,
  parseKpiPeriodAsOf,
  parseLimit,
  parseMinPosition,
  requiredInstant,
  singleParam,
} from './query-params';

/** The 400 VALIDATION.FAILED details `parse` throws; fails the test when it throws nothing or something else. */
function refusal(parse: () => unknown): readonly { field: string; code: string; message: string }[] {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(RequestValidationError);
    const refused = error as RequestValidationError;
    expect([refused.statusCode, refused.code]).toEqual([400, 'VALIDATION.FAILED']);
    return refused.details;
  }
  throw new Error('expected the parameters to be refused');
}

const codes = (parse: () => unknown) => refusal(parse).map(({ field, code }) => `${field}:${code}`);

const NOW = new Date('2026-01-02T03:04:05.000Z');

describe('singleParam', () => {
  it('takes an absent or empty parameter as absent and passes a single value through', () => {
    expect(singleParam('cursor', undefined)).toBeUndefined();
    expect(singleParam('cursor', '')).toBeUndefined();
    expect(singleParam('cursor', 'abc')).toBe('abc');
  });

  it('refuses a parameter given twice (Fastify hands over an array)', () => {
    expect(refusal(() => singleParam('cursor', ['a', 'b']))).toEqual([
      { field: 'cursor', code: 'single', message: 'cursor may be given once' },
    ]);
  });
});

describe('instants', () => {
  it('normalizes an instant with an offset to UTC and defaults an absent one to now', () => {
    expect(parseInstant('asOf', '2025-06-01T02:00:00+02:00', NOW)).toBe('2025-06-01T00:00:00.000Z');
    expect(parseInstant('asOf', undefined, NOW)).toBe(NOW.toISOString());
  });

  it('refuses an instant without an offset or on a day the calendar lacks', () => {
    for (const raw of ['2025-06-01T00:00:00', '2025-02-30T00:00:00Z', 'yesterday'])
      expect(refusal(() => parseInstant('to', raw, NOW))).toEqual([
        {
          field: 'to',
          code: 'isISO8601',
          message: 'to is an ISO-8601 instant with an offset, e.g. 2025-06-01T00:00:00Z',
        },
      ]);
  });

  it('requires a required instant rather than defaulting it', () => {
    expect(refusal(() => requiredInstant('asOf', undefined))).toEqual([
      { field: 'asOf', code: 'isDefined', message: 'asOf is required (ISO-8601 instant)' },
    ]);
    expect(codes(() => requiredInstant('asOf', ['2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z']))).toEqual([
      'asOf:single',
    ]);
    expect(requiredInstant('asOf', '2025-01-01T00:00:00Z')).toBe('2025-01-01T00:00:00.000Z');
  });
});

describe('numbers and choices', () => {
  it('reads a limit from 1 to the maximum, defaulting when absent', () => {
    expect(parseLimit(undefined, 100, 500)).toBe(100);
    expect(parseLimit('500', 100, 500)).toBe(500);
    for (const raw of ['0', '501', '-1', '1.5', 'ten'])
      expect(refusal(() => parseLimit(raw, 100, 500))).toEqual([
        { field: 'limit', code: 'isInt', message: 'limit is an integer from 1 to 500' },
      ]);
  });

  it('reads an integer within its bounds', () => {
    expect(integerParam('fromRevision', undefined, 0, 0, 10)).toBe(0);
    expect(integerParam('fromRevision', '7', 0, 0, 10)).toBe(7);
    expect(refusal(() => integerParam('fromRevision', '11', 0, 0, 10))).toEqual([
      { field: 'fromRevision', code: 'isInt', message: 'fromRevision is an integer from 0 to 10' },
    ]);
  });

  it('reads one of the allowed values', () => {
    expect(choiceParam('status', undefined, ['open', 'closed'])).toBeUndefined();
    expect(choiceParam('status', 'closed', ['open', 'closed'])).toBe('closed');
    expect(refusal(() => choiceParam('status', 'shut', ['open', 'closed']))).toEqual([
      { field: 'status', code: 'isIn', message: 'status is one of open, closed' },
    ]);
  });

  it('reads minPosition as a non-negative integer of at most 15 digits', () => {
    expect(parseMinPosition(undefined)).toBeUndefined();
    expect(parseMinPosition('42')).toBe(42);
    for (const raw of ['-1', '4.2', '1234567890123456'])
      expect(refusal(() => parseMinPosition(raw))).toEqual([
        { field: 'minPosition', code: 'isInt', message: 'minPosition is a non-negative integer' },
      ]);
  });
});

describe('parseKpiPeriod', () => {
  const period = { from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z', granularity: undefined };

  it('returns the period in UTC with its granularity', () => {
    expect(parseKpiPeriod({ ...period, granularity: 'week' })).toEqual({
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-02-01T00:00:00.000Z',
      granularity: 'week',
    });
    expect(parseKpiPeriod(period).granularity).toBeUndefined();
  });

  it('names every missing bound at once', () => {
    expect(refusal(() => parseKpiPeriod({ from: undefined, to: '', granularity: undefined }))).toEqual([
      { field: 'from', code: 'isDefined', message: 'from is required (ISO-8601 instant)' },
      { field: 'to', code: 'isDefined', message: 'to is required (ISO-8601 instant)' },
    ]);
  });

  it('refuses a period that ends before it starts, and an unknown granularity', () => {
    expect(refusal(() => parseKpiPeriod({ ...period, from: '2025-03-01T00:00:00Z' }))).toEqual([
      { field: 'from', code: 'beforeTo', message: 'from must not be after to' },
    ]);
    expect(refusal(() => parseKpiPeriod({ ...period, granularity: 'year' }))).toEqual([
      { field: 'granularity', code: 'isIn', message: 'granularity is day, week or month' },
    ]);
    expect(codes(() => parseKpiPeriod({ ...period, granularity: ['day', 'week'] }))).toEqual([
      'granularity:single',
    ]);
  });

  it('checks the bounds before the granularity', () => {
    expect(codes(() => parseKpiPeriod({ from: 'soon', to: period.to, granularity: 'year' }))).toEqual([
      'from:isISO8601',
    ]);
  });
});

describe('parseKpiPeriodAsOf', () => {
  const query = {
    asOf: '2025-03-01T00:00:00Z',
    from: '2025-01-01T00:00:00Z',
    to: '2025-02-01T00:00:00Z',
    granularity: 'month',
  };

  it('returns asOf beside the period', () => {
    expect(parseKpiPeriodAsOf(query)).toEqual({
      asOf: '2025-03-01T00:00:00.000Z',
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-02-01T00:00:00.000Z',
      granularity: 'month',
    });
  });

  it('names asOf, from and to at once when all are missing', () => {
    expect(
      codes(() => parseKpiPeriodAsOf({ asOf: '', from: undefined, to: undefined, granularity: undefined })),
    ).toEqual(['asOf:isDefined', 'from:isDefined', 'to:isDefined']);
  });

  it('reports a reversed period and a period ending after asOf together', () => {
    expect(
      refusal(() =>
        parseKpiPeriodAsOf({ ...query, from: '2025-05-01T00:00:00Z', to: '2025-04-01T00:00:00Z' }),
      ),
    ).toEqual([
      { field: 'from', code: 'beforeTo', message: 'from must not be after to' },
      { field: 'to', code: 'notAfterAsOf', message: 'to must be at or before asOf' },
    ]);
  });

  it('lets the period end exactly at asOf', () => {
    expect(parseKpiPeriodAsOf({ ...query, to: query.asOf }).to).toBe('2025-03-01T00:00:00.000Z');
  });
});
