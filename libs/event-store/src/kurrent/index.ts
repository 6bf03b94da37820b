/**
 * The EventStoreDB/KurrentDB adapter, an entry point of its own so that code
 * importing `@crm/event-store` (the CLI, a rebuild's worker threads) does not
 * load the gRPC client. The API imports it to choose its engine at start.
 */
export { KurrentEventStore, type KurrentEventStoreOptions } from './kurrent-event-store';
