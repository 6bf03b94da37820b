import type { PurchaseItem, TouchpointChannel } from '@crm/domain';
import { compareRefs, type EventRef, isLaterRef } from '../shared';
import type { CategoryAmount, ChannelActivities, ChannelActivity } from './idic.document';

export function withChannelTouch(
  channels: ChannelActivities,
  channel: TouchpointChannel,
  at: EventRef,
): ChannelActivities {
  return { ...channels, [channel]: channelTouched(channels[channel], at) };
}

/** One more touchpoint on a channel: counted, and remembered if it is the latest there. */
export function channelTouched(current: ChannelActivity | undefined, at: EventRef): ChannelActivity {
  const latest = current === undefined || isLaterRef(at, current) ? at : current;
  return { occurredAt: latest.occurredAt, position: latest.position, count: (current?.count ?? 0) + 1 };
}

/** domain.md: most touchpoints; a tie goes to the channel used most recently. */
export function preferredChannel(channels: ChannelActivities): TouchpointChannel | null {
  // A plain loop: a fold derives this for every batch, and a batch is often one event.
  let best: TouchpointChannel | null = null;
  let bestActivity: ChannelActivity | undefined;
  for (const channel of Object.keys(channels) as TouchpointChannel[]) {
    const activity = channels[channel];
    if (activity !== undefined && (bestActivity === undefined || beats(activity, bestActivity))) {
      best = channel;
      bestActivity = activity;
    }
  }
  return best;
}

function beats(candidate: ChannelActivity, best: ChannelActivity): boolean {
  return candidate.count > best.count || (candidate.count === best.count && compareRefs(candidate, best) > 0);
}

/**
 * Adds a purchase's items to the per-category amounts, kept sorted by name
 * so the document does not depend on which order came first. A list, not a
 * record: category names are client data.
 */
export function withCategoryAmounts(
  categories: readonly CategoryAmount[],
  items: readonly PurchaseItem[],
): CategoryAmount[] {
  const amounts = categoryAmounts(categories);
  addCategoryAmounts(amounts, items);
  return sortedCategoryAmounts(amounts);
}

/** The per-category amounts as a map to add to; a fold adds every purchase of a batch before sorting once. */
export function categoryAmounts(categories: readonly CategoryAmount[]): Map<string, number> {
  return new Map(categories.map(({ category, amount }) => [category, amount]));
}

export function addCategoryAmounts(amounts: Map<string, number>, items: readonly PurchaseItem[]): void {
  for (const item of items) {
    amounts.set(item.category, (amounts.get(item.category) ?? 0) + item.quantity * item.unitAmount);
  }
}

/** The stored form: a list sorted by category name. */
export function sortedCategoryAmounts(amounts: ReadonlyMap<string, number>): CategoryAmount[] {
  return [...amounts]
    .map(([category, amount]) => ({ category, amount }))
    .sort((a, b) => compareNames(a.category, b.category));
}

/**
 * The category with the largest purchase amount. A tie goes to the first
 * name in code-point order, which is stable across locales. Only free items
 * (amount 0) make no top category: nothing was spent on them.
 */
export function topCategory(categories: readonly CategoryAmount[]): string | null {
  let best: CategoryAmount | null = null;
  for (const entry of categories) {
    if (entry.amount > 0 && (best === null || outranks(entry, best))) best = entry;
  }
  return best?.category ?? null;
}

function outranks(candidate: CategoryAmount, best: CategoryAmount): boolean {
  if (candidate.amount !== best.amount) return candidate.amount > best.amount;
  return compareNames(candidate.category, best.category) < 0;
}

/** Code-point order, not localeCompare: the stored order must not depend on the server's locale. */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
