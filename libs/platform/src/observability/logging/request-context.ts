import { AsyncLocalStorage } from 'node:async_hooks';

/** What a log line written while serving a request says about that request. */
export type RequestContext = { readonly correlationId: string };

/**
 * Set around each request by the HTTP hooks (see http-observability.ts), read
 * only by the logger. Domain code and workers never read it: they get
 * metadata passed explicitly.
 */
export const requestContext = new AsyncLocalStorage<RequestContext>();
