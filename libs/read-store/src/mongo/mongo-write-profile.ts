import type { Db } from 'mongodb';

/** The servers the adapter knows how to write to well. */
export type MongoEngine = 'mongodb' | 'ferretdb';

/**
 * How a unit's writes are sent, by server. Both keep the port's semantics
 * (a put or delete applies only over an older stored document); they differ
 * in where the position guard lives and how many statements go in one
 * command. docs/mongodb.md explains the measurements behind them.
 */
export type WriteProfile = {
  readonly engine: MongoEngine;
  /**
   * Whether the guard is also in each write's filter. On MongoDB it is, and
   * the write is atomic on its document. FerretDB v1 runs a filtered update
   * as a query and then `UPDATE … WHERE _id = ?` anyway, and it pushes a
   * filter down to SQLite only when it is exactly `{ _id: <string> }`; any
   * other filter decodes every document of the collection in Go, for every
   * statement. There the guard is the stored positions read just before.
   */
  readonly guardInFilter: boolean;
  /**
   * Most statements per write command. FerretDB v1 keeps the cursor of each
   * update statement that matched a document open, holding one of its 100
   * SQLite connections, until the whole command ends: a command rewriting
   * about 100 existing documents waits for a connection forever.
   */
  readonly statementsPerCommand: number;
};

export const WRITE_PROFILES: Readonly<Record<MongoEngine, WriteProfile>> = {
  mongodb: { engine: 'mongodb', guardInFilter: true, statementsPerCommand: 1000 },
  ferretdb: { engine: 'ferretdb', guardInFilter: false, statementsPerCommand: 50 },
};

/** FerretDB answers `buildInfo` with a `ferretdbVersion`; MongoDB does not. */
export async function detectEngine(db: Db): Promise<MongoEngine> {
  const info = await db.command({ buildInfo: 1 });
  return typeof info['ferretdbVersion'] === 'string' ? 'ferretdb' : 'mongodb';
}
