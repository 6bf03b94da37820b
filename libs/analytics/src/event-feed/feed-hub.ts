import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { SchemaObject } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ErrorDetail } from '@crm/domain';
import { APP_CONFIG, type AppConfig, RequestValidationError } from '@crm/platform';
import { parseEventFilter } from '../event-log/event-filter';
import { type FeedEnd, type FeedFilter, type FeedFrame, pumpFeed } from './event-feed';

export const EVENT_STREAM = 'text/event-stream';

/**
 * One event of a feed as a Server-Sent Events client parses it (the schema
 * of each event, as OpenAPI 3.2's itemSchema means): `data` is one line of
 * JSON, `id` its log position, `event` `end` for our closing frame.
 */
export const FEED_EVENT_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: '^[0-9]+$' },
    event: { type: 'string', enum: ['message', 'end'] },
    data: { type: 'string' },
    retry: { type: 'integer' },
  },
  required: ['data'],
};

const POSITION = /^\d{1,15}$/;

/**
 * The open Server-Sent Events feeds of this process: each one served with
 * backpressure and a stall cut (pumpFeed), and all of them ended with
 * `event: end` (reason shutdown) before the server closes, not cut at its
 * grace timeout.
 */
@Injectable()
export class FeedHub implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Feeds');
  private readonly open = new Set<AbortController>();
  private shuttingDown = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Takes the reply over and streams `frames` to it until the client leaves, stalls or we shut down. */
  serve(
    reply: FastifyReply,
    filter: FeedFilter,
    frames: (signal: AbortSignal, heartbeatMs: number) => AsyncIterable<FeedFrame>,
  ): void {
    const abort = new AbortController();
    this.open.add(abort);
    reply.hijack();
    // Headers our hooks set (correlation id, …) go out with the stream's own.
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders()))
      if (value !== undefined) headers[name] = value;
    reply.raw.writeHead(200, {
      ...headers,
      'content-type': `${EVENT_STREAM}; charset=utf-8`,
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    reply.raw.once('close', () => abort.abort());
    const { heartbeatMs, stallMs } = this.config.analytics.feed;
    const ending = (): FeedEnd | undefined => (this.shuttingDown ? 'shutdown' : undefined);
    pumpFeed(frames(abort.signal, heartbeatMs), reply.raw, filter, { heartbeatMs, stallMs }, ending)
      .then((result) => {
        if (result.end === 'slow-consumer') {
          this.logger.warn(
            `a feed was cut after ${stallMs} ms without a write taken, at position ${result.lastPosition}`,
          );
        }
      })
      .catch((error: unknown) => {
        this.logger.error(`a feed failed: ${error instanceof Error ? error.message : String(error)}`);
        reply.raw.destroy();
      })
      .finally(() => {
        abort.abort();
        this.open.delete(abort);
      });
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
    for (const feed of this.open) feed.abort();
  }
}

/**
 * A feed's filter from its query (only `allowed` fields, values as for GET
 * /events) and the Last-Event-ID header, which wins over afterPosition: a
 * reconnecting client resumes after the last id it saw. Every problem is
 * reported at once, before the first byte.
 */
export function parseFeedFilter(
  query: Record<string, unknown>,
  lastEventId: string | string[] | undefined,
  allowed: readonly string[],
): FeedFilter {
  const details: ErrorDetail[] = Object.keys(query)
    .filter((field) => !allowed.includes(field))
    .map((field) => ({
      field,
      code: 'whitelistValidation',
      message: `${field} is not a filter of this feed; it takes: ${allowed.join(', ')}`,
    }));
  const known = Object.fromEntries(Object.entries(query).filter(([field]) => allowed.includes(field)));
  const parsed = parseEventFilter(known);
  if (!parsed.ok) details.push(...parsed.details);
  let resumeAfter: number | undefined;
  if (lastEventId !== undefined) {
    if (typeof lastEventId === 'string' && POSITION.test(lastEventId.trim())) {
      resumeAfter = Number(lastEventId.trim());
    } else {
      details.push({
        field: 'Last-Event-ID',
        code: 'isInt',
        message: 'Last-Event-ID is a position, an integer ≥ 0',
      });
    }
  }
  if (details.length > 0 || !parsed.ok) throw new RequestValidationError(details);
  const { types, customerId, afterPosition } = parsed.filter;
  return {
    after: resumeAfter ?? afterPosition ?? 0,
    ...(types && { types }),
    ...(customerId !== undefined && { customerId }),
  };
}
