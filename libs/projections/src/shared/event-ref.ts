import { canonicalInstant, compareInstants, type IsoInstant } from './instant';
import type { ProjectedEvent } from './projected-event';

/**
 * Where a fact sits in the customer's history. domain.md orders facts by
 * occurredAt, ties by log order, so both travel together.
 */
export type EventRef = {
  readonly occurredAt: IsoInstant;
  readonly position: number;
};

export function refOf(e: ProjectedEvent): EventRef {
  return { occurredAt: canonicalInstant(e.event.occurredAt), position: e.position };
}

/** Negative when `a` happened first: occurredAt, then log position. */
export function compareRefs(a: EventRef, b: EventRef): number {
  return compareInstants(a.occurredAt, b.occurredAt) || a.position - b.position;
}

/** "Latest" in the domain.md sense: greatest occurredAt, ties broken by log order. */
export function isLaterRef(candidate: EventRef, current: EventRef | null): boolean {
  return current === null || compareRefs(candidate, current) > 0;
}

export function isEarlierRef(candidate: EventRef, current: EventRef | null): boolean {
  return current === null || compareRefs(candidate, current) < 0;
}

/** A copy sorted into history order, so the result never depends on arrival order. */
export function sortedByRef<T extends EventRef>(items: readonly T[]): T[] {
  return [...items].sort(compareRefs);
}

/**
 * Inserts `item` into a list the caller owns and keeps in history order,
 * after any equal ref: the list `sortedByRef([...items, item])` would give,
 * without copying and re-sorting it. Scans from the end, where a log fed in
 * order appends.
 */
export function insertByRef<T extends EventRef>(items: T[], item: T): void {
  let index = items.length;
  while (index > 0 && compareRefs(items[index - 1] as T, item) > 0) index--;
  items.splice(index, 0, item);
}

/**
 * Merges two lists, each in history order, into one: the list
 * `sortedByRef([...a, ...b])` would give (on a tie, `a`'s item first), in
 * linear time.
 */
export function mergeByRef<T extends EventRef>(a: readonly T[], b: readonly T[]): T[] {
  if (b.length === 0) return [...a];
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const fromA = a[i] as T;
    const fromB = b[j] as T;
    if (compareRefs(fromB, fromA) < 0) {
      merged.push(fromB);
      j++;
    } else {
      merged.push(fromA);
      i++;
    }
  }
  while (i < a.length) merged.push(a[i++] as T);
  while (j < b.length) merged.push(b[j++] as T);
  return merged;
}
