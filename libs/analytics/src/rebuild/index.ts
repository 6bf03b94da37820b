/**
 * Rebuilding the read models, without the HTTP and Nest parts of the
 * library: what a rebuild's worker threads load.
 */
export * from './rebuild-read-models';
export * from './rebuild-shares';
export * from './rebuild-share.worker-host';
