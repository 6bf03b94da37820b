import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { claimDataDir, ConfigError, loadConfig } from '@crm/platform';
import { createApp } from './create-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  // Tells offline tools (crm rebuild) that the API owns this DATA_DIR; removed on a clean shutdown.
  const release = claimDataDir(config.dataDir);
  process.once('exit', release);
  new Logger('Bootstrap').log(
    `CRM API on http://${config.host}:${config.port} (OpenAPI at /docs), data in ${config.dataDir}`,
  );
}

bootstrap().catch((error: unknown) => {
  // A bad configuration is the user's to fix: say what, without a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
