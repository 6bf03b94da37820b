import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { Server } from 'node:http';
import type { FastifyError, FastifyHttpOptions, FastifyInstance, FastifyReply } from 'fastify';
import type { AppConfig } from '../config';
import type { ErrorBody } from './api-error';
import { frameworkErrorBody } from './error-translation';
import { MalformedJsonError, parseJsonBody } from './json-body';

/** What Node's HTTP parser reports, by the status it deserves; anything else is a plain 400. */
const CLIENT_ERROR_STATUS: Readonly<Record<string, number>> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_HEADER_OVERFLOW: 431,
  HPE_URI_TOO_LONG: 414,
};

/** Errors Fastify answers before any route runs (routing), by their code. */
const FRAMEWORK_ERROR_STATUS: Readonly<Record<string, number>> = {
  FST_ERR_BAD_URL: 400,
  FST_ERR_MAX_PARAM_LENGTH: 414,
};

/**
 * Options of the Fastify server: body limit, every timeout (so a client that
 * never finishes a request cannot hold a connection), and our error shape
 * for the errors Fastify answers on its own before a route runs.
 */
export function fastifyServerOptions(config: AppConfig): FastifyHttpOptions<Server> {
  const { requestTimeoutMs, idleTimeoutMs, keepAliveTimeoutMs } = config.http;
  return {
    bodyLimit: config.maxBodyBytes,
    logger: false,
    // Customer ids may be 128 characters, and more once percent-encoded.
    routerOptions: { maxParamLength: 512 },
    requestTimeout: requestTimeoutMs,
    connectionTimeout: idleTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    http: {
      // Node checks request deadlines on this interval (30 s by default): keep it a fraction of the limit.
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(requestTimeoutMs / 4))),
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
    },
    // Idle keep-alive sockets close at once on shutdown; the rest get the grace period (installEdge).
    forceCloseConnections: 'idle',
    // Fastify's own 503 while closing is in its shape; installEdge answers it in ours.
    return503OnClosing: false,
    clientErrorHandler: writeClientError,
    frameworkErrors: (error: FastifyError, _request, reply) => {
      sendBody(reply, frameworkErrorBody(FRAMEWORK_ERROR_STATUS[error.code] ?? 400));
    },
  };
}

function sendBody(reply: FastifyReply, body: ErrorBody): void {
  void reply.code(body.statusCode).type('application/json; charset=utf-8').send(body);
}

const ROUTED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * The methods a route of this path answers, when the request's method is
 * not one of them: a 405 with `Allow` says what a 404 would hide (the path
 * exists). None when no route has the path (a true 404).
 */
function otherMethods(fastify: FastifyInstance, method: string, url: string): string[] {
  const path = url.split('?', 1)[0] ?? url;
  return ROUTED_METHODS.filter(
    (other) => other !== method && fastify.findRoute({ method: other, url: path }) !== null,
  );
}

/** A request Node could not parse (or that did not arrive in time): no route ever sees it. */
function writeClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const body = frameworkErrorBody(CLIENT_ERROR_STATUS[error.code ?? ''] ?? 400);
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${body.statusCode} ${STATUS_CODES[body.statusCode] ?? ''}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}

/**
 * The JSON body parser (strict UTF-8, values checked; every other media type
 * is a 415), and a bounded shutdown: new requests get 503 in our shape, and
 * connections still open after the grace period (a body that never arrives)
 * are closed so the process can exit.
 */
export function installEdge(fastify: FastifyInstance, config: AppConfig): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body));
    } catch (error) {
      done(error instanceof Error ? error : new MalformedJsonError(String(error)));
    }
  });

  fastify.addHook('onRequest', (request, reply, done) => {
    const allowed = request.is404 ? otherMethods(fastify, request.method, request.url) : [];
    if (allowed.length === 0) return done();
    void reply.header('allow', allowed.join(', '));
    sendBody(reply, frameworkErrorBody(405));
  });

  let closing = false;
  let forceClose: NodeJS.Timeout | undefined;
  fastify.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    void reply.header('connection', 'close');
    sendBody(reply, frameworkErrorBody(503));
  });
  fastify.addHook('preClose', (done) => {
    closing = true;
    forceClose = setTimeout(() => fastify.server.closeAllConnections(), config.http.shutdownGraceMs);
    forceClose.unref();
    done();
  });
  fastify.addHook('onClose', (_instance, done) => {
    clearTimeout(forceClose);
    done();
  });
}
