import { randomUUID } from 'node:crypto';
import type { LoggerService, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  AllErrorsFilter,
  API_KEY_SCHEME,
  BEARER_SCHEME,
  closeRequestBodies,
  emptyOptionalQueries,
  type AppConfig,
  CORRELATION_HEADER,
  TRACE_ID,
  fastifyServerOptions,
  installEdge,
  JsonLogger,
  Metrics,
  observeRequests,
} from '@crm/platform';
import { AppModule } from './app.module';
import { BUILT_CONSOLE_DIR, serveConsole } from './console/serve-console';

export type CreateAppOptions = {
  /** Where log lines go (default stdout); tests capture them here. */
  readonly logSink?: (line: string) => void;
  /** Where the Kafka settings (KAFKA_*) are read from, as the config was (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the built console is (default dist/console); tests serve one of their own. */
  readonly consoleDir?: string;
};

/** Builds the HTTP application (used by main and by the e2e tests alike). */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const logger = appLogger(config, options);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forConfig(config, options.env),
    fastifyAdapter(config),
    nestOptions(logger),
  );
  return configureApp(app, logger, config, options.consoleDir);
}

export function fastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter(fastifyServerOptions(config));
}

export function nestOptions(logger: LoggerService): NestApplicationOptions {
  return { logger, abortOnError: false, bodyParser: false };
}

export function appLogger(config: AppConfig, options: CreateAppOptions = {}): JsonLogger {
  return new JsonLogger({ level: config.logLevel, format: config.logFormat, write: options.logSink });
}

/** Error filter, shutdown hooks, JSON parsing, the correlation header, metrics, access logs, OpenAPI and the console. */
export function configureApp(
  app: NestFastifyApplication,
  logger: LoggerService,
  config: AppConfig,
  consoleDir: string = BUILT_CONSOLE_DIR,
): NestFastifyApplication {
  app.useGlobalFilters(new AllErrorsFilter());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  // Our own JSON parser, so that a malformed body is a typed error with a stable code
  // rather than a generic 400 (the size limit still applies: 413 before parsing), and a bounded shutdown.
  installEdge(fastify, config);
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
  observeRequests(fastify, app.get(Metrics), logger);
  serveConsole(fastify, consoleDir);

  const openApi = new DocumentBuilder()
    .setTitle('Event-sourced CRM')
    .setDescription(
      'Customers and touchpoints as immutable events. Errors are { statusCode, code, message, details }.',
    )
    .setVersion('0.1.0')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'opaque API key', description: 'crm_<id>_<secret>' },
      BEARER_SCHEME,
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, API_KEY_SCHEME)
    .build();
  SwaggerModule.setup(
    'docs',
    app,
    () => emptyOptionalQueries(closeRequestBodies(SwaggerModule.createDocument(app, openApi))),
    {
      jsonDocumentUrl: 'docs/json',
    },
  );
  return app;
}
