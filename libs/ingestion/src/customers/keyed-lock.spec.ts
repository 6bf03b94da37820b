import { KeyedLock } from './keyed-lock';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('KeyedLock', () => {
  it('runs tasks of one key one at a time, in arrival order', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const task = (name: string) => async (): Promise<string> => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([
      lock.run('a', task('1')),
      lock.run('a', task('2')),
      lock.run('a', task('3')),
    ]);
    expect(results).toEqual(['1', '2', '3']);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('lets different keys run at the same time', async () => {
    const lock = new KeyedLock();
    let inFlight = 0;
    let peak = 0;
    const task = async (): Promise<void> => {
      peak = Math.max(peak, ++inFlight);
      await tick();
      inFlight--;
    };
    await Promise.all([lock.run('a', task), lock.run('b', task), lock.run('c', task)]);
    expect(peak).toBe(3);
  });

  it('keeps going after a task fails, and passes the failure to its caller only', async () => {
    const lock = new KeyedLock();
    const failing = lock.run('a', () => Promise.reject(new Error('boom')));
    const next = lock.run('a', () => Promise.resolve('fine'));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('fine');
  });

  it('forgets keys once their tasks are done', async () => {
    const lock = new KeyedLock();
    await lock.run('a', () => Promise.resolve());
    await tick();
    expect(lock.size).toBe(0);
  });
});
