import { Writable } from 'node:stream';
import { serveRebuildShare } from '@crm/analytics/rebuild';
import type { CliIo } from '../cli-command';
import { configOf, openEventStore, openReadStore } from '../support/stores';

/**
 * One thread of `crm rebuild --workers N`: opens DATA_DIR's stores the way
 * the command does (its environment is the command's) and builds its share
 * of the customers. Why it could not open them is the share's failure.
 */
serveRebuildShare(async ({ writeLock }) => {
  const problems: string[] = [];
  const io: CliIo = {
    stdout: process.stdout,
    stderr: new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        problems.push(String(chunk).trim());
        callback();
      },
    }),
    stdin: process.stdin,
    env: process.env,
    interactive: false,
  };
  const config = configOf(io);
  const opening = config && openReadStore(config, io, writeLock);
  const events = config && opening && (await openEventStore(config, io, true));
  const readStore = await opening;
  if (!events || !readStore) {
    await Promise.allSettled([events?.close(), readStore?.close()]);
    throw new Error(problems.join('; ') || 'cannot open the stores of DATA_DIR');
  }
  return { events, readStore };
});
