import { applyDecorators, HttpCode, Post, type Type } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { ApiCustomerIdParam, ApiErrorResponses } from '@crm/platform';
import { FOLLOW_UP_ID_PATTERN } from './follow-up-id';
import { FollowUpRecordedResponse } from './follow-up-recorded.response';

const ONLY_OPEN =
  'Only an open follow-up: an unknown one is 422 FOLLOW_UP.UNKNOWN, a completed or cancelled one 409 FOLLOW_UP.CLOSED.';

/**
 * What the reassign, complete and cancel routes declare alike: POST on the
 * follow-up's path, 201 with the recorded event, the same refusals.
 */
export function FollowUpActionRoute(summary: string, body: Type<unknown>, lead = ''): MethodDecorator {
  return applyDecorators(
    Post(),
    ApiOperation({ summary, description: `${lead}${ONLY_OPEN}` }),
    ApiCustomerIdParam(),
    ApiParam({ name: 'followUpId', schema: { type: 'string', pattern: FOLLOW_UP_ID_PATTERN.source } }),
    ApiErrorResponses(400, 404, 409, 410, 413, 415, 422, 503),
    HttpCode(201),
    ApiBody({ type: body }),
    ApiCreatedResponse({ type: FollowUpRecordedResponse }),
  );
}
