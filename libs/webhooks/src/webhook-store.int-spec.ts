import { MongoReadStore } from '@crm/read-store/mongo';
import { dropDatabases, freshDatabaseName, mongodbUrlForTests } from '@crm/read-store/testing';
import { webhookStoreContract } from './testing/webhook-store.contract';

const url = mongodbUrlForTests();
const database = freshDatabaseName('webhooks');

afterAll(() => dropDatabases(url, [database]));

webhookStoreContract('MongoDB (FerretDB in CI)', () => MongoReadStore.open({ url, database }));
