export * from './event-factory';
export * from './decider-specification';
