import { type Day, dayOf } from '../aggregates/kpi-days';
import type { KpiTermSink } from '../aggregates/kpi-term-sink';
import { forEachDay, stepTerms } from '../aggregates/term-shapes';
import {
  hasMarketingConsentAt,
  isCustomerAt,
  profileOf,
  type ProfileSnapshot,
} from '../facts/kpi-facts.as-of';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { counterValues, type ProcessDefinition, RATE } from '../kpi-definition';
import { ratio, sum } from '../kpi-math';

/**
 * What the figures are formulas of, over the customers at `to` as they
 * stood then; both paths measure the same. projectionLag is the read
 * route's to add: it depends on the log head, not on the facts.
 */
type Inputs = {
  readonly customers: number;
  /** Σ over customers of their fields present among {name, email, phone, segment}. */
  readonly fieldsPresent: number;
  /** Customers with an email or a phone. */
  readonly identified: number;
  /** Customers whose latest marketing_email consent grants it. */
  readonly consenting: number;
};

/** The profile fields whose presence makes completeness (domain.md, IDIC). */
const PROFILE_FIELDS = 4;

/** The metrics of the counters (kpi/aggregates): each a sum over customers of their terms. */
const METRIC = {
  customers: 'cust',
  fieldsPresent: 'fields',
  identified: 'ident',
  consenting: 'consent',
} as const;

export const INFORMATION_MANAGEMENT = {
  measure: (facts, range) => {
    const customers = facts.filter((doc) => isCustomerAt(doc, range.to));
    const profiles = customers.map((doc) => profileOf(doc, range.to));
    return {
      customers: customers.length,
      fieldsPresent: sum(profiles.map(fieldsPresent)),
      identified: profiles.filter((profile) => profile.email || profile.phone).length,
      consenting: customers.filter((doc) => hasMarketingConsentAt(doc, range.to)).length,
    };
  },
  read: (counters) => counterValues(counters, METRIC),
  terms: (doc, _churnWindowMs, sink) => informationTerms(doc, dayOf(doc.registeredAt), sink),
  kpis: {
    avgProfileCompleteness: {
      description:
        'Mean share of {name, email, phone, segment} present in the profiles of the customers at `to`',
      schema: RATE,
      // Σ(present) / 4 / n is Σ(present / 4) / n exactly: quarters add up without rounding.
      formula: (n) => ratio(n.fieldsPresent / PROFILE_FIELDS, n.customers),
    },
    marketingConsentShare: {
      description: 'Share of the customers at `to` whose latest marketing_email consent grants it',
      schema: RATE,
      formula: (n) => ratio(n.consenting, n.customers),
    },
    identifiedShare: {
      description: 'Share of the customers at `to` with an email or a phone',
      schema: RATE,
      formula: (n) => ratio(n.identified, n.customers),
    },
  },
} satisfies ProcessDefinition<Inputs>;

function fieldsPresent(profile: ProfileSnapshot): number {
  return [profile.name, profile.email, profile.phone, profile.segment !== null].filter(Boolean).length;
}

/** The customer from the day after registration; their fields, identity and consent as of each day. */
function informationTerms(doc: KpiFactsDocument, registered: Day, sink: KpiTermSink): void {
  sink.atTo(registered, METRIC.customers, 1);
  const fields: { day: Day; value: number }[] = [];
  const identified: { day: Day; value: number }[] = [];
  const profile = { name: false, email: false, phone: false, segment: false };
  forEachDay(doc.profileChanges, (day, ofDay) => {
    for (const change of ofDay) {
      if (change.name !== undefined) profile.name = change.name;
      if (change.email !== undefined) profile.email = change.email;
      if (change.phone !== undefined) profile.phone = change.phone;
      if (change.segment !== undefined) profile.segment = change.segment !== null;
    }
    fields.push({
      day,
      value: [profile.name, profile.email, profile.phone, profile.segment].filter(Boolean).length,
    });
    identified.push({ day, value: profile.email || profile.phone ? 1 : 0 });
  });
  stepTerms(registered, fields, METRIC.fieldsPresent, sink);
  stepTerms(registered, identified, METRIC.identified, sink);
  const consent: { day: Day; value: number }[] = [];
  forEachDay(doc.marketingConsents, (day, ofDay) =>
    consent.push({ day, value: ofDay[ofDay.length - 1]?.granted === true ? 1 : 0 }),
  );
  stepTerms(registered, consent, METRIC.consenting, sink);
}
