import type { EventStore } from '@crm/event-store';
import { mapInSlices, Slicer } from '@crm/platform/slicing';
import {
  canonicalInstant,
  DEFAULT_SCORING,
  type IdicDocument,
  idicView,
  journeyStatus,
  type JourneyStatus,
  type RfmScores,
  type ScoringParameters,
  type ValueTier,
  VALUE_TIERS,
} from '@crm/projections';
import { populationAt } from '../time-travel/history-replay';
import { PopulationRanker } from '../time-travel/population-ranker';
import type { ReplayBudget } from '../time-travel/replay-budget';

export type WhatIfParameters = {
  readonly asOf: string;
  readonly churnWindowDays: number;
  readonly scoring: ScoringParameters;
};

/** The parameters the live read API scores with, for comparison. */
export type Baseline = { readonly churnWindowDays: number };

export type WhatIfCustomer = {
  readonly customerId: string;
  readonly netRevenue: number;
  readonly orders: number;
  readonly daysSinceLastPurchase: number | null;
  readonly rfm: RfmScores | null;
  readonly differentiationScore: number | null;
  readonly valueTier: ValueTier;
  readonly status: JourneyStatus;
  /** What today's parameters give the same customer at the same asOf. */
  readonly baseline: {
    readonly differentiationScore: number | null;
    readonly valueTier: ValueTier;
    readonly status: JourneyStatus;
  };
};

export type Compared = { readonly whatIf: number; readonly baseline: number };

export type WhatIfSummary = {
  readonly customers: number;
  readonly purchasers: number;
  readonly valueTiers: Readonly<Record<ValueTier, Compared>>;
  readonly status: Readonly<Record<JourneyStatus, Compared>>;
  /** Customers whose tier differs from the baseline's. */
  readonly tierChanged: number;
  readonly meanDifferentiationScore: { readonly whatIf: number | null; readonly baseline: number | null };
};

export type WhatIfResult = {
  readonly asOf: string;
  readonly parameters: WhatIfParameters;
  readonly baseline: WhatIfParameters;
  readonly summary: WhatIfSummary;
  /** Customers by id, `offset` … `offset + limit`. */
  readonly items: WhatIfCustomer[];
  readonly total: number;
  readonly nextOffset: number | null;
  /** The log position the history was read up to. */
  readonly position: number;
};

export type WhatIfPage = { readonly offset: number; readonly limit: number };

/**
 * Reruns IDIC scoring over the history with other parameters. The documents
 * are folded from the log into memory (a scratch projection that lives for
 * one call); the live read models are never read or written. Folding and
 * scoring share the event loop, a slice at a time.
 * @throws ReadTooLargeError when the log is longer than the budget.
 */
export async function runWhatIf(
  events: EventStore,
  parameters: WhatIfParameters,
  baseline: Baseline,
  page: WhatIfPage,
  budget?: ReplayBudget,
): Promise<WhatIfResult> {
  const asOf = canonicalInstant(parameters.asOf);
  const slicer = new Slicer();
  const { idic, position } = await populationAt(events, asOf, { idic: true }, { budget, slicer });
  const ranker = new PopulationRanker(idic.values(), asOf);
  const today: WhatIfParameters = {
    asOf,
    churnWindowDays: baseline.churnWindowDays,
    scoring: DEFAULT_SCORING,
  };
  const byId = [...idic.values()].sort((a, b) =>
    a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0,
  );
  const scored = await mapInSlices(
    byId,
    (doc) => scoreCustomer(doc, ranker, { ...parameters, asOf }, today),
    slicer,
  );
  const items = scored.slice(page.offset, page.offset + page.limit);
  return {
    asOf,
    parameters: { ...parameters, asOf },
    baseline: today,
    summary: summarise(scored, ranker.purchasers),
    items,
    total: scored.length,
    nextOffset: page.offset + page.limit < scored.length ? page.offset + page.limit : null,
    position,
  };
}

function scoreCustomer(
  doc: IdicDocument,
  ranker: PopulationRanker,
  parameters: WhatIfParameters,
  today: WhatIfParameters,
): WhatIfCustomer {
  const ranks = ranker.ranksOf(doc) ?? {
    recencyLower: 0,
    frequencyLower: 0,
    monetaryLower: 0,
    purchasers: 0,
  };
  const view = idicView(doc, parameters.asOf, ranks, parameters.scoring).differentiate.value;
  const base = idicView(doc, today.asOf, ranks, today.scoring).differentiate.value;
  return {
    customerId: doc.customerId,
    netRevenue: doc.netRevenue,
    orders: doc.orders,
    daysSinceLastPurchase: view.daysSinceLastPurchase,
    rfm: view.rfm,
    differentiationScore: view.differentiationScore,
    valueTier: view.valueTier,
    status: journeyStatus(doc, parameters.asOf, parameters.churnWindowDays),
    baseline: {
      differentiationScore: base.differentiationScore,
      valueTier: base.valueTier,
      status: journeyStatus(doc, today.asOf, today.churnWindowDays),
    },
  };
}

function summarise(scored: readonly WhatIfCustomer[], purchasers: number): WhatIfSummary {
  const count = (pick: (c: WhatIfCustomer) => string, value: string) =>
    scored.filter((c) => pick(c) === value).length;
  const compare =
    (whatIf: (c: WhatIfCustomer) => string, base: (c: WhatIfCustomer) => string) =>
    (value: string): Compared => ({ whatIf: count(whatIf, value), baseline: count(base, value) });
  const tiers = compare(
    (c) => c.valueTier,
    (c) => c.baseline.valueTier,
  );
  const statuses = compare(
    (c) => c.status,
    (c) => c.baseline.status,
  );
  return {
    customers: scored.length,
    purchasers,
    valueTiers: Object.fromEntries(VALUE_TIERS.map((tier) => [tier, tiers(tier)])) as Record<
      ValueTier,
      Compared
    >,
    status: { active: statuses('active'), lapsed: statuses('lapsed') },
    tierChanged: scored.filter((c) => c.valueTier !== c.baseline.valueTier).length,
    meanDifferentiationScore: {
      whatIf: mean(scored.map((c) => c.differentiationScore)),
      baseline: mean(scored.map((c) => c.baseline.differentiationScore)),
    },
  };
}

function mean(values: readonly (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : present.reduce((sum, value) => sum + value, 0) / present.length;
}
