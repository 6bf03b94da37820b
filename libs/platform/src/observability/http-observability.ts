import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CORRELATION_HEADER, TRACE_ID } from '../http/request-metadata';
import { redactUrl } from './logging/redact-url';
import { type RequestContext, requestContext } from './logging/request-context';
import type { Metrics } from './metrics/metrics';

const contexts = new WeakMap<FastifyRequest, RequestContext>();

/**
 * Per request: the logging context (so every line written while serving it
 * carries its correlation id), the HTTP latency histogram, and one access
 * log line. Register after the hook that fills in the correlation id.
 */
export function observeRequests(fastify: FastifyInstance, metrics: Metrics, logger: LoggerService): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers[CORRELATION_HEADER];
    // A malformed id is rejected by the route (400); logs never carry it.
    const correlationId = typeof header === 'string' && TRACE_ID.test(header) ? header : 'invalid';
    const context = { correlationId };
    contexts.set(request, context);
    requestContext.run(context, done);
  });
  // Body parsing runs on the socket's callbacks, outside the context set above: enter it again.
  fastify.addHook('preHandler', (request, _reply, done) => {
    const context = contexts.get(request);
    if (context) requestContext.run(context, done);
    else done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    // The route pattern, not the URL, keeps the label set small; unmatched URLs share one label.
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.httpRequestDuration.observe(
      { method: request.method, route, status: String(status) },
      reply.elapsedTime / 1000,
    );
    logger.log(
      {
        message: 'request',
        correlationId: contexts.get(request)?.correlationId,
        method: request.method,
        // Credentials sent in the query (?api_key=) never reach the logs.
        url: redactUrl(request.url),
        route,
        status,
        durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
      },
      'HTTP',
    );
    done();
  });
}
