import { DomainError, type DomainErrorKind, type ErrorDetail } from '@crm/domain';
import { ReadStoreUnavailableError } from '@crm/read-store';

/**
 * An error thrown in the worker, as it crosses to the main thread: a
 * DomainError keeps its code and kind (so the API answers the same status,
 * e.g. 409 PROJECTION.REBUILD_IN_PROGRESS), a read-store outage stays one
 * (503, and the dead-letter admin does not count it as the letter failing),
 * and anything else (what a projection throws) keeps its message.
 */
export type WireError =
  | {
      readonly type: 'domain';
      readonly code: string;
      readonly kind: DomainErrorKind;
      readonly message: string;
      readonly details: readonly ErrorDetail[];
    }
  | { readonly type: 'read-store-unavailable'; readonly message: string }
  | { readonly type: 'error'; readonly name: string; readonly message: string };

export function toWire(error: unknown): WireError {
  if (error instanceof DomainError)
    return {
      type: 'domain',
      code: error.code,
      kind: error.kind,
      message: error.message,
      details: error.details,
    };
  if (error instanceof ReadStoreUnavailableError)
    return { type: 'read-store-unavailable', message: error.message };
  if (error instanceof Error) return { type: 'error', name: error.name, message: error.message };
  return { type: 'error', name: 'Error', message: String(error) };
}

export function fromWire(wire: WireError): Error {
  switch (wire.type) {
    case 'domain':
      return new DomainError(wire.code, wire.kind, wire.message, wire.details);
    case 'read-store-unavailable':
      return new ReadStoreUnavailableError(wire.message);
    case 'error': {
      const error = new Error(wire.message);
      error.name = wire.name;
      return error;
    }
  }
}
