export * from './projected-event';
export * from './instant';
export * from './event-ref';
export * from './profile-field';
export * from './order-fact';
export * from './score-fact';
