import { randomUUID } from 'node:crypto';
import type { NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  AllErrorsFilter,
  type AppConfig,
  CORRELATION_HEADER,
  TRACE_ID,
  MalformedJsonError,
  parseJsonBody,
} from '@crm/platform';
import { AppModule } from './app.module';

/** Builds the HTTP application (used by main and by the e2e tests alike). */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forConfig(config),
    fastifyAdapter(config),
    nestOptions(config),
  );
  return configureApp(app);
}

export function fastifyAdapter(config: AppConfig): FastifyAdapter {
  // Customer ids may be 128 characters, and more once percent-encoded.
  return new FastifyAdapter({
    bodyLimit: config.maxBodyBytes,
    logger: false,
    routerOptions: { maxParamLength: 512 },
  });
}

export function nestOptions(config: AppConfig): NestApplicationOptions {
  return { logger: loggerLevels(config.logLevel), abortOnError: false, bodyParser: false };
}

/** Error filter, shutdown hooks, JSON parsing, the correlation header and OpenAPI, on a created app. */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  app.useGlobalFilters(new AllErrorsFilter());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  // Our own JSON parser, so that a malformed body is a typed error with a stable code
  // rather than a generic 400 (the size limit still applies: 413 before parsing).
  // JSON only: every other media type (text/plain included) is a 415.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body));
    } catch (error) {
      done(error instanceof Error ? error : new MalformedJsonError(String(error)));
    }
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    const given = request.headers[CORRELATION_HEADER];
    if (given === undefined) request.headers[CORRELATION_HEADER] = randomUUID();
    const correlationId = request.headers[CORRELATION_HEADER];
    // A malformed id is left for the route to reject (400), never silently replaced.
    if (typeof correlationId === 'string' && TRACE_ID.test(correlationId)) {
      void reply.header(CORRELATION_HEADER, correlationId);
    }
    done();
  });

  const openApi = new DocumentBuilder()
    .setTitle('Event-sourced CRM')
    .setDescription(
      'Customers and touchpoints as immutable events. Errors are { statusCode, code, message, details }.',
    )
    .setVersion('0.1.0')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'docs/json',
  });
  return app;
}

type Level = AppConfig['logLevel'];
const LEVELS: readonly Level[] = ['error', 'warn', 'log', 'debug', 'verbose'];

function loggerLevels(level: Level): Level[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}
