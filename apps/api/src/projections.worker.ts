import { serveProjectionWorker } from '@crm/projections';
import { openWorkerStores } from './projection-worker-stores';

/**
 * The projection worker thread of the embedded default (PROJECTIONS_THREAD=worker):
 * the live runner and rebuilds on the worker's own connections to DATA_DIR's stores.
 */
serveProjectionWorker(openWorkerStores);
