import { serveRebuildShare } from '../rebuild-share.worker-host';

/** A rebuild worker whose stores cannot be opened: how a share failing looks to the caller. */
serveRebuildShare(() => Promise.reject(new Error('no stores here (test)')));
