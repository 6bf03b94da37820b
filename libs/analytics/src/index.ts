export * from './analytics.module';
export * from './event-log/event-filter';
export * from './event-log/event-log.scan';
