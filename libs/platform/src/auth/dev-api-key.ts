import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ApiKeys } from './api-keys';
import { ROLES } from './roles';

export const DEV_KEY_NAME = 'dev';

/**
 * Keeps `npm start` one command: when the key store is empty at boot, makes
 * one key with every role and writes it to DATA_DIR/dev-api-key (mode 0600).
 * The key itself is never logged, only where it is. A store that has ever held
 * a key (even one since revoked) gets no new dev key.
 */
@Injectable()
export class DevApiKey implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(ApiKeys) private readonly keys: ApiKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { devKey, devKeyFile } = this.config.auth;
    if (!devKey || (await this.keys.list()).length > 0) return;
    const { key, record } = await this.keys.issue(DEV_KEY_NAME, ROLES);
    try {
      mkdirSync(dirname(devKeyFile), { recursive: true });
      writeFileSync(devKeyFile, `${key}\n`, { mode: 0o600 });
      chmodSync(devKeyFile, 0o600); // the mode above only applies when the file is created
    } catch (error) {
      await this.keys.revoke(record.id);
      throw error;
    }
    this.logger.log(
      `Created a dev API key with every role (${record.id}) in ${devKeyFile}; ` +
        `use it with: export CRM_API_KEY=$(cat ${devKeyFile}). Set AUTH_DEV_KEY=false to turn this off.`,
    );
  }
}
