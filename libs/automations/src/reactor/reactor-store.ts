import { isDeepStrictEqual } from 'node:util';
import { type Page, type ReadStore, type Write } from '@crm/read-store';
import {
  AUTOMATION_COLLECTIONS,
  AUTOMATION_DEAD_LETTERS,
  type AutomationDeadLetterDocument,
  type AutomationDeadLetterStatus,
  checkpointOf,
  type DeadlineDocument,
  DEADLINES,
  REACTORS,
  type ReactorStateDocument,
  REVISIONS_UNIT,
} from './reactor.documents';

/** How often an update re-reads and tries again when another writer got the same revision first. */
const UPDATE_TRIES = 5;

export type DeadLetterQuery = {
  readonly reactor?: string;
  readonly status?: AutomationDeadLetterStatus;
  readonly cursor?: string;
  readonly limit: number;
};

/**
 * The reactors' checkpoints, states, deadlines and dead letters, in the read
 * store, so the API and a separate `automations` process share them on
 * either engine. The checkpoint rises in one unit with what the page
 * scheduled and dead-lettered (one transaction on SQLite; on MongoDB the
 * documents first, then the checkpoint, so a crash in between replays the
 * page and the position guard ignores the puts already made). Other changes
 * are puts one revision up (a compare-and-set on one document, as in the
 * webhook store).
 */
export class ReactorStore {
  private ensured: Promise<ReadStore> | null = null;

  constructor(private readonly readStore: ReadStore) {}

  /** The collections, ensured on first use (and again after a failure): booting never waits on the store. */
  private store(): Promise<ReadStore> {
    this.ensured ??= this.readStore.ensureCollections(AUTOMATION_COLLECTIONS).then(
      () => this.readStore,
      (error: unknown) => {
        this.ensured = null;
        throw error;
      },
    );
    return this.ensured;
  }

  async checkpoint(reactor: string): Promise<number> {
    return (await this.store()).checkpoint(checkpointOf(reactor));
  }

  /** Raises the checkpoint to `position` with the page's deadlines and dead letters, in one unit. */
  async advance(
    reactor: string,
    position: number,
    deadlines: readonly DeadlineDocument[],
    letters: readonly AutomationDeadLetterDocument[],
  ): Promise<void> {
    const store = await this.store();
    await store.commit({
      projection: checkpointOf(reactor),
      position,
      writes: [
        ...deadlines.map((document): Write => ({ kind: 'put', collection: DEADLINES, document })),
        ...letters.map((document): Write => ({ kind: 'put', collection: AUTOMATION_DEAD_LETTERS, document })),
      ],
    });
  }

  async state(reactor: string): Promise<ReactorStateDocument | null> {
    return (await this.store()).get<ReactorStateDocument>(REACTORS, reactor);
  }

  /** Changes a reactor's state (created on first change); compare-and-set on its revision. */
  async updateState(
    reactor: string,
    now: string,
    change: (current: ReactorStateDocument) => Partial<ReactorStateDocument> | null,
  ): Promise<ReactorStateDocument> {
    for (let attempt = 0; attempt < UPDATE_TRIES; attempt++) {
      const current = (await this.state(reactor)) ?? initialState(reactor, now);
      const changes = change(current);
      if (changes === null) return current;
      const next: ReactorStateDocument = {
        ...current,
        ...changes,
        updatedAt: now,
        position: current.position + 1,
      };
      await this.putRevisions([{ kind: 'put', collection: REACTORS, document: next }], next.position);
      const stored = await this.state(reactor);
      if (stored !== null && isDeepStrictEqual(stored, next)) return stored;
    }
    throw new Error(`Reactor ${reactor} state kept changing under ${UPDATE_TRIES} updates`);
  }

  /** Pending deadlines due at `now` or before, earliest first. */
  async dueDeadlines(reactor: string, now: string, limit: number): Promise<DeadlineDocument[]> {
    const page = await (
      await this.store()
    ).find<DeadlineDocument>(DEADLINES, {
      filter: { reactor, status: 'pending', dueAt: { $lte: now } },
      sort: [{ field: 'dueAt', direction: 'asc' }],
      limit,
    });
    return page.items;
  }

  async deadline(id: string): Promise<DeadlineDocument | null> {
    return (await this.store()).get<DeadlineDocument>(DEADLINES, id);
  }

  async countDeadlines(reactor: string, status: DeadlineDocument['status']): Promise<number> {
    return (await this.store()).count(DEADLINES, { reactor, status });
  }

  /** A deadline's new status (one revision up), with the letter it left, in one unit. */
  async settle(deadline: DeadlineDocument, letter: AutomationDeadLetterDocument | null): Promise<void> {
    const writes: Write[] = [{ kind: 'put', collection: DEADLINES, document: deadline }];
    if (letter !== null) writes.push({ kind: 'put', collection: AUTOMATION_DEAD_LETTERS, document: letter });
    await this.putRevisions(writes, Math.max(deadline.position, letter?.position ?? 0));
  }

  async deadLetter(id: string): Promise<AutomationDeadLetterDocument | null> {
    return (await this.store()).get<AutomationDeadLetterDocument>(AUTOMATION_DEAD_LETTERS, id);
  }

  async deadLetters(query: DeadLetterQuery): Promise<Page<AutomationDeadLetterDocument>> {
    return (await this.store()).find<AutomationDeadLetterDocument>(AUTOMATION_DEAD_LETTERS, {
      filter: { reactor: { $eq: query.reactor }, status: { $eq: query.status } },
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  async countDeadLetters(reactor: string, status: AutomationDeadLetterStatus): Promise<number> {
    return (await this.store()).count(AUTOMATION_DEAD_LETTERS, { reactor, status });
  }

  async saveDeadLetter(letter: AutomationDeadLetterDocument): Promise<void> {
    await this.putRevisions(
      [{ kind: 'put', collection: AUTOMATION_DEAD_LETTERS, document: letter }],
      letter.position,
    );
  }

  private async putRevisions(writes: readonly Write[], position: number): Promise<void> {
    const store = await this.store();
    await store.commit({ projection: REVISIONS_UNIT, position, writes });
  }
}

function initialState(reactor: string, now: string): ReactorStateDocument {
  return {
    id: reactor,
    position: 0,
    paused: false,
    pausedAt: null,
    lastError: null,
    lastErrorAt: null,
    updatedAt: now,
  };
}
