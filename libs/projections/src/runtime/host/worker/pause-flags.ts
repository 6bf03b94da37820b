/**
 * The operator's pauses, in memory both threads see: the main thread sets a
 * flag when the admin route is called, and the worker's runner reads it at
 * its next step, with no message in between. A message could arrive after
 * the runner's next poll of the log, and apply an event appended after the
 * pause was acknowledged; a read with `minPosition` would then not be told
 * that the projection is paused. One 32-bit word per projection.
 */
export class PauseFlags {
  private readonly words: Int32Array;

  constructor(
    private readonly names: readonly string[],
    readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4 * Math.max(1, names.length)),
  ) {
    this.words = new Int32Array(buffer);
  }

  set(name: string, paused: boolean): void {
    const index = this.names.indexOf(name);
    if (index >= 0) Atomics.store(this.words, index, paused ? 1 : 0);
  }

  isPaused(name: string): boolean {
    const index = this.names.indexOf(name);
    return index >= 0 && Atomics.load(this.words, index) === 1;
  }

  paused(): string[] {
    return this.names.filter((name) => this.isPaused(name));
  }
}
