export * from './disk-scan';
export * from './in-memory-key-store';
export * from './keys';
