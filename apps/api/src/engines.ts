import { type EventStore, SqliteEventStore } from '@crm/event-store';
import { KurrentEventStore } from '@crm/event-store/kurrent';
import type { AppConfig } from '@crm/platform';
import { type ReadStore, SqliteReadStore } from '@crm/read-store';
import { MongoReadStore } from '@crm/read-store/mongo';
import { LazyReadStore } from './lazy-read-store';

/** The configured event store: KurrentDB when EVENTSTORE_URL is set, else the embedded SQLite file. */
export function openEventStore(config: AppConfig): Promise<EventStore> {
  const store = config.eventStore;
  switch (store.kind) {
    case 'sqlite':
      return SqliteEventStore.open({ file: store.file });
    case 'kurrent':
      return KurrentEventStore.open({ connectionString: store.url.reveal() });
  }
}

/**
 * The configured read-model store: MongoDB when MONGODB_URL is set, else the embedded SQLite file.
 * Neither needs a server to be built: MongoDB is connected to on first use, as KurrentDB is.
 */
export function openReadStore(config: AppConfig): Promise<ReadStore> {
  const store = config.readStore;
  switch (store.kind) {
    case 'sqlite':
      // Read models are rebuildable from the log and their checkpoint commits with them, so a
      // power cut can only lose the last batches, which the runner then re-applies: no fsync needed.
      return SqliteReadStore.open({ file: store.file, synchronous: 'normal' });
    case 'mongodb':
      return Promise.resolve(
        new LazyReadStore(() => MongoReadStore.open({ url: store.url.reveal(), database: store.database })),
      );
  }
}
