/**
 * `@crm/projections/runtime`: how projections run in a Nest application.
 * The engine and the log runner it uses are Nest-free and exported by
 * `@crm/projections` itself, so worker threads and tools load no Nest.
 */
export * from './projections.module';
export * from './projection-catalog.module';
export * from './projection-runtime';
export * from './projection-runtime.errors';
export * from './read-positions';
