/** Base of every error the read store port throws; `code` is stable. */
export abstract class ReadStoreError extends Error {
  abstract readonly code: string;
}

/** A cursor this store did not hand out, or handed out for another sort; the client should restart paging. */
export class InvalidCursorError extends ReadStoreError {
  readonly code = 'READ_STORE.INVALID_CURSOR';
  constructor(readonly reason: string) {
    super(`Invalid cursor: ${reason}`);
    this.name = 'InvalidCursorError';
  }
}

/** The collection was never ensured: a wiring mistake, not a missing document. */
export class UnknownCollectionError extends ReadStoreError {
  readonly code = 'READ_STORE.UNKNOWN_COLLECTION';
  constructor(readonly collection: string) {
    super(`Unknown read-model collection ${collection}; declare it with ensureCollections first`);
    this.name = 'UnknownCollectionError';
  }
}

export type NameKind = 'collection' | 'field' | 'projection';

/** Names end up in SQL text and collection names, so only plain identifiers are allowed. */
export class InvalidNameError extends ReadStoreError {
  readonly code = 'READ_STORE.INVALID_NAME';
  constructor(
    readonly kind: NameKind,
    readonly value: unknown,
  ) {
    super(`Invalid ${kind} name ${JSON.stringify(String(value))}`);
    this.name = 'InvalidNameError';
  }
}

/** A malformed filter, sort or limit; retrying cannot help. */
export class InvalidQueryError extends ReadStoreError {
  readonly code = 'READ_STORE.INVALID_QUERY';
  constructor(readonly reason: string) {
    super(`Invalid query: ${reason}`);
    this.name = 'InvalidQueryError';
  }
}

/** A malformed unit of work (bad position, document not plain JSON); nothing of it was written. */
export class InvalidWriteError extends ReadStoreError {
  readonly code = 'READ_STORE.INVALID_WRITE';
  constructor(readonly reason: string) {
    super(`Invalid write: ${reason}`);
    this.name = 'InvalidWriteError';
  }
}

/** The engine failed or the store is closed; the call may succeed later. */
export class ReadStoreUnavailableError extends ReadStoreError {
  readonly code = 'READ_STORE.UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReadStoreUnavailableError';
  }
}
