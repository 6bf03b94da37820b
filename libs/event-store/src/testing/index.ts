// Kept apart from the main index: it declares jest suites and must never load in production code.
export { eventStoreContract, type EventStoreContractFactory } from './event-store.contract';
