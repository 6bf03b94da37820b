import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Pool } from 'undici';
import { devKeyHeader, freePort, startApi } from '../support/built-api';
import { touchpoint } from './http-ingest.bench';
import { round, runConcurrently } from './stats';

export type WebhooksResult = {
  readonly events: number;
  readonly customers: number;
  /** Customers delivered to at once: WEBHOOK_CONCURRENCY of the API, the ceiling's concurrency. */
  readonly concurrency: number;
  /** A backlog of `events` delivered by the embedded default, first to last delivery. */
  readonly eventsPerSecond: number;
  /** From the resume that released the backlog to its last delivery. */
  readonly drainMs: number;
  readonly duplicates: number;
  readonly meanBodyBytes: number;
  readonly ceiling: { readonly eventsPerSecond: number; readonly failed: number };
  readonly ratio: number;
};

/** Counts what arrives, per path: the product's deliveries and the ceiling's. */
class CountingReceiver {
  readonly ids = new Set<string>();
  requests = 0;
  bodyBytes = 0;
  first = 0;
  last = 0;
  ceilingRequests = 0;
  private waiter: { target: number; resolve: () => void } | null = null;

  handle(request: IncomingMessage, response: ServerResponse): void {
    let size = 0;
    request.on('data', (chunk: Buffer) => (size += chunk.length));
    request.on('end', () => {
      response.writeHead(204).end();
      if (request.url === '/ceiling') {
        this.ceilingRequests++;
        return;
      }
      const now = performance.now();
      if (this.requests === 0) this.first = now;
      this.last = now;
      this.requests++;
      this.bodyBytes += size;
      this.ids.add(String(request.headers['webhook-id']));
      if (this.waiter !== null && this.ids.size >= this.waiter.target) this.waiter.resolve();
    });
  }

  until(target: number): Promise<void> {
    if (this.ids.size >= target) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = { target, resolve }));
  }
}

/**
 * Webhook delivery on the embedded default (`npm start`): a backlog of
 * `events` touchpoints of `customers` customers, recorded while the
 * subscription is paused, then released by a resume and drained into a
 * local receiver that answers 204 at once. Its ceiling, in the same run and
 * to the same receiver: the product's own sender in a process of its own,
 * posting as many bodies of the same size with the same concurrency, with
 * no log, decryption or bookkeeping around it.
 */
export async function benchWebhooks(
  dataDir: string,
  events: number,
  customers: number,
  log: (line: string) => void,
): Promise<WebhooksResult> {
  const concurrency = 8;
  const receiver = new CountingReceiver();
  const server = createServer((request, response) => receiver.handle(request, response));
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const port = await freePort();
  const api = await startApi(dataDir, port, { WEBHOOK_CONCURRENCY: String(concurrency) });
  const auth = devKeyHeader(dataDir);
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 8 });
  const call = async (method: 'POST' | 'GET', path: string, body?: unknown): Promise<unknown> => {
    const json = body === undefined ? {} : { 'content-type': 'application/json' };
    const response = await pool.request({
      method,
      path,
      headers: { ...auth, ...json },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`${method} ${path}: ${response.statusCode} ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  };
  try {
    const ids = Array.from({ length: customers }, (_, index) => `hook-${index}`);
    await runConcurrently(customers, 8, async (index) => {
      await call('POST', '/customers', { customerId: ids[index], kind: 'person', name: `Customer ${index}` });
    });
    const subscription = (await call('POST', '/admin/webhooks', { url: `${receiverUrl}/hook` })) as {
      id: string;
    };
    await call('POST', `/admin/webhooks/${subscription.id}/pause`);
    log(`webhooks: recording a backlog of ${events} touchpoints for ${customers} customers`);
    for (let start = 0; start < events; start += 1000) {
      const items = Array.from({ length: Math.min(1000, events - start) }, (_, offset) => ({
        customerId: ids[(start + offset) % customers],
        ...touchpoint(start + offset),
      }));
      await call('POST', '/touchpoints/batch', { items });
    }
    log('webhooks: resuming, draining the backlog');
    const resumed = performance.now();
    await call('POST', `/admin/webhooks/${subscription.id}/resume`);
    await receiver.until(events);
    const drainMs = performance.now() - resumed;
    const deliveredMs = receiver.last - receiver.first;
    const meanBodyBytes = Math.round(receiver.bodyBytes / receiver.requests);

    log(`webhooks: ceiling, ${events} posts of ${meanBodyBytes} bytes by the sender alone`);
    const child = spawn(process.execPath, [join(__dirname, 'webhooks-ceiling.child.js')], {
      env: {
        ...process.env,
        TARGET: `${receiverUrl}/ceiling`,
        COUNT: String(events),
        CONCURRENCY: String(concurrency),
        BODY_BYTES: String(meanBodyBytes),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`webhooks ceiling exited with ${code}`);
    const ceiling = JSON.parse(output) as { elapsedMs: number; failed: number };
    const eventsPerSecond = round(events / (deliveredMs / 1000));
    const ceilingPerSecond = round(events / (ceiling.elapsedMs / 1000));
    return {
      events,
      customers,
      concurrency,
      eventsPerSecond,
      drainMs: round(drainMs),
      duplicates: receiver.requests - receiver.ids.size,
      meanBodyBytes,
      ceiling: { eventsPerSecond: ceilingPerSecond, failed: ceiling.failed },
      ratio: round(eventsPerSecond / ceilingPerSecond),
    };
  } finally {
    await pool.close();
    api.kill('SIGTERM');
    await once(api, 'exit');
    server.closeAllConnections();
    server.close();
  }
}
