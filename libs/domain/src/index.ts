export * from './events/event-envelope';
export * from './events/catalogue';
export * from './events/event-codec';
export * from './errors/domain-error';
export * from './errors/command-rejected.error';
export * from './decider';
export * from './customer/customer.state';
export * from './customer/customer.commands';
export * from './customer/customer.errors';
export { SURVEY_SCORE_RANGES } from './customer/customer.payload-rules';
export {
  decide,
  decideAll,
  decideMerge,
  evolve,
  evolveAll,
  customerDecider,
  type MergeSides,
} from './customer/customer.decider';
export * from './customer/touchpoint-classification';
export * from './customer/identity-keys';
