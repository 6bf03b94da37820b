/**
 * A business rule said no. `kind` tells the edge how to translate it
 * (404 / 409 / 410 / 422) without the domain knowing about HTTP; `code` is
 * stable and documented for clients.
 */
export type DomainErrorKind = 'not_found' | 'conflict' | 'gone' | 'rule_violation';

export type ErrorDetail = {
  readonly field: string;
  readonly code: string;
  readonly message: string;
  /** The value a client acts on, where there is one (the survivor of CUSTOMER.MERGED). */
  readonly value?: string;
};

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
