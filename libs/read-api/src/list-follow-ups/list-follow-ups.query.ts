import { RequestValidationError } from '@crm/platform';
import { WORKLIST_STATUSES, type WorklistQuery } from '@crm/projections';
import { MAX_LIMIT } from '@crm/read-store';
import { choiceParam, parseAsOf, parseLimit, singleParam } from '../shared/query-params';

/** Every query parameter of GET /follow-ups; any other is refused, so a typo never widens a list. */
export const LIST_FOLLOW_UPS_PARAMS = [
  'assignee',
  'status',
  'asOf',
  'limit',
  'cursor',
  'minPosition',
] as const;

export const MAX_ASSIGNEE_LENGTH = 128;
export const DEFAULT_WORKLIST_LIMIT = 100;

export type ListFollowUpsRequest = { readonly query: WorklistQuery; readonly minPosition: unknown };

export function parseListFollowUps(raw: Readonly<Record<string, unknown>>, now: Date): ListFollowUpsRequest {
  const unknown = Object.keys(raw).filter(
    (field) => !(LIST_FOLLOW_UPS_PARAMS as readonly string[]).includes(field),
  );
  if (unknown.length > 0) {
    throw new RequestValidationError(
      unknown.map((field) => ({
        field,
        code: 'whitelistValidation',
        message: `unknown query parameter ${field}; known: ${LIST_FOLLOW_UPS_PARAMS.join(', ')}`,
      })),
    );
  }
  const cursor = singleParam('cursor', raw.cursor);
  const query: WorklistQuery = {
    assignee: parseAssignee(raw.assignee),
    status: choiceParam('status', raw.status, WORKLIST_STATUSES) ?? 'open',
    asOf: parseAsOf(raw.asOf, now),
    limit: parseLimit(raw.limit, DEFAULT_WORKLIST_LIMIT, MAX_LIMIT),
    ...(cursor !== undefined && { cursor }),
  };
  return { query, minPosition: raw.minPosition };
}

function parseAssignee(raw: unknown): string | undefined {
  const value = singleParam('assignee', raw);
  if (value === undefined) return undefined;
  if (value.trim() === '' || value.length > MAX_ASSIGNEE_LENGTH) {
    throw new RequestValidationError([
      {
        field: 'assignee',
        code: 'length',
        message: `assignee is 1-${MAX_ASSIGNEE_LENGTH} characters, not blank`,
      },
    ]);
  }
  return value;
}
