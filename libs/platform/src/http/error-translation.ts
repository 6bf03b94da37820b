import { HttpException } from '@nestjs/common';
import { CommandRejectedError, DomainError, type DomainErrorKind } from '@crm/domain';
import {
  EventIdConflictError,
  EventStoreUnavailableError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from '@crm/event-store';
import { InvalidCursorError, InvalidQueryError } from '@crm/read-store';
import { ReadTooLargeError } from '../slicing/read-too-large.error';
import { ApiError, type ErrorBody } from './api-error';
import { MalformedJsonError } from './json-body';

const STATUS_BY_KIND: Readonly<Record<DomainErrorKind, number>> = {
  not_found: 404,
  conflict: 409,
  gone: 410,
  rule_violation: 422,
};

/** Fastify's own request errors (raised before our handlers run), by their stable code. */
const HTTP_CODES: Readonly<Record<number, string>> = {
  400: 'REQUEST.BAD',
  404: 'ROUTE.NOT_FOUND',
  405: 'ROUTE.METHOD_NOT_ALLOWED',
  413: 'PAYLOAD.TOO_LARGE',
  415: 'PAYLOAD.UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The one place where errors become HTTP responses. Everything below the
 * edge throws typed errors with stable codes and knows nothing of HTTP.
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ApiError) return error.toBody();
  if (error instanceof CommandRejectedError) return toErrorBody(error.reason);
  if (error instanceof DomainError) {
    return {
      statusCode: STATUS_BY_KIND[error.kind],
      code: error.code,
      message: error.message,
      details: error.details,
    };
  }
  if (error instanceof WrongExpectedRevisionError) {
    return {
      statusCode: 409,
      code: error.code,
      message: error.message,
      details: [
        {
          field: 'expectedRevision',
          code: 'mismatch',
          message: `expected ${String(error.expected)}, stream is at ${error.actual ?? 'no stream'}`,
        },
      ],
    };
  }
  if (error instanceof EventIdConflictError) {
    return {
      statusCode: 409,
      code: error.code,
      message: error.message,
      details: [{ field: 'eventId', code: 'used_by_another_stream', message: error.message }],
    };
  }
  if (error instanceof InvalidAppendError) {
    return { statusCode: 400, code: error.code, message: error.message, details: [] };
  }
  if (error instanceof InvalidCursorError) {
    // A bad query parameter like any other: the detail names the cursor and the store's reason.
    return {
      statusCode: 400,
      code: 'VALIDATION.FAILED',
      message: 'The cursor is not valid for this query; start again without it',
      details: [{ field: 'cursor', code: error.code, message: error.message }],
    };
  }
  if (error instanceof InvalidQueryError) {
    return { statusCode: 400, code: error.code, message: error.message, details: [] };
  }
  if (error instanceof ReadTooLargeError) {
    // The request is well formed; what it asks for is over a configured budget: no field is at fault.
    return { statusCode: 422, code: error.code, message: error.message, details: [] };
  }
  if (error instanceof EventStoreUnavailableError) {
    return {
      statusCode: 503,
      code: error.code,
      message: 'The event store is unavailable; retry later',
      details: [],
    };
  }
  if (error instanceof MalformedJsonError) {
    return { statusCode: 400, code: 'PAYLOAD.MALFORMED_JSON', message: error.message, details: [] };
  }
  if (error instanceof HttpException) {
    const statusCode = error.getStatus();
    return {
      statusCode,
      code: HTTP_CODES[statusCode] ?? `HTTP.${statusCode}`,
      message: error.message,
      details: [],
    };
  }
  return {
    statusCode: 500,
    code: 'INTERNAL.ERROR',
    message: 'Something went wrong on our side',
    details: [],
  };
}
