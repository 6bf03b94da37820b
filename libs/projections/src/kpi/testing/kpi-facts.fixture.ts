import type { CrmEvent, CustomerRegisteredData } from '@crm/domain';
import { createEventFactory, type EnvelopeOverrides, type EventFactory } from '@crm/domain/testing';
import { canonicalInstant } from '../../shared/instant';
import { foldKpiFacts } from '../facts/kpi-facts.evolve';
import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import type { KpiPeriod } from '../kpi-period';

/** March 2024, the period most scenarios report on. */
export const MARCH_2024: KpiPeriod = { from: '2024-03-01T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z' };

/** Envelope overrides pinning occurredAt; a bare date means midnight UTC. */
export function at(instant: string): EnvelopeOverrides {
  return { occurredAt: canonicalInstant(instant) };
}

/** Folds one customer's stream in log order, positions 1…n. */
export function factsOf(events: readonly CrmEvent[]): KpiFactsDocument {
  const doc = foldKpiFacts(
    null,
    events.map((event, index) => ({ event, position: index + 1 })),
  );
  if (doc === null) throw new Error('A customer stream starts with CustomerRegistered');
  return doc;
}

export type CustomerSetup = Partial<Omit<CustomerRegisteredData, 'customerId'>> & {
  readonly id: string;
  readonly registeredAt: string;
};

/** A customer registered at `registeredAt`, then the history `build` returns, in that log order. */
export function customerFacts(
  { id, registeredAt, ...registration }: CustomerSetup,
  build: (f: EventFactory) => CrmEvent[] = () => [],
): KpiFactsDocument {
  const f = createEventFactory({ customerId: id });
  return factsOf([f.customerRegistered(registration, at(registeredAt)), ...build(f)]);
}
