import type { StoredDocument } from '@crm/read-store';
import { foldIdic, type IdicDocument } from '../idic';
import { foldJourney, type JourneyDocument } from '../journey';
import { foldKpiFacts, type KpiFactsDocument } from '../kpi';
import { foldPerCustomer, type Projection, putsOf } from './projection';

export const JOURNEY_COLLECTION = 'journeys';
export const IDIC_COLLECTION = 'idic';
export const KPI_FACTS_COLLECTION = 'kpi_facts';

type Doc<T> = T & StoredDocument;

/**
 * Customer journey: one document per customer. Its timeline is read from the
 * customer's stream (see customerHistory), not stored a second time.
 */
export const journeyProjection: Projection = {
  name: 'customer-journey',
  perCustomer: true,
  collections: [{ name: JOURNEY_COLLECTION, indexes: ['stage', 'registeredAt', 'lastPurchaseAt'] }],
  async project(batch, reader) {
    const journeys = await foldPerCustomer<Doc<JourneyDocument>>(
      batch,
      reader,
      JOURNEY_COLLECTION,
      (doc, events) => foldJourney(doc, events),
    );
    return putsOf(JOURNEY_COLLECTION, journeys);
  },
};

/** IDIC differentiation: per-customer value and needs facts; population ranks are taken at query time. */
export const idicProjection: Projection = {
  name: 'idic-scores',
  perCustomer: true,
  collections: [{ name: IDIC_COLLECTION, indexes: ['netRevenue', 'orders', 'lastPurchaseAt'] }],
  async project(batch, reader) {
    const docs = await foldPerCustomer<Doc<IdicDocument>>(batch, reader, IDIC_COLLECTION, foldIdic);
    return putsOf(IDIC_COLLECTION, docs);
  },
};

/** Payne & Frow KPIs: per-customer facts; any period is computed from them at query time. */
export const kpiFactsProjection: Projection = {
  name: 'payne-frow-kpis',
  perCustomer: true,
  collections: [{ name: KPI_FACTS_COLLECTION, indexes: ['registeredAt'] }],
  async project(batch, reader) {
    const docs = await foldPerCustomer<Doc<KpiFactsDocument>>(
      batch,
      reader,
      KPI_FACTS_COLLECTION,
      foldKpiFacts,
    );
    return putsOf(KPI_FACTS_COLLECTION, docs);
  },
};

export const CUSTOMER_PROJECTIONS: readonly Projection[] = [
  journeyProjection,
  idicProjection,
  kpiFactsProjection,
];
