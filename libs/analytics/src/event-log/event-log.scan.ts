import { Readable } from 'node:stream';
import { customerStreamId } from '@crm/domain';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import { Slicer } from '@crm/platform/slicing';
import type { EventFilter } from './event-filter';

export type ScanOptions = {
  /** Events read from the store per page: what bounds memory. Default 500. */
  readonly pageSize?: number;
  /** Shares the event loop between pages; a fresh Slicer by default. */
  readonly slicer?: Slicer;
};

const DEFAULT_PAGE = 500;

/**
 * The events of the global log that pass the filter, in position order, one
 * page at a time: memory holds one page whatever the range. The upper bound
 * is fixed when the scan starts (the head then, or `toPosition` if lower),
 * so a replay is a consistent prefix of the log even while writes go on.
 * Between pages the event loop gets a turn every slice: a filter that keeps
 * nothing of a long log would otherwise hold it until the end of the scan.
 */
export async function* scanEventLog(
  store: EventStore,
  filter: EventFilter,
  options: ScanOptions = {},
): AsyncGenerator<RecordedEvent[]> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE;
  const slicer = options.slicer ?? new Slicer();
  const head = await store.headPosition();
  const last = Math.min(filter.toPosition ?? head, head);
  const from = filter.occurredFrom === undefined ? -Infinity : Date.parse(filter.occurredFrom);
  const to = filter.occurredTo === undefined ? Infinity : Date.parse(filter.occurredTo);
  const types = filter.types === undefined ? undefined : new Set<string>(filter.types);
  const after = filter.afterPosition ?? 0;
  let remaining = filter.limit ?? Infinity;
  const pages =
    filter.customerId === undefined
      ? logPages(store, after, pageSize, filter.types)
      : streamPages(store, customerStreamId(filter.customerId), pageSize);
  for await (const page of pages) {
    const kept: RecordedEvent[] = [];
    let done = false;
    for (const event of page) {
      if (event.position > last) {
        done = true;
        break;
      }
      const at = Date.parse(event.occurredAt);
      if (event.position > after && (types?.has(event.type) ?? true) && at >= from && at < to) {
        kept.push(event);
        if (--remaining === 0) {
          done = true;
          break;
        }
      }
    }
    if (kept.length > 0) yield kept;
    if (done) return;
    await slicer.tick();
  }
}

/** The global log after a position, page by page (the store filters types). */
async function* logPages(
  store: EventStore,
  after: number,
  pageSize: number,
  types: readonly string[] | undefined,
): AsyncGenerator<RecordedEvent[]> {
  let cursor = after;
  for (;;) {
    const page = await store.readAll({ after: cursor, limit: pageSize, types });
    const lastRead = page[page.length - 1];
    if (lastRead === undefined) return;
    yield page;
    cursor = lastRead.position;
  }
}

/** One customer's stream, page by page: revision order is position order within a stream. */
async function* streamPages(
  store: EventStore,
  streamId: string,
  pageSize: number,
): AsyncGenerator<RecordedEvent[]> {
  let fromRevision = 0;
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision, limit: pageSize });
    const lastRead = page[page.length - 1];
    if (lastRead === undefined) return;
    yield page;
    fromRevision = lastRead.revision + 1;
  }
}

/** One line of the export format (docs/analytics.md): the recorded event, fields in a fixed order. */
export function toExportLine(event: RecordedEvent): string {
  return `${JSON.stringify({
    position: event.position,
    streamId: event.streamId,
    revision: event.revision,
    eventId: event.eventId,
    type: event.type,
    version: event.version,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    data: event.data,
    metadata: event.metadata,
  })}\n`;
}

/**
 * The scan as NDJSON bytes, one chunk per page. The stream pulls the next
 * page only when its consumer (an HTTP response, a file) drains: backpressure
 * keeps memory at a few pages.
 */
export function eventLogNdjson(
  store: EventStore,
  filter: EventFilter,
  options: ScanOptions & { readonly onPage?: (events: readonly RecordedEvent[]) => void } = {},
): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const page of scanEventLog(store, filter, options)) {
      options.onPage?.(page);
      yield Buffer.from(page.map(toExportLine).join(''));
    }
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
}
