import type { Database, Statement } from 'better-sqlite3';
import type { SqlParam } from './sql-fragment';

/**
 * Prepared statements by SQL text. Query shapes come from API requests, so
 * the cache is bounded: the least recently used statement is dropped (and
 * finalized by the garbage collector) when it is full.
 */
export class SqliteStatementCache {
  private readonly statements = new Map<string, Statement<SqlParam[], unknown>>();

  constructor(
    private readonly db: Database,
    private readonly capacity = 500,
  ) {}

  /** `Row` is what the caller's SQL selects; the cache cannot check it. */
  get<Row>(sql: string): Statement<SqlParam[], Row> {
    const statement = this.statements.get(sql) ?? this.db.prepare<SqlParam[], unknown>(sql);
    this.statements.delete(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > this.capacity) this.evictOldest();
    return statement as Statement<SqlParam[], Row>;
  }

  private evictOldest(): void {
    const [oldest] = this.statements.keys();
    if (oldest !== undefined) this.statements.delete(oldest);
  }
}
