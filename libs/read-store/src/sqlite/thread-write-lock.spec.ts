import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ThreadWriteLock } from './thread-write-lock';

const REGISTER_TS = join(__dirname, '..', '..', '..', '..', 'test', 'support', 'register-ts.js');

/** A thread that flags when it starts waiting for the lock (word 1) and when it holds it (word 2). */
const CONTENDER = `
const { workerData, parentPort } = require('node:worker_threads');
const { ThreadWriteLock } = require(${JSON.stringify(join(__dirname, 'thread-write-lock.ts'))});
const flags = new Int32Array(workerData, 4, 2);
Atomics.store(flags, 0, 1);
Atomics.notify(flags, 0);
new ThreadWriteLock(workerData).hold(() => Atomics.store(flags, 1, 1));
parentPort.postMessage('held');
`;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('ThreadWriteLock', () => {
  it('returns what the write returns, and releases when the write throws', () => {
    const lock = new ThreadWriteLock(ThreadWriteLock.buffer());
    expect(lock.hold(() => 42)).toBe(42);
    expect(() =>
      lock.hold(() => {
        throw new Error('write failed');
      }),
    ).toThrow('write failed');
    // Still free: a held lock would block this thread for good.
    expect(lock.hold(() => 'again')).toBe('again');
  });

  it('keeps another thread waiting while it is held, and lets it in on release', async () => {
    const buffer = new SharedArrayBuffer(12);
    const flags = new Int32Array(buffer, 4, 2);
    const lock = new ThreadWriteLock(buffer);
    let contender: Worker | undefined;
    const heldWhileLocked = lock.hold(() => {
      contender = new Worker(CONTENDER, { eval: true, workerData: buffer, execArgv: ['-r', REGISTER_TS] });
      // Wait (up to 20 s for the thread to load) until it is trying for the lock, then give it time to get in.
      Atomics.wait(flags, 0, 0, 20_000);
      expect(Atomics.load(flags, 0)).toBe(1);
      sleep(200);
      return Atomics.load(flags, 1);
    });
    expect(heldWhileLocked).toBe(0);
    const worker = contender!;
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(Atomics.load(flags, 1)).toBe(1);
    await worker.terminate();
  });

  it('refuses a buffer too small to hold the lock word', () => {
    expect(() => new ThreadWriteLock(new SharedArrayBuffer(2))).toThrow(/at least 4 bytes/);
  });
});
