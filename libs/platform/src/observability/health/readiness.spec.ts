import { NotReadyError, ReadinessChecks } from './readiness';

class StoreClosedError extends Error {
  readonly code = 'STORE.CLOSED';
}

describe('ReadinessChecks', () => {
  it('is up when every check is, with each check’s details', async () => {
    const checks = new ReadinessChecks();
    checks.register('eventStore', () => Promise.resolve({ headPosition: 12 }));
    checks.register('readStore', () => Promise.resolve());

    expect(await checks.run()).toEqual({
      status: 'up',
      checks: { eventStore: { status: 'up', headPosition: 12 }, readStore: { status: 'up' } },
    });
  });

  it('is down when one check throws, naming its code rather than its message', async () => {
    const heard: string[] = [];
    const checks = new ReadinessChecks((name) => heard.push(name));
    checks.register('eventStore', () => Promise.resolve());
    checks.register('readStore', () =>
      Promise.reject(new StoreClosedError('/srv/secret/read.sqlite is closed')),
    );
    checks.register('kafka', () => Promise.reject(new TypeError('socket hang up')));

    expect(await checks.run()).toEqual({
      status: 'down',
      checks: {
        eventStore: { status: 'up' },
        readStore: { status: 'down', reason: 'STORE.CLOSED' },
        kafka: { status: 'down', reason: 'TypeError' },
      },
    });
    expect(heard).toEqual(['readStore', 'kafka']);
  });

  it('shows the reason a check gives with NotReadyError', async () => {
    const checks = new ReadinessChecks();
    checks.register('projections', () => Promise.reject(new NotReadyError('customer-journey failed')));

    expect((await checks.run()).checks.projections).toEqual({
      status: 'down',
      reason: 'customer-journey failed',
    });
  });

  it('counts a check that never answers as down', async () => {
    const checks = new ReadinessChecks();
    checks.register('stuck', () => new Promise(() => undefined));

    expect(await checks.run(1)).toEqual({
      status: 'down',
      checks: { stuck: { status: 'down', reason: 'no answer within 1 ms' } },
    });
  });

  it('refuses two checks with one name', () => {
    const checks = new ReadinessChecks();
    checks.register('eventStore', () => Promise.resolve());

    expect(() => checks.register('eventStore', () => Promise.resolve())).toThrow(/registered already/);
    expect(checks.names()).toEqual(['eventStore']);
  });
});
