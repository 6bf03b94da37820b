import type { EventRef } from './event-ref';
import { isLaterRef } from './event-ref';

/**
 * The latest statement about one profile field. Registration and profile
 * updates may be back-dated, so the value kept is the one stated last in
 * occurredAt order, not the one that arrived last.
 */
export type ProfileFieldFact = EventRef & {
  /** Whether the statement carried a non-blank value. */
  readonly present: boolean;
  /** What the read model keeps of it (normalised; null when blank or deliberately not copied). */
  readonly value: string | null;
};

export type FieldNormaliser = (trimmed: string) => string | null;

export const keepTrimmed: FieldNormaliser = (trimmed) => trimmed;

/**
 * Folds one statement into the field. An absent key is no statement at all
 * (profile updates carry changed fields only), so it leaves the fact as is; a
 * blank string is a statement that the field is now empty.
 */
export function stateProfileField(
  current: ProfileFieldFact | null,
  raw: string | null | undefined,
  at: EventRef,
  normalise: FieldNormaliser,
): ProfileFieldFact | null {
  if (raw === undefined || !isLaterRef(at, current)) return current;
  // null clears the field (a profile update); blank is no value either.
  const trimmed = raw === null ? '' : raw.trim();
  const present = trimmed.length > 0;
  // Spelled out rather than spread from `at`: V8 builds `{ ...at, more }` on a slow path.
  return {
    occurredAt: at.occurredAt,
    position: at.position,
    present,
    value: present ? normalise(trimmed) : null,
  };
}

export function fieldValue(fact: ProfileFieldFact | null): string | null {
  return fact?.value ?? null;
}

export function fieldPresent(fact: ProfileFieldFact | null): boolean {
  return fact?.present ?? false;
}
