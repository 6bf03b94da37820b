export * from './customer-profile.fold';
export * from './customer-profiles';
