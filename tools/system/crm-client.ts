import { Pool } from 'undici';

export type Answer = { readonly status: number; readonly body: unknown };

/** What a write returned, when it was acknowledged (201 with a position). */
export type Acknowledged = { readonly globalPosition: number; readonly eventId: string };

function acknowledged(answer: Answer): Acknowledged | null {
  if (answer.status !== 201 || typeof answer.body !== 'object' || answer.body === null) return null;
  const { globalPosition, eventId } = answer.body as Record<string, unknown>;
  if (typeof globalPosition !== 'number' || typeof eventId !== 'string') return null;
  return { globalPosition, eventId };
}

/** The HTTP API of one `api` process, with a key; keep-alive connections. */
export class CrmClient {
  private readonly pool: Pool;

  constructor(
    readonly baseUrl: string,
    private readonly auth: Readonly<Record<string, string>>,
    connections = 32,
  ) {
    this.pool = new Pool(baseUrl, { connections, pipelining: 1 });
  }

  /** The answer's body as text: for NDJSON (GET /events), which is not one JSON value. */
  async requestText(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ readonly status: number; readonly text: string }> {
    const response = await this.pool.request({
      method,
      path,
      headers: { ...this.auth, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: 120_000,
      bodyTimeout: 120_000,
    });
    return { status: response.statusCode, text: await response.body.text() };
  }

  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
    const { status, text } = await this.requestText(method, path, body);
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the report
    }
    return { status, body: parsed };
  }

  get(path: string): Promise<Answer> {
    return this.request('GET', path);
  }

  /** POST /customers; null when not acknowledged (the answer is in `onRefused`). */
  async register(
    body: Record<string, unknown>,
    onRefused?: (answer: Answer) => void,
  ): Promise<Acknowledged | null> {
    const answer = await this.request('POST', '/customers', body);
    const ack = acknowledged(answer);
    if (ack === null) onRefused?.(answer);
    return ack;
  }

  async record(
    customerId: string,
    body: Record<string, unknown>,
    onRefused?: (answer: Answer) => void,
  ): Promise<Acknowledged | null> {
    const answer = await this.request(
      'POST',
      `/customers/${encodeURIComponent(customerId)}/touchpoints`,
      body,
    );
    const ack = acknowledged(answer);
    if (ack === null) onRefused?.(answer);
    return ack;
  }

  /**
   * POST /touchpoints/batch of one customer's touchpoints: one all-or-nothing
   * append to its stream. Each item's acknowledgement in order, or null when
   * any was not created (the answer is in `onRefused`).
   */
  async recordBatch(
    customerId: string,
    bodies: readonly Record<string, unknown>[],
    onRefused?: (answer: Answer) => void,
  ): Promise<Acknowledged[] | null> {
    const answer = await this.request('POST', '/touchpoints/batch', {
      items: bodies.map((body) => ({ customerId, ...body })),
    });
    const items = (answer.body as { items?: unknown } | null)?.items;
    const acks =
      answer.status === 200 && Array.isArray(items)
        ? items.map((item: unknown) =>
            (item as { status?: unknown }).status === 'created'
              ? acknowledged({ status: 201, body: item })
              : null,
          )
        : [];
    if (acks.length !== bodies.length || acks.some((ack) => ack === null)) {
      onRefused?.(answer);
      return null;
    }
    return acks.filter((ack): ack is Acknowledged => ack !== null);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
