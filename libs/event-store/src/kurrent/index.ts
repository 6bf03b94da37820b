/**
 * The EventStoreDB/KurrentDB adapter, an entry point of its own so that only
 * a process that chooses it loads the gRPC client.
 */
export { KurrentEventStore, type KurrentEventStoreOptions } from './kurrent-event-store';
