export * from './webhooks.module';
export * from './webhook-admin';
export * from './webhook-delivery';
export * from './webhook-signature';
export * from './webhook-sender';
export * from './webhook.documents';
