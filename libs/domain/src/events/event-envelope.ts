/**
 * Who and what caused an event. Passed explicitly from the edge (HTTP, CLI,
 * workers); the domain never reads ambient request context.
 */
export type EventMetadata = {
  /** Ties together every event caused by one business request. */
  correlationId: string;
  /** The eventId (or request id) that directly caused this event, if any. */
  causationId: string | null;
  /** Who did it: an API key name, a user, or `system`. */
  actor: string;
  /** Which entry point recorded it: `api`, `import`, ... */
  source: string;
};

/**
 * An immutable fact about a customer. `type` strings are stable and explicit
 * (never class names); `version` lets the payload evolve with upcasters.
 */
export type DomainEvent<TType extends string = string, TData = Readonly<Record<string, unknown>>> = {
  readonly type: TType;
  readonly version: number;
  /** UUID, client-supplied or generated; a repeat is an idempotent no-op. */
  readonly eventId: string;
  /** When it happened in the world (ISO-8601 UTC); may be in the past. */
  readonly occurredAt: string;
  readonly data: TData;
  readonly metadata: EventMetadata;
};

/** A money amount: an integer in minor units plus an ISO-4217 currency code. */
export type Money = { readonly amount: number; readonly currency: string };
