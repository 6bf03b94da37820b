/**
 * The event log as NDJSON and its filters, without the routes and their Nest
 * module: what `crm export` loads, so that it starts at once.
 */
export * from './event-filter';
export * from './event-log.scan';
