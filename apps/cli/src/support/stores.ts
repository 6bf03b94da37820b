import { existsSync } from 'node:fs';
import { SqliteEventStore } from '@crm/event-store';
import { type AppConfig, ConfigError, loadConfig } from '@crm/platform';
import { SqliteReadStore } from '@crm/read-store';
import type { CliIo } from '../cli-command';

/** The validated config from the command's environment, or null after printing why not. */
export function configOf(io: CliIo): AppConfig | null {
  try {
    return loadConfig(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return null;
  }
}

/** The embedded event store of DATA_DIR, opened directly; `mustExist` refuses to create an empty one. */
export async function openEventStore(
  config: AppConfig,
  io: CliIo,
  mustExist: boolean,
): Promise<SqliteEventStore | null> {
  if (mustExist && !existsSync(config.eventStore.file)) {
    io.stderr.write(`No event store at ${config.eventStore.file} (check DATA_DIR)\n`);
    return null;
  }
  return SqliteEventStore.open({ file: config.eventStore.file });
}

/** The read store of DATA_DIR, with the API's durability setting (read models are rebuildable). */
export function openReadStore(config: AppConfig): Promise<SqliteReadStore> {
  return SqliteReadStore.open({ file: config.readStore.file, synchronous: 'normal' });
}
