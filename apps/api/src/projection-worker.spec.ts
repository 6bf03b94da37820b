import { ConfigError, loadConfig } from '@crm/platform/config';
import { projectionWorker } from './projection-worker';

const DATA_DIR = '/tmp/crm-projection-worker-spec';

function workerFor(env: Record<string, string>) {
  return projectionWorker(loadConfig({ DATA_DIR, ...env }), { DATA_DIR, ...env });
}

describe('where the projections run', () => {
  it('is a worker thread in the embedded default, opening the stores of DATA_DIR', () => {
    const worker = workerFor({});
    expect(worker?.script).toMatch(/projections\.worker\.ts$/);
    expect(worker?.data).toMatchObject({
      eventsFile: `${DATA_DIR}/events.sqlite`,
      readModelsFile: `${DATA_DIR}/read-models.sqlite`,
      masterKeys: null,
    });
  });

  it.each<Record<string, string>>([
    { PROJECTIONS_THREAD: 'main' },
    { RUN_MODE: 'projector' },
    { RUN_MODE: 'api' },
    { PROJECTIONS: 'off' },
  ])('is the main thread with %j', (env) => {
    expect(workerFor(env)).toBeNull();
  });

  it('refuses an unknown PROJECTIONS_THREAD at boot', () => {
    expect(() => workerFor({ PROJECTIONS_THREAD: 'pool' })).toThrow(ConfigError);
  });
});
