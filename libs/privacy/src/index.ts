export * from './encryption';
export * from './privacy.providers';
export * from './privacy.module';
