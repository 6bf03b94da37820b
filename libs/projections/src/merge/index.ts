export * from './merged-history';
