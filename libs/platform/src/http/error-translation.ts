import { HttpException } from '@nestjs/common';
import { CommandRejectedError, DomainError, type DomainErrorKind, type ErrorDetail } from '@crm/domain';
import { WrongExpectedRevisionError } from '@crm/event-store';
import { ReadTooLargeError } from '../slicing/read-too-large.error';
import { ApiError, type ErrorBody } from './api-error';
import { UnacceptableJsonError } from './json-body';

const STATUS_BY_KIND: Readonly<Record<DomainErrorKind, number>> = {
  not_found: 404,
  conflict: 409,
  gone: 410,
  rule_violation: 422,
};

/** An error that names itself with a stable `code` (the event store's, the read store's, the edge's own). */
type CodedError = Error & { readonly code: string };

/** How an error of one code is shown to a client. Messages default to the error's own. */
type Translation = {
  readonly statusCode: number;
  /** The code the client sees, when it is not the error's own. */
  readonly code?: string;
  /** A fixed message, for errors whose own message holds internals (paths, engine errors). */
  readonly message?: string;
  readonly details?: (error: CodedError) => readonly ErrorDetail[];
};

const revisionMismatch = (error: CodedError): readonly ErrorDetail[] =>
  error instanceof WrongExpectedRevisionError
    ? [
        {
          field: 'expectedRevision',
          code: 'mismatch',
          message: `expected ${String(error.expected)}, stream is at ${error.actual ?? 'no stream'}`,
        },
      ]
    : [];

/**
 * Errors raised below the edge, by their stable code. A code missing here is
 * not meant for clients and is answered as 500 INTERNAL.ERROR (and logged).
 */
const BY_CODE: ReadonlyMap<string, Translation> = new Map<string, Translation>([
  ['EVENT_STORE.WRONG_EXPECTED_REVISION', { statusCode: 409, details: revisionMismatch }],
  [
    'EVENT_STORE.EVENT_ID_CONFLICT',
    {
      statusCode: 409,
      details: (error) => [{ field: 'eventId', code: 'used_by_another_stream', message: error.message }],
    },
  ],
  ['EVENT_STORE.INVALID_APPEND', { statusCode: 400 }],
  ['EVENT_STORE.UNAVAILABLE', { statusCode: 503, message: 'The event store is unavailable; retry later' }],
  ['READ_STORE.UNAVAILABLE', { statusCode: 503, message: 'The read store is unavailable; retry later' }],
  [
    // A bad query parameter like any other: the detail names the cursor and the store's reason.
    'READ_STORE.INVALID_CURSOR',
    {
      statusCode: 400,
      code: 'VALIDATION.FAILED',
      message: 'The cursor is not valid for this query; start again without it',
      details: (error) => [{ field: 'cursor', code: error.code, message: error.message }],
    },
  ],
  ['READ_STORE.INVALID_QUERY', { statusCode: 400 }],
  ['PAYLOAD.MALFORMED_JSON', { statusCode: 400 }],
  [
    'VALIDATION.FAILED',
    {
      statusCode: 400,
      details: (error) => (error instanceof UnacceptableJsonError ? error.details : []),
    },
  ],
]);

/**
 * What the framework raises on its own (routing, body reading), by status.
 * Messages are ours: the framework's may echo the URL or mislead.
 */
const FRAMEWORK_BY_STATUS: Readonly<Record<number, { code: string; message: string }>> = {
  400: { code: 'REQUEST.BAD', message: 'The request is not valid HTTP' },
  404: { code: 'ROUTE.NOT_FOUND', message: 'No route matches this method and path' },
  405: { code: 'ROUTE.METHOD_NOT_ALLOWED', message: 'The route does not accept this method' },
  408: { code: 'REQUEST.TIMEOUT', message: 'The request did not arrive in time' },
  413: { code: 'PAYLOAD.TOO_LARGE', message: 'The body is larger than the server accepts' },
  414: { code: 'REQUEST.URL_TOO_LONG', message: 'The URL or one of its segments is too long' },
  415: {
    code: 'PAYLOAD.UNSUPPORTED_MEDIA_TYPE',
    message: 'The body must be sent as application/json',
  },
  431: { code: 'REQUEST.HEADERS_TOO_LARGE', message: 'The request headers are too large' },
  503: { code: 'SERVER.SHUTTING_DOWN', message: 'The server is shutting down; retry on another instance' },
};

const INTERNAL: ErrorBody = {
  statusCode: 500,
  code: 'INTERNAL.ERROR',
  message: 'Something went wrong on our side',
  details: [],
};

function isCoded(error: unknown): error is CodedError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

/** The framework's own error for `statusCode`, in our shape. Any other status is a 400 or a 500. */
export function frameworkErrorBody(statusCode: number): ErrorBody {
  const known = FRAMEWORK_BY_STATUS[statusCode];
  if (known) return { statusCode, ...known, details: [] };
  return statusCode < 500 ? frameworkErrorBody(400) : INTERNAL;
}

/**
 * The one place where errors become HTTP responses. Everything below the
 * edge throws typed errors with stable codes and knows nothing of HTTP: the
 * edge's own errors carry their body, domain errors a kind, the others a code
 * looked up in the table above.
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ApiError) return error.toBody();
  if (error instanceof CommandRejectedError) return toErrorBody(error.reason);
  if (error instanceof DomainError) {
    const { code, message, details } = error;
    return { statusCode: STATUS_BY_KIND[error.kind], code, message, details };
  }
  if (error instanceof ReadTooLargeError) {
    // The request is well formed; what it asks for is over a configured budget: no field is at fault.
    return { statusCode: 422, code: error.code, message: error.message, details: [] };
  }
  if (error instanceof HttpException) return frameworkErrorBody(error.getStatus());
  const translation = isCoded(error) ? BY_CODE.get(error.code) : undefined;
  if (!isCoded(error) || translation === undefined) return INTERNAL;
  return {
    statusCode: translation.statusCode,
    code: translation.code ?? error.code,
    message: translation.message ?? error.message,
    details: translation.details?.(error) ?? [],
  };
}
