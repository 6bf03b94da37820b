export * from './journey.document';
export * from './journey.projection';
export * from './journey.stage-walk';
export * from './journey.status';
export * from './journey.timeline';
