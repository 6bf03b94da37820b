import type { CrmEvent } from '@crm/domain';

/**
 * One event as a projection runner hands it over: the event plus its global
 * log position. The position, not the arrival, is what makes evolve
 * idempotent (a redelivered event has a position the document already holds).
 */
export type ProjectedEvent = {
  readonly event: CrmEvent;
  readonly position: number;
};

/**
 * Every per-customer read model: keyed by the customer and stamped with the
 * position of the last event it applied.
 */
export type ProjectionDocument = {
  readonly id: string;
  readonly position: number;
};

/** True when the document already reflects this event (replay, redelivery). */
export function alreadyApplied(doc: ProjectionDocument, e: ProjectedEvent): boolean {
  return e.position <= doc.position;
}
