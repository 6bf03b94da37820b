import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CLOCK, type Clock } from '../clock/clock';
import type { AppConfig } from '../config/app-config';
import { ApiKeyGuard } from './api-key.guard';
import { API_KEY_STORE, type ApiKeyStore } from './api-key-store.port';
import { ApiKeys } from './api-keys';
import { CurrentKeyController } from './current-key/current-key.controller';
import { DevApiKey } from './dev-api-key';
import { SqliteApiKeyStore } from './sqlite-api-key-store';

/**
 * API keys for every route: the key store, the global guard, the dev key and
 * GET /auth/key (which key a client holds).
 * Needs APP_CONFIG and CLOCK from the application's core module.
 */
@Module({})
export class AuthModule implements OnApplicationShutdown {
  constructor(@Inject(API_KEY_STORE) private readonly store: ApiKeyStore) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuthModule,
      controllers: [CurrentKeyController],
      providers: [
        { provide: API_KEY_STORE, useFactory: () => SqliteApiKeyStore.open(config.auth.keyStoreFile) },
        {
          provide: ApiKeys,
          inject: [API_KEY_STORE, CLOCK],
          useFactory: (store: ApiKeyStore, clock: Clock) => new ApiKeys(store, () => clock.now()),
        },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        DevApiKey,
      ],
      exports: [ApiKeys],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
