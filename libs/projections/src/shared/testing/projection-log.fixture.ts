import type { CrmEvent } from '@crm/domain';
import type { ProjectedEvent } from '../projected-event';

export type Evolve<D> = (doc: D | null, e: ProjectedEvent) => D | null;

/** Gives events consecutive log positions, as the global log would. */
export function inLogOrder(events: readonly CrmEvent[], firstPosition = 1): ProjectedEvent[] {
  return events.map((event, index) => ({ event, position: firstPosition + index }));
}

/** Folds projected events the way the runner does. */
export function replay<D>(
  evolve: Evolve<D>,
  events: readonly ProjectedEvent[],
  from: D | null = null,
): D | null {
  return events.reduce<D | null>((doc, e) => evolve(doc, e), from);
}

/** Logs the events in the given order and folds them from scratch. */
export function project<D>(evolve: Evolve<D>, events: readonly CrmEvent[]): D | null {
  return replay(evolve, inLogOrder(events));
}

/**
 * The document without log positions: two logs holding the same facts in a
 * different order must agree on everything else.
 */
export function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'position')
      .map(([key, inner]) => [key, withoutPositions(inner)]),
  );
}

/** Expects a non-null document, so a spec reads fields without null checks. */
export function present<D>(doc: D | null): D {
  if (doc === null) throw new Error('Expected a document, got null');
  return doc;
}
