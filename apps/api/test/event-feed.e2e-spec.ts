import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectError, fieldsOf, newCustomerId, recordTouchpoint, registerCustomer } from './support/api';
import { bearer } from './support/api-keys';
import { TestApp } from './support/test-app';

/** One parsed Server-Sent Events frame: id/event/data, or a comment. */
type Frame = {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
  readonly comment?: string;
};

/** An open GET /events/stream: its frames as they arrive, and a way to hang up. */
type Feed = {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  next(timeoutMs?: number): Promise<Frame>;
  close(): void;
};

function openFeed(port: number, path: string, headers: Record<string, string>): Promise<Feed> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, headers }, (response) => {
      const frames: Frame[] = [];
      const waiting: ((frame: Frame | Error) => void)[] = [];
      let buffer = '';
      const push = (frame: Frame) => {
        const waiter = waiting.shift();
        if (waiter) waiter(frame);
        else frames.push(frame);
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) frame.comment = line.slice(1).trim();
            else {
              const colon = line.indexOf(':');
              frame[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
            }
          }
          push(frame);
        }
      });
      response.on('error', () => undefined);
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        next: (timeoutMs = 5000) =>
          new Promise<Frame>((resolveFrame, rejectFrame) => {
            const ready = frames.shift();
            if (ready) return resolveFrame(ready);
            const timer = setTimeout(
              () => rejectFrame(new Error(`no frame within ${timeoutMs} ms`)),
              timeoutMs,
            );
            waiting.push((frame) => {
              clearTimeout(timer);
              if (frame instanceof Error) rejectFrame(frame);
              else resolveFrame(frame);
            });
          }),
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
    request.end();
  });
}

/** The next frame that carries an event (skipping retry, comments and heartbeats). */
async function nextEvent(feed: Feed): Promise<Frame> {
  for (;;) {
    const frame = await feed.next();
    if (frame.id !== undefined || frame.event !== undefined) return frame;
  }
}

describe('GET /events/stream (the live feed)', () => {
  let app: TestApp;
  let port: number;

  beforeAll(async () => {
    app = await TestApp.start({ PROJECTIONS: 'off', FEED_HEARTBEAT_MS: '150', FEED_STALL_MS: '2000' });
    await app.app.listen(0, '127.0.0.1');
    port = (app.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => app.stop());

  const auth = (): Record<string, string> => bearer(app.apiKey);
  const logLines = async (): Promise<string[]> => {
    const response = await app.app.inject({ method: 'GET', url: '/events', headers: auth() });
    return response.body.split('\n').filter((line) => line !== '');
  };
  const headPosition = async (): Promise<number> => (await logLines()).length;

  it('hands out exactly the log to a client that hangs up at random and resumes with Last-Event-ID', async () => {
    const customers = await Promise.all(
      Array.from({ length: 8 }, (_, index) => registerCustomer(app, newCustomerId(`feed${index}`))),
    );
    // Writes go on while the client reads, drops and resumes.
    let writing = true;
    const writer = (async () => {
      for (let round = 0; round < 40; round++) {
        await Promise.all(
          customers.map((customerId, index) =>
            recordTouchpoint(app, customerId, {
              type: 'CallLogged',
              direction: 'inbound',
              durationSeconds: round * 10 + index,
              outcome: 'connected',
              occurredAt: '2025-01-10T10:00:00Z',
            }),
          ),
        );
      }
      writing = false;
    })();

    const received: Frame[] = [];
    let lastId: string | undefined;
    let connections = 0;
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (;;) {
      const feed = await openFeed(port, '/events/stream', {
        ...auth(),
        ...(lastId === undefined ? {} : { 'last-event-id': lastId }),
      });
      connections++;
      expect(feed.status).toBe(200);
      expect(feed.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      const take = 1 + Math.floor(random() * 40);
      let caughtUp = false;
      for (let taken = 0; taken < take; taken++) {
        const head = writing ? Infinity : await headPosition();
        if (lastId !== undefined && Number(lastId) >= head) {
          caughtUp = true;
          break;
        }
        const frame = await nextEvent(feed);
        received.push(frame);
        lastId = frame.id;
      }
      feed.close();
      if (caughtUp && !writing) break;
    }
    await writer;

    expect(connections).toBeGreaterThan(5);
    const lines = await logLines();
    expect(received.map((frame) => Number(frame.id))).toEqual(lines.map((_, index) => index + 1));
    expect(received.map((frame) => frame.data)).toEqual(lines);
  });

  it('keeps to the types and the customer asked for, from afterPosition', async () => {
    const ada = await registerCustomer(app, newCustomerId('feed-ada'));
    const after = await headPosition();
    const adam = await registerCustomer(app, `${ada}m`);
    for (const customerId of [ada, adam]) {
      await recordTouchpoint(app, customerId, {
        type: 'SurveyAnswered',
        surveyType: 'nps',
        score: 9,
        occurredAt: '2025-03-10T10:00:00Z',
      });
    }
    const feed = await openFeed(
      port,
      `/events/stream?types=SurveyAnswered&customerId=${ada}&afterPosition=${after}`,
      auth(),
    );
    try {
      const frame = await nextEvent(feed);
      const event = JSON.parse(frame.data ?? '{}') as { streamId: string; type: string; position: number };
      expect(event).toMatchObject({ streamId: `customer-${ada}`, type: 'SurveyAnswered' });
      expect(frame.id).toBe(String(event.position));
      // Nothing else comes: only heartbeats while the feed idles at the head.
      for (let beat = 0; beat < 3; beat++) expect(await feed.next(2000)).toEqual({ comment: 'heartbeat' });
    } finally {
      feed.close();
    }
  });

  it('refuses replay bounds and a bad Last-Event-ID with 400, naming each, before streaming', async () => {
    const response = await app.get('/events/stream?limit=5&toPosition=9&types=Teleported', {
      'last-event-id': 'yesterday',
    });
    const body = expectError(response, 400, 'VALIDATION.FAILED');
    expect(fieldsOf(body).sort()).toEqual(['Last-Event-ID', 'limit', 'toPosition', 'types']);
    expect(response.headers['content-type']).toMatch(/application\/json/);
  });
});

describe('GET /events/stream when the server stops', () => {
  it('ends each open feed with event: end, reason shutdown, and the last position sent', async () => {
    const app = await TestApp.start({ PROJECTIONS: 'off' });
    await app.app.listen(0, '127.0.0.1');
    const port = (app.app.getHttpServer().address() as AddressInfo).port;
    const customerId = await registerCustomer(app, newCustomerId('feed-stop'));
    const feed = await openFeed(port, '/events/stream', bearer(app.apiKey));
    const first = await nextEvent(feed);
    expect(JSON.parse(first.data ?? '{}')).toMatchObject({ streamId: `customer-${customerId}` });

    const stopping = app.stop();
    const end = await nextEvent(feed);
    await stopping;
    expect(end).toEqual({ event: 'end', data: JSON.stringify({ reason: 'shutdown', lastPosition: 1 }) });
  });
});
