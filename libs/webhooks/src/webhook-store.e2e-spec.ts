import { SqliteReadStore } from '@crm/read-store';
import { webhookStoreContract } from './testing/webhook-store.contract';

webhookStoreContract('SQLite', () => SqliteReadStore.open({ file: ':memory:' }));
