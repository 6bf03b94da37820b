export * from './purchase-history.document';
export * from './purchase-history.fold';
export * from './purchase-history.projection';
export * from './cohort-counters';
export * from './predicted-value.document';
export * from './portfolio.queries';
