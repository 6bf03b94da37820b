import { ProjectionRunner } from '../../../libs/projections/src/runtime/log/projection-runner';
import { TestApp } from './support/test-app';

/*
 * Nest calls onApplicationBootstrap on a provider once per module that sees
 * it, and the runtime is one provider of a global module seen by several:
 * it used to start a second runner on the same read store, and under load
 * the two folded the same batch before either committed it, so every rank
 * counter of a fresh app counted twice (purchasers 2 for one purchaser).
 */
describe('the projection runtime of one application', () => {
  afterEach(() => jest.restoreAllMocks());

  it('starts one runner, following the log once', async () => {
    const run = jest.spyOn(ProjectionRunner.prototype, 'run');
    const app = await TestApp.start({ PROJECTIONS_THREAD: 'main' });
    try {
      expect(run).toHaveBeenCalledTimes(1);
    } finally {
      await app.stop();
    }
  });
});
