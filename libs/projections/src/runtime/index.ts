/**
 * `@crm/projections/runtime`: how projections run in a Nest application.
 * The engine, the log runner and the projection hosts (this thread, a
 * worker thread) are Nest-free; what a worker thread's script needs is
 * exported by `@crm/projections` itself, so worker threads and tools load
 * no Nest.
 */
export * from './projections.module';
export * from './projection-catalog.module';
export * from './projection-runtime';
export * from './projection-runtime.errors';
export * from './projections-thread';
export * from './read-positions';
export type { ProjectionSource } from './host/worker/projection-worker.protocol';
