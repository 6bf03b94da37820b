/**
 * A lock the threads of one process share (through a SharedArrayBuffer) so
 * their connections to the same SQLite file take turns at writing. Without
 * it a connection that finds the file locked waits in SQLite's busy
 * handler, which sleeps in steps of up to 100 ms however soon the lock is
 * free; with it a waiting thread blocks on the lock word and wakes the
 * moment the writer releases it. Other processes are still kept out by
 * SQLite's own lock (and the busy timeout).
 */
export class ThreadWriteLock {
  private readonly word: Int32Array;

  /** `buffer` comes from `ThreadWriteLock.buffer()`, shared with the other threads (e.g. as workerData). */
  constructor(buffer: SharedArrayBuffer) {
    if (buffer.byteLength < Int32Array.BYTES_PER_ELEMENT)
      throw new RangeError('A thread write lock needs a SharedArrayBuffer of at least 4 bytes');
    this.word = new Int32Array(buffer, 0, 1);
  }

  static buffer(): SharedArrayBuffer {
    return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  }

  /** Runs `write` holding the lock; blocks this thread while another holds it. */
  hold<T>(write: () => T): T {
    while (Atomics.compareExchange(this.word, 0, UNLOCKED, LOCKED) !== UNLOCKED) {
      Atomics.wait(this.word, 0, LOCKED);
    }
    try {
      return write();
    } finally {
      Atomics.store(this.word, 0, UNLOCKED);
      Atomics.notify(this.word, 0, 1);
    }
  }
}

const UNLOCKED = 0;
const LOCKED = 1;
