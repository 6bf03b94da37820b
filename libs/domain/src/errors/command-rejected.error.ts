import type { DomainError } from './domain-error';

/** Which of several commands for one customer a rule rejected; the whole group is then not recorded. */
export class CommandRejectedError extends Error {
  constructor(
    readonly index: number,
    readonly reason: DomainError,
  ) {
    super(reason.message);
    this.name = 'CommandRejectedError';
  }
}
