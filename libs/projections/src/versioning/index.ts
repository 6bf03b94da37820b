export * from './projection-version';
export * from './version-registry';
export * from './active-versions';
