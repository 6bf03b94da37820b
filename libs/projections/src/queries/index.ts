export * from './query-options';
export * from './journey.queries';
export * from './customer-history';
export * from './scores.queries';
export * from './customer-segments';
export * from './kpi.queries';
export { populationRanks } from './population-ranks';
export { tierFilter, tierOf, type ValueTierBounds, valueTierBounds, VALUE_TIERS } from './value-tier-bounds';
export { slicedReads } from './sliced-reads';
