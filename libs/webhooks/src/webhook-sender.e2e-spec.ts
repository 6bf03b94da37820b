import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attempt, RESPONSE_BODY_CAP } from './webhook-sender';
import { newSecret, verify } from './webhook-signature';

type Seen = { readonly headers: IncomingMessage['headers']; readonly body: string; readonly url: string };

describe('one webhook attempt, against a real local server', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  let respond: (response: ServerResponse) => void = (response) => response.writeHead(204).end();

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
          url: request.url ?? '',
        });
        respond(response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => (seen.length = 0));

  const secret = newSecret();
  const send = (path = '/hook', timeoutMs = 2000) =>
    attempt({
      url: `${base}${path}`,
      secret,
      id: 'evt-1',
      body: '{"a":1}',
      timeoutMs,
      now: () => 1_700_000_000.9,
    });

  it('POSTs the body with the Standard Webhooks headers, which verify, and a 2xx is a delivery', async () => {
    respond = (response) => response.writeHead(204).end();

    await expect(send()).resolves.toEqual({ ok: true, statusCode: 204 });

    const [request] = seen;
    expect(request?.body).toBe('{"a":1}');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['webhook-id']).toBe('evt-1');
    expect(request?.headers['webhook-timestamp']).toBe('1700000000');
    const signature = String(request?.headers['webhook-signature']);
    expect(verify(secret, 'evt-1', '1700000000', '{"a":1}', signature)).toBe(true);
  });

  it('does not follow a redirect: it is a failure that names where it led', async () => {
    respond = (response) => response.writeHead(302, { location: 'http://169.254.169.254/latest' }).end();

    const outcome = await send();

    expect(outcome).toEqual({
      ok: false,
      statusCode: 302,
      error: 'HTTP 302: redirect to http://169.254.169.254/latest not followed',
    });
    expect(seen).toHaveLength(1);
  });

  it('reads at most the cap of a large error body and keeps a short excerpt', async () => {
    const huge = 'x'.repeat(RESPONSE_BODY_CAP * 40);
    respond = (response) => response.writeHead(500, { 'content-type': 'text/plain' }).end(huge);

    const outcome = await send();

    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.statusCode).toBe(500);
    expect(outcome.error).toBe(`HTTP 500: ${'x'.repeat(200)}`);
  });

  it('gives up on a target that never answers after the timeout', async () => {
    respond = () => undefined;

    await expect(send('/hook', 200)).resolves.toEqual({
      ok: false,
      statusCode: null,
      error: 'no answer within 200 ms',
    });
  });

  it('gives up on a body that never ends after the timeout', async () => {
    respond = (response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('partial');
    };

    await expect(send('/hook', 200)).resolves.toEqual({
      ok: false,
      statusCode: 200,
      error: 'no answer within 200 ms',
    });
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const outcome = await attempt({
      url: `http://127.0.0.1:${port}/hook`,
      secret,
      id: 'evt-1',
      body: '{}',
      timeoutMs: 1000,
      now: () => 0,
    });

    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.statusCode).toBeNull();
    expect(outcome.error).toContain('ECONNREFUSED');
  });
});
