import type { IncrementWrite, StoredDocument, Write } from '@crm/read-store';
import type { DocumentReader } from '../../runner/projection';

/**
 * Writes decided but not committed yet, readable as if they were: a
 * projection fed one event at a time sees the documents its earlier events
 * produced. Keeps the last write per document, so a unit holds one write per
 * document (what the read store wants); increments are kept for the store to sum.
 */
export class PendingWrites implements DocumentReader {
  private readonly latest = new Map<string, Write>();
  /**
   * Kept as they come: the read store sums a unit's increments per counter
   * set (checkUnit), so summing them here too would only cost a rebuild
   * millions of map updates.
   */
  private readonly increments: IncrementWrite[] = [];

  constructor(private readonly committed: DocumentReader) {}

  async getMany<T extends StoredDocument>(collection: string, ids: readonly string[]): Promise<T[]> {
    const missing = ids.filter((id) => !this.latest.has(keyOf(collection, id)));
    const stored = new Map(
      (await this.committed.getMany<T>(collection, missing)).map((doc) => [doc.id, doc] as const),
    );
    const found: T[] = [];
    for (const id of new Set(ids)) {
      const pending = this.latest.get(keyOf(collection, id));
      // A pending put is the projection's own document type: T is the caller's claim, as with the store.
      if (pending?.kind === 'put') found.push(pending.document as T);
      else if (pending === undefined) {
        const doc = stored.get(id);
        if (doc) found.push(doc);
      }
    }
    return found;
  }

  add(writes: readonly Write[]): void {
    for (const write of writes) {
      if (write.kind === 'increment') {
        this.increments.push(write);
        continue;
      }
      const key = keyOf(write.collection, write.kind === 'put' ? write.document.id : write.id);
      this.latest.delete(key);
      this.latest.set(key, write);
    }
  }

  writes(): Write[] {
    return [...this.latest.values(), ...this.increments];
  }
}

function keyOf(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}
