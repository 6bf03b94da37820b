export * from './encryption';
export * from './privacy.providers';
export * from './privacy.module';
export * from './rotate-master-key/rotate-master-key';
