import type { CounterPairSum } from '../read-store.port';
import { InvalidQueryError } from '../read-store.errors';

function isBound(bound: unknown): bound is number | null {
  return bound === null || Number.isSafeInteger(bound);
}

/** The sums as given, once checked: a set id and two bounds, each a safe integer or null. */
export function checkCounterSums(sums: readonly CounterPairSum[]): readonly CounterPairSum[] {
  const given: unknown = sums;
  if (!Array.isArray(given)) throw new InvalidQueryError('the sums are not a list');
  for (const sum of given as readonly unknown[]) {
    const { set, belowFirst, belowSecond } = (sum ?? {}) as Partial<CounterPairSum>;
    if (typeof set !== 'string' || !isBound(belowFirst) || !isBound(belowSecond)) {
      throw new InvalidQueryError('a sum needs a set id and two bounds, each a safe integer or null');
    }
  }
  return sums;
}
