import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type AppConfig, claimDataDir, ConfigError, JsonLogger, loadConfig } from '@crm/platform';
import { KafkaConfigError } from '@crm/transport-kafka';
import { createApp } from './create-app';
import { isWorkerMode, WorkerModule } from './worker.module';
import { WorkerProbes } from './worker-probes';

/** The workers (`relay`, `projector`, `webhooks`, `automations`) serve only their health and metrics; `all` and `api` serve the API. */
async function bootstrap(config: AppConfig): Promise<void> {
  const logger = new Logger('Bootstrap');
  if (isWorkerMode(config)) {
    const worker = await NestFactory.createApplicationContext(WorkerModule.forConfig(config), {
      logger: new JsonLogger({ level: config.logLevel, format: config.logFormat }),
      abortOnError: false,
    });
    worker.enableShutdownHooks();
    await worker.init();
    const probes = worker.get(WorkerProbes).address();
    logger.log(
      `CRM ${config.runMode} running (transport ${config.transport.kind}), health and metrics on ` +
        `http://${probes?.host}:${probes?.port}; SIGTERM drains and stops it`,
    );
    return;
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  // Tells offline tools (crm rebuild) that the API owns this DATA_DIR; removed on a clean shutdown.
  // On SIGTERM/SIGINT the shutdown hooks close the server and then re-raise the signal, which ends
  // the process without an 'exit' event: the claim goes when the server has closed.
  const release = claimDataDir(config.dataDir);
  app.getHttpServer().once('close', release);
  process.once('exit', release);
  logger.log(
    `CRM API (${config.runMode}) on http://${config.host}:${config.port} (OpenAPI at /docs), data in ${config.dataDir}`,
  );
}

try {
  const config = loadConfig();
  bootstrap(config).catch(fail);
} catch (error) {
  fail(error);
}

function fail(error: unknown): never {
  // A bad configuration is the user's to fix: say what, without a stack trace.
  const isConfig = error instanceof ConfigError || error instanceof KafkaConfigError;
  console.error(isConfig ? error.message : error);
  process.exit(1);
}
