/**
 * The configuration alone, without the HTTP and Nest parts of the platform:
 * what a worker thread or a command-line tool needs to find its stores.
 */
export * from './app-config';
export * from './master-keys';
export * from './blind-index-key';
