import { RequestValidationError } from './api-error';
import { CAUSATION_HEADER, CORRELATION_HEADER, metadataFromHeaders } from './request-metadata';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function rejectionOf(headers: Record<string, string | string[] | undefined>): RequestValidationError {
  try {
    metadataFromHeaders(headers, 'anonymous');
  } catch (error) {
    if (error instanceof RequestValidationError) return error;
    throw error;
  }
  throw new Error('expected a RequestValidationError');
}

describe('metadataFromHeaders', () => {
  it('takes correlation and causation ids from the headers, with the given actor and source', () => {
    const metadata = metadataFromHeaders(
      { [CORRELATION_HEADER]: 'order-flow:42', [CAUSATION_HEADER]: 'evt/7' },
      'import-bot',
      'import',
    );

    expect(metadata).toEqual({
      correlationId: 'order-flow:42',
      causationId: 'evt/7',
      actor: 'import-bot',
      source: 'import',
    });
  });

  it('generates a UUID correlation id and leaves causation null when the headers are absent', () => {
    const metadata = metadataFromHeaders({}, 'anonymous');

    expect(metadata.correlationId).toMatch(UUID);
    expect(metadata).toMatchObject({ causationId: null, actor: 'anonymous', source: 'api' });
  });

  it('generates a different correlation id per call', () => {
    expect(metadataFromHeaders({}, 'a').correlationId).not.toBe(metadataFromHeaders({}, 'a').correlationId);
  });

  it('uses the first value of a repeated header', () => {
    expect(metadataFromHeaders({ [CORRELATION_HEADER]: ['first', 'second'] }, 'a').correlationId).toBe(
      'first',
    );
  });

  it('accepts an id of 128 characters of the allowed alphabet', () => {
    const id = `aZ09._:@/+=-${'x'.repeat(116)}`;

    expect(metadataFromHeaders({ [CORRELATION_HEADER]: id }, 'a').correlationId).toBe(id);
  });

  it.each([
    ['a space', 'a b'],
    ['an empty value', ''],
    ['129 characters', 'x'.repeat(129)],
    ['a non-ASCII letter', 'café'],
    ['a newline', 'a\nb'],
  ])('rejects a correlation id with %s', (_label, value) => {
    const error = rejectionOf({ [CORRELATION_HEADER]: value });

    expect(error.details.map((detail) => [detail.field, detail.code])).toEqual([
      ['headers.x-correlation-id', 'invalidTraceId'],
    ]);
  });

  it('names both headers when both are invalid', () => {
    const error = rejectionOf({ [CORRELATION_HEADER]: 'bad one', [CAUSATION_HEADER]: 'bad two' });

    expect(error.details.map((detail) => detail.field)).toEqual([
      'headers.x-correlation-id',
      'headers.x-causation-id',
    ]);
    expect(error.toBody().statusCode).toBe(400);
  });
});
