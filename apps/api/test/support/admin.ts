import type { DeadLetterDocument } from '@crm/projections';
import { MAX_LIMIT, type ReadStore, type StoredDocument } from '@crm/read-store';
import type { ErrorResponseBody } from './api';
import type { TestApp } from './test-app';

/* The admin routes as a client sees them on the wire. */

export type LagBody = { readonly events: number; readonly seconds: number };

export type ProjectionBody = {
  readonly name: string;
  readonly version: number;
  readonly state: 'running' | 'paused' | 'rebuilding' | 'failed' | 'stopped';
  readonly checkpoint: number;
  readonly headPosition: number;
  readonly lag: LagBody;
  readonly eventsPerSecond: number;
  readonly eventsApplied: number;
  readonly errors: {
    readonly lastError: string | null;
    readonly deadLettered: number;
    readonly deadLettersOpen: number;
  };
  readonly rebuild: {
    readonly version: number;
    readonly state: 'rebuilding' | 'failed';
    readonly checkpoint: number;
    readonly lag: LagBody;
  } | null;
};

/** A dead letter as the admin routes return it: the stored document. */
export type DeadLetterBody = DeadLetterDocument;

export async function projectionsOf(app: TestApp): Promise<ProjectionBody[]> {
  const response = await app.get<{ projections: ProjectionBody[] } | ErrorResponseBody>('/admin/projections');
  if (response.statusCode !== 200)
    throw new Error(`GET /admin/projections: ${JSON.stringify(response.body)}`);
  return (response.body as { projections: ProjectionBody[] }).projections;
}

export async function projectionOf(app: TestApp, name: string): Promise<ProjectionBody> {
  const found = (await projectionsOf(app)).find((projection) => projection.name === name);
  if (!found) throw new Error(`No projection ${name}`);
  return found;
}

/** Polls until `condition` holds (or fails the test after `deadlineMs`): waiting, not timing. */
export async function eventually<T>(
  probe: () => Promise<T>,
  condition: (value: T) => boolean,
  deadlineMs = 20_000,
): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (condition(value)) return value;
    if (Date.now() > until)
      throw new Error(`condition not met in ${deadlineMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every document of a collection in id order. */
export async function documentsOf(store: ReadStore, collection: string): Promise<StoredDocument[]> {
  const documents: StoredDocument[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.find(collection, { limit: MAX_LIMIT, cursor });
    documents.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return documents;
}
