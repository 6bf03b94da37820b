export * from './analytics.module';
export * from './event-log/event-filter';
export * from './event-log/event-log.scan';
export * from './time-travel/history-replay';
export * from './time-travel/time-travel.queries';
export * from './what-if/what-if';
