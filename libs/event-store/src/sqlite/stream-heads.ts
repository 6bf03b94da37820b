/** At most this many streams are remembered; past it the memory starts over (a cold start, not a leak). */
const MAX_STREAMS = 100_000;

/**
 * The last revision of the streams this connection has appended to or
 * looked up, so that an append does not query its stream's head: the one
 * SELECT per append that raw inserts of the same rows do not make.
 *
 * Valid only while no other connection has committed: a flush reads
 * `PRAGMA data_version` once, inside its IMMEDIATE transaction (so no
 * other writer can commit until it ends), and starts over when it moved.
 * Revisions of a stream are 0, 1, 2, … with no gaps and nothing is ever
 * deleted, so "revision n exists" is n ≤ head. Heads are set only from
 * appends that committed their savepoint, and the whole memory is dropped
 * when a flush's transaction fails.
 */
export class StreamHeads {
  private readonly heads = new Map<string, number>();
  private version: number | null = null;

  /** At the start of a flush, inside its transaction: forget everything if another connection wrote. */
  validate(dataVersion: number): void {
    if (dataVersion !== this.version) this.heads.clear();
    this.version = dataVersion;
  }

  /** The remembered head, or undefined when not known (the caller asks the database and calls `set`). */
  get(streamId: string): number | undefined {
    return this.heads.get(streamId);
  }

  set(streamId: string, revision: number): void {
    if (this.heads.size >= MAX_STREAMS && !this.heads.has(streamId)) this.heads.clear();
    this.heads.set(streamId, revision);
  }

  /** A flush failed: what it set may not be in the database. */
  forget(): void {
    this.heads.clear();
    this.version = null;
  }
}
