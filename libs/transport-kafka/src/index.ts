export * from './kafka-config';
export * from './kafka-client';
export * from './kafka-topics';
export * from './event-message';
export * from './kafka-dead-letter';
export * from './kafka-relay';
export * from './kafka-projection-consumer';
export * from './kafka-lag';
export { type BackoffOptions } from './backoff';
