export * from './campaign-facts.document';
export * from './campaign-facts.fold';
export * from './campaign-attribution';
export * from './campaign-members';
export * from './campaign-figures';
export * from './campaign-counters';
export * from './campaign-performance.projection';
