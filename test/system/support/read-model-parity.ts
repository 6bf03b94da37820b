import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CUSTOMER_PROJECTIONS, DEAD_LETTER_COLLECTION } from '@crm/projections';
import {
  type ReadStore,
  SqliteReadStore,
  type StoredDocument,
  UnknownCollectionError,
} from '@crm/read-store';
import { dumpCollections } from '../../../libs/projections/src/testing/read-model-digest';
import { repoRoot } from '../../../tools/system/app-process';

/** Every collection the customer projections write: what "every read model" means. */
export const READ_MODEL_COLLECTIONS = CUSTOMER_PROJECTIONS.flatMap((projection) =>
  projection.collections.map((collection) => collection.name),
);

const run = promisify(execFile);

/**
 * A clean embedded rebuild of the same log, as a user would make one: the
 * event store and key store files copied into a fresh DATA_DIR, and the
 * built `crm rebuild` run there (no Kafka, no MongoDB: the SQLite read
 * store). Run it once every process has stopped.
 */
export async function rebuildWithCli(
  dataDir: string,
  into: string,
  masterKeys: string,
): Promise<{ readonly store: SqliteReadStore; readonly output: string }> {
  mkdirSync(into, { recursive: true });
  for (const file of readdirSync(dataDir)) {
    if (/^(events|keys)\.sqlite(-wal|-shm)?$/.test(file)) copyFileSync(join(dataDir, file), join(into, file));
  }
  const cli = join(repoRoot(), 'dist', 'apps', 'cli', 'src', 'main.js');
  const { stdout, stderr } = await run(process.execPath, [cli, 'rebuild'], {
    env: { PATH: process.env['PATH'] ?? '', DATA_DIR: into, MASTER_KEYS: masterKeys },
    timeout: 180_000,
  });
  const file = join(into, 'read-models.sqlite');
  if (!existsSync(file)) throw new Error(`crm rebuild wrote no ${file}: ${stdout}${stderr}`);
  return { store: await SqliteReadStore.open({ file }), output: `${stdout}${stderr}`.trim() };
}

export type CollectionComparison = {
  readonly collection: string;
  readonly pipeline: readonly StoredDocument[];
  readonly rebuilt: readonly StoredDocument[];
  readonly pipelineDigest: string;
  readonly rebuiltDigest: string;
};

const digest = (documents: readonly StoredDocument[]): string =>
  createHash('sha256').update(JSON.stringify(documents)).digest('hex');

/** Each read-model collection on both sides, in id order, with a digest of each. */
export async function compareReadModels(
  pipeline: ReadStore,
  rebuilt: ReadStore,
): Promise<CollectionComparison[]> {
  const [left, right] = await Promise.all([
    dumpCollections(pipeline, READ_MODEL_COLLECTIONS),
    dumpCollections(rebuilt, READ_MODEL_COLLECTIONS),
  ]);
  return READ_MODEL_COLLECTIONS.map((collection) => {
    const fromPipeline = left[collection] ?? [];
    const fromRebuild = right[collection] ?? [];
    return {
      collection,
      pipeline: fromPipeline,
      rebuilt: fromRebuild,
      pipelineDigest: digest(fromPipeline),
      rebuiltDigest: digest(fromRebuild),
    };
  });
}

/** Dead letters in a read store (none when the collection was never created). */
export async function deadLetters(store: ReadStore): Promise<StoredDocument[]> {
  try {
    return (await store.find(DEAD_LETTER_COLLECTION, { limit: 100 })).items;
  } catch (error) {
    if (error instanceof UnknownCollectionError) return [];
    throw error;
  }
}
