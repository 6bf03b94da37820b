export * from './follow-ups.document';
export * from './follow-ups.fold';
export * from './follow-ups.projection';
export * from './follow-ups.queries';
