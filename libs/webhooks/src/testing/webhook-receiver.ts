import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '../webhook-signature';

/** One request as the receiver saw it. */
export type ReceivedRequest = {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  /** The event as sent. */
  readonly event: {
    readonly eventId: string;
    readonly streamId: string;
    readonly position: number;
    readonly data: Record<string, unknown>;
  };
  /** Answered 2xx: delivered. */
  readonly accepted: boolean;
  readonly verified: boolean;
};

export type ReceiverBehaviour = {
  /** Share of requests answered 500 (at random). */
  readonly failRate?: number;
  /** Share of requests never answered (the sender's timeout ends them). */
  readonly hangRate?: number;
  /** Requests answered with this status instead (e.g. 400 for one customer); undefined: the usual. */
  readonly answer?: (request: ReceivedRequest) => number | undefined;
  /** Seeded, so that a failing run can be replayed. */
  readonly seed?: number;
};

/**
 * A real HTTP receiver on loopback for the webhook tests: verifies every
 * signature with the subscription's secret, answers by `behaviour` (which
 * may change while it runs), and keeps every request, delivered or not.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  secret = '';
  behaviour: ReceiverBehaviour;
  private server: Server | null = null;
  private readonly hanging = new Set<ServerResponse>();
  private seed: number;

  constructor(behaviour: ReceiverBehaviour = {}) {
    this.behaviour = behaviour;
    this.seed = behaviour.seed ?? 1;
  }

  /** Listens on `port` (0: any free one); returns the port. */
  async listen(port = 0): Promise<number> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch(() => response.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  /** Stops listening and drops every open connection (the receiver is "down"). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The delivered requests' event ids, in the order they were delivered. */
  accepted(): ReceivedRequest[] {
    return this.requests.filter((r) => r.accepted);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const header = (name: string): string => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : '';
    };
    const id = header('webhook-id');
    const timestamp = header('webhook-timestamp');
    const signature = header('webhook-signature');
    const seen = {
      id,
      timestamp,
      signature,
      body,
      event: JSON.parse(body) as ReceivedRequest['event'],
      verified: verify(this.secret, id, timestamp, body, signature),
    };
    const { failRate = 0, hangRate = 0, answer } = this.behaviour;
    const roll = this.random();
    if (roll < hangRate) {
      this.requests.push({ ...seen, accepted: false });
      this.hanging.add(response);
      response.once('close', () => this.hanging.delete(response));
      return;
    }
    const status = answer?.({ ...seen, accepted: false }) ?? (roll < hangRate + failRate ? 500 : 204);
    this.requests.push({ ...seen, accepted: status >= 200 && status < 300 });
    response
      .writeHead(status, { 'content-type': 'text/plain' })
      .end(status < 300 ? '' : `refused (${status})`);
  }

  private random(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2 ** 31;
    return this.seed / 2 ** 31;
  }
}
