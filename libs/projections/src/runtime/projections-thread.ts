import { ConfigError } from '@crm/platform/config';

export const PROJECTIONS_THREADS = ['worker', 'main'] as const;

/**
 * PROJECTIONS_THREAD, read beside the app config (as the KAFKA_* settings
 * are): where the embedded default (run mode `all`, direct transport,
 * SQLite stores) runs its projections. `worker` (default): a worker thread,
 * so applying events never holds up a request; `main`: the thread that
 * serves HTTP, as before. Other wirings always use the main thread.
 */
export type ProjectionsThread = (typeof PROJECTIONS_THREADS)[number];

export function readProjectionsThread(env: Readonly<Record<string, string | undefined>>): ProjectionsThread {
  const raw = env.PROJECTIONS_THREAD;
  if (raw === undefined || raw === '') return 'worker';
  const thread = PROJECTIONS_THREADS.find((t) => t === raw);
  if (thread === undefined)
    throw new ConfigError([
      `PROJECTIONS_THREAD must be one of ${PROJECTIONS_THREADS.join(', ')}, got "${raw}"`,
    ]);
  return thread;
}
