import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@crm/domain';
import { RequestValidationError } from './api-error';

export const CORRELATION_HEADER = 'x-correlation-id';
export const CAUSATION_HEADER = 'x-causation-id';

/** What a correlation or causation id may look like: short, printable, safe in logs and headers. */
export const TRACE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

type Headers = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Builds event metadata from what the caller sent. The correlation id is
 * taken from the header when given (so a client can trace one business flow
 * across services) and generated otherwise.
 */
export function metadataFromHeaders(headers: Headers, actor: string, source = 'api'): EventMetadata {
  const correlationId = header(headers, CORRELATION_HEADER);
  const causationId = header(headers, CAUSATION_HEADER);
  const bad = [
    [CORRELATION_HEADER, correlationId],
    [CAUSATION_HEADER, causationId],
  ].filter(([, value]) => value !== undefined && !TRACE_ID.test(value));
  if (bad.length > 0) {
    throw new RequestValidationError(
      bad.map(([name]) => ({
        field: `headers.${name}`,
        code: 'invalidTraceId',
        message: `${name} must be 1-128 characters of letters, digits and ._:@/+=-`,
      })),
    );
  }
  return { correlationId: correlationId ?? randomUUID(), causationId: causationId ?? null, actor, source };
}
