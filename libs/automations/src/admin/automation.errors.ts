import { DomainError } from '@crm/domain';

/** The dead-letter codes are the projections' (docs/errors.md): one vocabulary for operators. */
export function automationNotFound(name: string): DomainError {
  return new DomainError('AUTOMATION.NOT_FOUND', 'not_found', `No automation ${name}`);
}

export function deadLetterNotFound(id: string): DomainError {
  return new DomainError('DEAD_LETTER.NOT_FOUND', 'not_found', `No automation dead letter ${id}`);
}

export function deadLetterAlreadyRetried(id: string): DomainError {
  return new DomainError('DEAD_LETTER.ALREADY_RETRIED', 'conflict', `Dead letter ${id} was retried already`);
}

export function deadLetterNotOpen(id: string, status: string): DomainError {
  return new DomainError('DEAD_LETTER.NOT_OPEN', 'conflict', `Dead letter ${id} is ${status}, not open`);
}

export function deadLetterEventMissing(id: string, eventId: string): DomainError {
  return new DomainError(
    'DEAD_LETTER.EVENT_MISSING',
    'conflict',
    `Trigger ${eventId} of dead letter ${id} is no longer in the store`,
  );
}

export function deadLetterRetryFailed(id: string, code: string, error: string): DomainError {
  return new DomainError('DEAD_LETTER.RETRY_FAILED', 'conflict', `Retrying dead letter ${id} failed again`, [
    { field: 'id', code, message: error },
  ]);
}
