import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiQuery } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';

/**
 * The constraints the server enforces on path and query parameters, as
 * OpenAPI schemas, so the document says what a request must look like
 * (clients and the fuzzer generate from it).
 */

/** Letters, digits and _.:@-, 1-128 characters (CUSTOMER_ID_PATTERN in @crm/ingestion). */
export const CUSTOMER_ID_SCHEMA: SchemaObject = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$',
  maxLength: 128,
};

/** An ISO-8601 instant with an offset (see isValidInstant), e.g. 2025-06-01T00:00:00Z. */
export const INSTANT_SCHEMA: SchemaObject = { type: 'string', format: 'date-time' };

/** A global log position as the query string carries it: at most 15 digits. */
export const POSITION_SCHEMA: SchemaObject = { type: 'integer', minimum: 0, maximum: 999_999_999_999_999 };

export function integerSchema(minimum: number, maximum: number, fallback?: number): SchemaObject {
  return { type: 'integer', minimum, maximum, ...(fallback !== undefined && { default: fallback }) };
}

/** An opaque cursor handed out by the previous page (`nextCursor`); any other value is a 400. */
export const CURSOR_SCHEMA: SchemaObject = { type: 'string' };

/** The `:customerId` path parameter. */
export function ApiCustomerIdParam(): MethodDecorator {
  return ApiParam({
    name: 'customerId',
    schema: CUSTOMER_ID_SCHEMA,
    description: '1-128 letters, digits and _.:@-',
  });
}

/** `?asOf=`: an instant; `required` where the route has no default. */
export function ApiInstantQuery(name: string, description: string, required = false): MethodDecorator {
  // An optional parameter given empty (`?asOf=`) counts as absent; a required one must not be.
  return ApiQuery({ name, required, schema: INSTANT_SCHEMA, description, allowEmptyValue: !required });
}

/** `?minPosition=`: read-your-writes (503 PROJECTION.NOT_CAUGHT_UP if not reached in time, 409 PROJECTION.PAUSED if a projection it waits on is paused). */
export function ApiMinPositionQuery(): MethodDecorator {
  return ApiQuery({
    name: 'minPosition',
    required: false,
    schema: POSITION_SCHEMA,
    description: 'Wait until the read models reflect this log position (globalPosition of a write)',
  });
}

/** `?limit=` in [1, max]. */
export function ApiLimitQuery(max: number, fallback: number, description = 'Page size'): MethodDecorator {
  return ApiQuery({
    name: 'limit',
    required: false,
    schema: integerSchema(1, max, fallback),
    description: `${description}, 1-${max} (default ${fallback})`,
  });
}

/** `?cursor=`: nextCursor of the previous page. */
export function ApiCursorQuery(description = 'nextCursor of the previous page'): MethodDecorator {
  return ApiQuery({
    name: 'cursor',
    required: false,
    schema: CURSOR_SCHEMA,
    description,
    allowEmptyValue: true,
  });
}

/** Several query decorators as one. */
export function ApiQueries(...decorators: MethodDecorator[]): MethodDecorator {
  return applyDecorators(...decorators);
}
