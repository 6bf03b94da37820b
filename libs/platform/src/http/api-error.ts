import type { ErrorDetail } from '@crm/domain';

/** What a client sees for every error. `code` is stable and documented in docs/errors.md. */
export type ErrorBody = {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  readonly details: readonly ErrorDetail[];
};

/** An error raised at the HTTP edge itself (validation, limits), already carrying its status. */
export class ApiError extends Error {
  /** Response headers that belong with this error, e.g. `WWW-Authenticate` on a 401. */
  readonly headers: Readonly<Record<string, string>> = {};

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ErrorBody {
    return { statusCode: this.statusCode, code: this.code, message: this.message, details: this.details };
  }
}

export class RequestValidationError extends ApiError {
  constructor(details: readonly ErrorDetail[], message = 'The request is invalid') {
    super(400, 'VALIDATION.FAILED', message, details);
    this.name = 'RequestValidationError';
  }
}
