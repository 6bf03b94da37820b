export * from './webhook-receiver';
export * from './webhook-store.contract';
