import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import {
  customerPath,
  type ErrorResponseBody,
  expectError,
  expectNoStream,
  newCustomerId,
} from './support/api';
import { bearer } from './support/api-keys';
import { TestApp } from './support/test-app';

type RawResponse = {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  readonly body: ErrorResponseBody;
};

async function listen(app: TestApp): Promise<number> {
  await app.app.listen(0, '127.0.0.1');
  return (app.app.getHttpServer().address() as AddressInfo).port;
}

function parseResponse(raw: string): RawResponse {
  const [head = '', text = ''] = raw.split('\r\n\r\n', 2);
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  return {
    statusCode: Number(statusLine.split(' ')[1]),
    headers,
    text,
    body: JSON.parse(text) as ErrorResponseBody,
  };
}

/** Writes bytes to the server as they are and reads until the server closes the connection. */
function exchange(
  port: number,
  request: string | Buffer,
  socket: Socket = connect(port, '127.0.0.1'),
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(parseResponse(Buffer.concat(chunks).toString('utf8'))));
    socket.write(request);
  });
}

function expectShape(response: RawResponse, statusCode: number, code: string): ErrorResponseBody {
  expect(response.statusCode).toBe(statusCode);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(response.body).sort()).toEqual(['code', 'details', 'message', 'statusCode']);
  expect(response.body).toMatchObject({ statusCode, code });
  return response.body;
}

/**
 * What only a real socket shows: answers the framework and Node's HTTP parser
 * give before any route runs, timeouts, and how the server shuts down. Each
 * answer is in the one error shape and never echoes the URL.
 */
describe('the HTTP edge on a real socket', () => {
  let app: TestApp;
  let port: number;
  let auth: string;

  beforeAll(async () => {
    app = await TestApp.start({ REQUEST_TIMEOUT_MS: '300' });
    port = await listen(app);
    auth = `Authorization: ${bearer(app.apiKey).authorization}\r\n`;
  });

  afterAll(async () => {
    await app.stop();
  });

  it('answers a 10 KB path segment with 414 REQUEST.URL_TOO_LONG without echoing the URL', async () => {
    const segment = 'a'.repeat(10_000);

    const response = await exchange(
      port,
      `GET /customers/${segment}/journey HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`,
    );

    expectShape(response, 414, 'REQUEST.URL_TOO_LONG');
    expect(response.text).not.toContain('aaaaaaaaaa');
  });

  it('answers a request HTTP cannot parse with 400 REQUEST.BAD', async () => {
    const response = await exchange(
      port,
      'POST /customers HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    );

    expectShape(response, 400, 'REQUEST.BAD');
  });

  it('answers headers beyond the limit with 431 REQUEST.HEADERS_TOO_LARGE', async () => {
    const response = await exchange(
      port,
      `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
    );

    expectShape(response, 431, 'REQUEST.HEADERS_TOO_LARGE');
  });

  it('answers a body that never arrives with 408 REQUEST.TIMEOUT and closes the connection', async () => {
    const customerId = newCustomerId();
    const partial = `{"kind":"person","name":"P","customerId":"${customerId}"`;

    const response = await exchange(
      port,
      `POST /customers HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n${partial}`,
    );

    expectShape(response, 408, 'REQUEST.TIMEOUT');
    await expectNoStream(app, customerId);
  });

  it('answers a body that is not UTF-8 with 400 PAYLOAD.MALFORMED_JSON saying so, writing nothing', async () => {
    const customerId = newCustomerId();
    const body = Buffer.concat([
      Buffer.from(`{"kind":"person","customerId":"${customerId}","name":"`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    const head = `POST /customers HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;

    const response = await exchange(port, Buffer.concat([Buffer.from(head), body]));

    expect(expectShape(response, 400, 'PAYLOAD.MALFORMED_JSON').message).toMatch(/UTF-8/);
    await expectNoStream(app, customerId);
  });

  it('answers a body that is not JSON with 415 saying application/json is required', async () => {
    const response = await app.post('/customers', 'kind=person', { 'content-type': 'text/plain' });

    expect(expectError(response, 415, 'PAYLOAD.UNSUPPORTED_MEDIA_TYPE').message).toContain(
      'application/json',
    );
  });

  it('answers a method the path does not take with 405 and the methods it takes in Allow', async () => {
    const response = await exchange(
      port,
      `TRACE /customers?limit=1 HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`,
    );
    expectShape(response, 405, 'ROUTE.METHOD_NOT_ALLOWED');
    expect(response.headers['allow']).toBe('GET, HEAD, POST');

    const put = await app.request<ErrorResponseBody>('PUT', customerPath(newCustomerId(), '/journey'));
    expectError(put, 405, 'ROUTE.METHOD_NOT_ALLOWED');
    expect(put.headers['allow']).toBe('GET, HEAD');
    expectError(await app.request('DELETE', '/no-such-route'), 404, 'ROUTE.NOT_FOUND');
  });

  it('answers an unknown route without echoing the URL', async () => {
    const response = await app.get<ErrorResponseBody>('/no-such-route/secret-path');

    expect(expectError(response, 404, 'ROUTE.NOT_FOUND').message).not.toContain('secret-path');
  });
});

describe('a read store outage', () => {
  it('answers 503 READ_STORE.UNAVAILABLE, not 500', async () => {
    const app = await TestApp.start();
    try {
      await app.app.get<ReadStore>(READ_STORE).close();

      const response = await app.get(customerPath('someone', '/journey'));

      expectError(response, 503, 'READ_STORE.UNAVAILABLE');
    } finally {
      await app.stop();
    }
  });
});

describe('shutting down', () => {
  it('closes a connection whose body never arrives once the grace period is over', async () => {
    const app = await TestApp.start({ REQUEST_TIMEOUT_MS: '600000', SHUTDOWN_GRACE_MS: '200' });
    const port = await listen(app);
    const stalled = connect(port, '127.0.0.1');
    const received = new Promise((resolve) => app.app.getHttpServer().once('request', resolve));
    const closed = new Promise((resolve) => stalled.once('close', resolve));
    stalled.write(
      `POST /customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"kind":`,
    );
    await received;

    await app.stop();

    await closed;
    expect(stalled.destroyed).toBe(true);
  });
});
