import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';

/**
 * The MongoDB-compatible server of the integration tests. Never skips: a
 * missing MONGODB_URL fails the suite, so an int run cannot pass by testing
 * nothing.
 */
export function mongodbUrlForTests(): string {
  const url = process.env['MONGODB_URL'];
  if (url === undefined || url.trim() === '') {
    throw new Error(
      'MONGODB_URL is not set. Run the integration tests with `npm run test:integration`, which starts ' +
        'FerretDB (infra/ferretdb/start.sh) and sets it, or export MONGODB_URL=mongodb://127.0.0.1:27018/ ' +
        'after running infra/ferretdb/start.sh yourself.',
    );
  }
  return url;
}

/** A database name no other test or run uses. */
export function freshDatabaseName(label = 'it'): string {
  return `${label}_${randomUUID().replace(/-/g, '')}`;
}

/** Drops the databases the tests created, on one short-lived client. */
export async function dropDatabases(url: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
  try {
    for (const name of names) await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}
