import { DAY_MS, epochMs } from '../../shared/instant';
import type { IdicDocument } from '../idic.document';

/** A whole UTC day, as days since the epoch. */
export type Day = number;

/** What ranks a purchaser (domain.md RFM): the values a scores view is ranked on. */
export type RankedValues = {
  readonly netRevenue: number;
  readonly orders: number;
  /** lastPurchaseAt in milliseconds since the epoch. */
  readonly lastPurchaseMs: number;
};

/**
 * The customer's ranked values from one day on: null while they are no
 * purchaser (not registered yet, or no order). A step on day `day` holds for
 * every asOf at the start of a later day (its facts occurred before such an
 * asOf), until the next step.
 */
export type TrajectoryStep = { readonly day: Day; readonly values: RankedValues | null };

export type LedgerFacts = Pick<
  IdicDocument['facts'],
  'orders' | 'registrations' | 'repeatedOrders' | 'refunds'
>;

type Entry =
  | { readonly kind: 'registration'; readonly ms: number; readonly position: number }
  | {
      readonly kind: 'purchase';
      readonly ms: number;
      readonly position: number;
      readonly orderId: string;
      readonly amount: number;
    }
  | { readonly kind: 'refund'; readonly ms: number; readonly position: number; readonly amount: number };

export function dayOfMs(ms: number): Day {
  return Math.floor(ms / DAY_MS);
}

/**
 * The document's ranked values as of the start of every day, as the steps
 * where they change: exactly what folding the customer's events with
 * occurredAt before that instant would give (time travel's "as of", fixture
 * C1), from the facts the document keeps.
 *
 * As of an instant the fold starts at the first registration in log order
 * that occurred before it (events logged before it are not seen), counts the
 * purchases and refunds logged after it that occurred before the instant,
 * and keeps the first recorded purchase of each orderId among those. The
 * document holds every fact it applied, so the facts counted as of any
 * instant are among them: the registrations, the orders, the repeated
 * orders and the refunds, each with its instant and log position.
 */
export function valueTrajectory(facts: LedgerFacts): TrajectoryStep[] {
  const entries = entriesOf(facts);
  const state = new AsOfState();
  const steps: TrajectoryStep[] = [];
  let previous: RankedValues | null = null;
  for (let start = 0; start < entries.length;) {
    const day = dayOfMs((entries[start] as Entry).ms);
    let end = start;
    while (end < entries.length && dayOfMs((entries[end] as Entry).ms) === day) end++;
    state.add(entries, start, end);
    const values = state.values();
    if (!sameValues(previous, values)) steps.push({ day, values });
    previous = values;
    start = end;
  }
  return steps;
}

/**
 * The ranked values of the events counted so far: the fold as of an instant,
 * kept up to date as the instant moves later and more events count.
 */
class AsOfState {
  /** Log position of the registration the fold starts at; null while none counts. */
  private anchor: number | null = null;
  private readonly winners = new Map<string, { position: number; amount: number; ms: number }>();
  private purchaseTotal = 0;
  private refundTotal = 0;
  private lastPurchaseMs = Number.NEGATIVE_INFINITY;
  /** Every entry counted so far, for a restart from an earlier registration. */
  private counted: Entry[] = [];

  add(entries: readonly Entry[], start: number, end: number): void {
    let anchorMoved = false;
    for (let index = start; index < end; index++) {
      const entry = entries[index] as Entry;
      this.counted.push(entry);
      if (entry.kind === 'registration' && (this.anchor === null || entry.position < this.anchor)) {
        this.anchor = entry.position;
        anchorMoved = true;
      }
    }
    if (anchorMoved) {
      // An earlier-logged registration now counts: the fold starts there and sees more events.
      this.reset();
      for (const entry of this.counted) this.apply(entry);
      return;
    }
    for (let index = start; index < end; index++) this.apply(entries[index] as Entry);
  }

  values(): RankedValues | null {
    if (this.anchor === null || this.winners.size === 0) return null;
    return {
      netRevenue: this.purchaseTotal - this.refundTotal,
      orders: this.winners.size,
      lastPurchaseMs: this.lastPurchaseMs,
    };
  }

  private reset(): void {
    this.winners.clear();
    this.purchaseTotal = 0;
    this.refundTotal = 0;
    this.lastPurchaseMs = Number.NEGATIVE_INFINITY;
  }

  private apply(entry: Entry): void {
    if (this.anchor === null || entry.position <= this.anchor) return;
    if (entry.kind === 'refund') this.refundTotal += entry.amount;
    else if (entry.kind === 'purchase') this.purchase(entry);
  }

  /** The first recorded purchase of an orderId wins: an earlier-logged one replaces a later one. */
  private purchase(entry: Extract<Entry, { kind: 'purchase' }>): void {
    const winner = this.winners.get(entry.orderId);
    if (winner !== undefined && winner.position < entry.position) return;
    const next = { position: entry.position, amount: entry.amount, ms: entry.ms };
    this.winners.set(entry.orderId, next);
    this.purchaseTotal += entry.amount - (winner?.amount ?? 0);
    if (winner === undefined || winner.ms < this.lastPurchaseMs) {
      this.lastPurchaseMs = Math.max(this.lastPurchaseMs, entry.ms);
      return;
    }
    let latest = Number.NEGATIVE_INFINITY;
    for (const order of this.winners.values()) latest = Math.max(latest, order.ms);
    this.lastPurchaseMs = latest;
  }
}

/** Every fact with its instant, ordered by instant (any order within a day serves). */
function entriesOf(facts: LedgerFacts): Entry[] {
  const entries: Entry[] = [];
  for (const at of facts.registrations)
    entries.push({ kind: 'registration', ms: epochMs(at.occurredAt), position: at.position });
  for (const list of [facts.orders, facts.repeatedOrders])
    for (const order of list)
      entries.push({
        kind: 'purchase',
        ms: epochMs(order.occurredAt),
        position: order.position,
        orderId: order.orderId,
        amount: order.amount,
      });
  for (const refund of facts.refunds)
    entries.push({
      kind: 'refund',
      ms: epochMs(refund.occurredAt),
      position: refund.position,
      amount: refund.amount,
    });
  return entries.sort((a, b) => a.ms - b.ms);
}

function sameValues(a: RankedValues | null, b: RankedValues | null): boolean {
  if (a === null || b === null) return a === b;
  return a.netRevenue === b.netRevenue && a.orders === b.orders && a.lastPurchaseMs === b.lastPurchaseMs;
}
