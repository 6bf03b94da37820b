export * from './config/app-config';
export * from './clock/clock';
export * from './http/api-error';
export * from './http/error-translation';
export * from './http/all-errors.filter';
export * from './http/dto-validation';
export * from './http/request-metadata';
export * from './http/json-body';
