import 'reflect-metadata';
import { loadConfig } from '@crm/platform';
import { createApp } from '../../src/create-app';
import { bearer, issueTestKey } from './api-keys';
import type { TestResponse } from './test-app';

/** A read-only view of an app booted on a data directory another app wrote. */
export type DataDirApp = {
  get<T = unknown>(url: string): Promise<TestResponse<T>>;
  close(): Promise<void>;
};

/**
 * Boots the app on an existing DATA_DIR with extra settings (e.g. PROJECTIONS=off,
 * so that whatever the read routes serve must have come from the read store on
 * disk, not from runners replaying the log). Closing leaves the directory in place:
 * it belongs to the app that created it.
 */
export async function bootOnDataDir(dataDir: string, env: Record<string, string>): Promise<DataDirApp> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', AUTOMATIONS: 'off', ...env });
  const key = await issueTestKey(dataDir, ['read'], 'e2e-reader');
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    async get<T>(url: string): Promise<TestResponse<T>> {
      const response = await app.inject({ method: 'GET', url, headers: bearer(key) });
      return {
        statusCode: response.statusCode,
        headers: response.headers,
        body: (response.body === '' ? undefined : JSON.parse(response.body)) as T,
      };
    },
    close: () => app.close(),
  };
}
