import { DomainError } from '@crm/domain';

export function projectionNotFound(name: string): DomainError {
  return new DomainError('PROJECTION.NOT_FOUND', 'not_found', `No projection ${name}`);
}

export function rebuildInProgress(name: string, version: number): DomainError {
  return new DomainError(
    'PROJECTION.REBUILD_IN_PROGRESS',
    'conflict',
    `Projection ${name} is already being rebuilt (version ${version}); wait until it takes over`,
  );
}

export function runnersOff(): DomainError {
  return new DomainError(
    'PROJECTION.RUNNERS_OFF',
    'conflict',
    'Projections do not run in this process (PROJECTIONS=off)',
  );
}
