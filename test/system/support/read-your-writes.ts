import type { CrmClient } from '../../../tools/system/crm-client';
import type { AcknowledgedWrite } from '../../../tools/system/ingest-load';

/**
 * Read-your-writes across processes (issue 14, item 3): a write's
 * globalPosition, passed as `minPosition` to ANOTHER api process, must
 * return state that includes the write; 503 PROJECTION.NOT_CAUGHT_UP only
 * after READ_WAIT_MS. Kept apart from the rest of the system test, so that
 * a failure of it alone (such reads answered 503 before read-your-writes
 * under Kafka was built) fails only the test that checks these samples.
 */
export type ReadBack = {
  readonly what: 'journey' | 'kpis';
  readonly customerId: string | null;
  readonly writtenThrough: number;
  readonly readThrough: number;
  readonly minPosition: number;
  /** The customer's touchpoints acknowledged at or below minPosition when the read was sent. */
  readonly expectedTouchpoints: number | null;
  readonly status: number;
  readonly touchpoints: number | null;
  readonly waitedMs: number;
  readonly ok: boolean;
  /** The answer's body when it was not ok, for the report. */
  readonly refusal: unknown;
};

export type ReadYourWritesOptions = {
  /** Reads in flight at most (each may wait up to READ_WAIT_MS). */
  readonly concurrency: number;
  /** At most one new read per this many ms. */
  readonly everyMs: number;
};

function touchpointsOf(body: unknown): number | null {
  if (typeof body !== 'object' || body === null) return null;
  const value = (body as Record<string, unknown>)['touchpoints'];
  return typeof value === 'number' ? value : null;
}

/**
 * Samples the acknowledged writes as they come and reads each sampled one
 * back through the other API: GET /customers/:id/journey?minPosition=<its
 * position> must answer 200 with at least the customer's touchpoints
 * acknowledged up to that position.
 */
export class ReadYourWrites {
  readonly samples: ReadBack[] = [];
  private readonly positions = new Map<string, number[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private lastSentAt = -Infinity;
  private stopped = false;

  constructor(
    private readonly clients: readonly CrmClient[],
    private readonly options: ReadYourWritesOptions,
  ) {}

  /** Every acknowledged write passes through here; some are read back. */
  onAcknowledged(write: AcknowledgedWrite): void {
    const positions = this.positions.get(write.customerId) ?? [];
    positions.push(write.globalPosition);
    this.positions.set(write.customerId, positions);
    const now = performance.now();
    if (
      this.stopped ||
      this.inFlight.size >= this.options.concurrency ||
      now - this.lastSentAt < this.options.everyMs
    )
      return;
    this.lastSentAt = now;
    const expected = positions.filter((position) => position <= write.globalPosition).length;
    const reading = this.readJourney(write, expected).finally(() => this.inFlight.delete(reading));
    this.inFlight.add(reading);
  }

  private otherApi(api: number): number {
    return (api + 1) % this.clients.length;
  }

  private async readJourney(write: AcknowledgedWrite, expected: number): Promise<void> {
    const readThrough = this.otherApi(write.api);
    const client = this.clients[readThrough];
    if (client === undefined) throw new Error(`no API ${readThrough}`);
    const started = performance.now();
    const answer = await client.get(
      `/customers/${encodeURIComponent(write.customerId)}/journey?limit=1&minPosition=${write.globalPosition}`,
    );
    const touchpoints = answer.status === 200 ? touchpointsOf(answer.body) : null;
    const ok = answer.status === 200 && touchpoints !== null && touchpoints >= expected;
    this.samples.push({
      what: 'journey',
      customerId: write.customerId,
      writtenThrough: write.api,
      readThrough,
      minPosition: write.globalPosition,
      expectedTouchpoints: expected,
      status: answer.status,
      touchpoints,
      waitedMs: Math.round(performance.now() - started),
      ok,
      refusal: ok ? null : answer.body,
    });
  }

  /** Stops sampling; resolves once the reads in flight have answered. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.inFlight]);
  }

  /**
   * A KPI read needs every partition to have caught up: GET /kpis with
   * minPosition = the log head, through every API, must answer 200.
   */
  async kpisAt(head: number, from: string, to: string): Promise<void> {
    await Promise.all(
      this.clients.map(async (client, readThrough) => {
        const started = performance.now();
        const answer = await client.get(`/kpis?from=${from}&to=${to}&minPosition=${head}`);
        this.samples.push({
          what: 'kpis',
          customerId: null,
          writtenThrough: -1,
          readThrough,
          minPosition: head,
          expectedTouchpoints: null,
          status: answer.status,
          touchpoints: null,
          waitedMs: Math.round(performance.now() - started),
          ok: answer.status === 200,
          refusal: answer.status === 200 ? null : answer.body,
        });
      }),
    );
  }
}
