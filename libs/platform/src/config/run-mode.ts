/**
 * Which parts of the product this process runs (RUN_MODE).
 * - `all`: API and projections (and, with Kafka, the relay) in one process: the embedded default.
 * - `api`: HTTP only; projections run elsewhere and reads follow their checkpoints in the read store.
 * - `relay`: follows the event store and publishes to Kafka (needs KAFKA_BROKERS).
 * - `projector`: runs the projections: a Kafka consumer with KAFKA_BROKERS, else a runner on the store's log.
 * - `webhooks`: delivers the log to webhook subscriptions (`all` does too; `api` only administers them).
 * - `automations`: runs the reactors (docs/automations.md; `all` does too; `api` only administers them).
 */
export const RUN_MODES = ['all', 'api', 'relay', 'projector', 'webhooks', 'automations'] as const;
export type RunMode = (typeof RUN_MODES)[number];
