/**
 * A read refused before it ran because it would cost more than the budget
 * configured for it (a replay of a log longer than the replay limit, say):
 * the caller gets a clear answer at once rather than after minutes. Nothing
 * is written by a read, so nothing was. Rendered as 422 with `code`.
 */
export class ReadTooLargeError extends Error {
  constructor(
    /** Stable, documented in docs/errors.md, e.g. `ANALYTICS.TOO_LARGE`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReadTooLargeError';
  }
}
