export * from './blind-index';
export * from './identity-index.document';
export * from './identity-index.fold';
export * from './identity-index.projection';
