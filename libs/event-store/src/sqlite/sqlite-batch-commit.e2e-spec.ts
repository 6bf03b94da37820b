import Database from 'better-sqlite3';
import { createBatchCommitter } from './sqlite-batch-commit';
import type { AppendRequest, SerializedEvent } from './sqlite-append-writer';
import { createSchema } from './sqlite-event-store.schema';
import { prepareStatements, type SqliteStatements } from './sqlite-event-store.statements';

const AT = '2026-12-04T00:00:00.000Z';

function event(eventId: string): SerializedEvent {
  return { eventId, type: 'CallLogged', version: 1, occurredAt: AT, data: '{}', metadata: '{}' };
}

function request(streamId: string, eventId: string): AppendRequest {
  return { streamId, events: [event(eventId)], expectedRevision: 'any' };
}

describe('a flush the database fails part-way', () => {
  it("forgets the streams' heads its rolled-back requests had set", () => {
    const db = new Database(':memory:');
    createSchema(db);
    const sql = prepareStatements(db);
    // An I/O error on one insert: not a store error, so the whole flush is rolled back.
    const failing: SqliteStatements = {
      ...sql,
      insert: {
        run: (row: { event_id: string }) => {
          if (row.event_id === 'boom') throw new Error('disk I/O error');
          return sql.insert.run(row as Parameters<typeof sql.insert.run>[0]);
        },
      } as unknown as SqliteStatements['insert'],
    };
    const commit = createBatchCommitter(db, failing);
    commit([request('s', 'a')], AT);

    expect(() => commit([request('s', 'b'), request('t', 'boom')], AT)).toThrow('disk I/O error');

    const [outcome] = commit([request('s', 'c')], AT);
    expect(outcome).toMatchObject({ ok: true, result: { streamRevision: 1 } });
    db.close();
  });
});
