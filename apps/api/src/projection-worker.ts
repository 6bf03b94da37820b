import { extname, join } from 'node:path';
import { runsDirectProjections, type AppConfig } from '@crm/platform';
import { type ProjectionWorkerScript, readProjectionsThread } from '@crm/projections/runtime';
import { workerStoreFiles } from './projection-worker-stores';

/**
 * The projection worker thread, when this process runs the embedded
 * default with PROJECTIONS_THREAD=worker (the default): run mode `all`, the
 * direct transport, SQLite event and read stores. Otherwise null, and the
 * projections (if any) run in the main thread: a `projector` process serves
 * no requests to protect, and Kafka, MongoDB and KurrentDB keep their I/O
 * off this thread already.
 */
export function projectionWorker(config: AppConfig, env: NodeJS.ProcessEnv): ProjectionWorkerScript | null {
  const thread = readProjectionsThread(env);
  if (thread !== 'worker' || config.runMode !== 'all' || !runsDirectProjections(config)) return null;
  const data = workerStoreFiles(config);
  return data && { ...workerScript(), data };
}

/**
 * The script beside this file: compiled JavaScript in the product. Run from
 * the TypeScript sources (the tests), the thread needs the tests' TypeScript hook.
 */
function workerScript(): { script: string; execArgv: string[] } {
  const extension = extname(__filename);
  const script = join(__dirname, `projections.worker${extension}`);
  if (extension !== '.ts') return { script, execArgv: [] };
  return { script, execArgv: ['-r', join(__dirname, '..', '..', '..', 'test', 'support', 'register-ts.js')] };
}
