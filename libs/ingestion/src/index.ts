export * from './ingestion.module';
export * from './customers/customer-repository';
export * from './shared/customer-id';
export * from './record-touchpoint/touchpoint.dto';
export * from './register-customer/register-customer.dto';
export * from './shared/event-envelope.dto';
