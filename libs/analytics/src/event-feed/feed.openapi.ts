import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import { ApiErrorResponses, POSITION_SCHEMA } from '@crm/platform';
import { EVENT_STREAM, FEED_EVENT_SCHEMA } from './feed-hub';

/** What every live feed documents: where it starts (afterPosition, Last-Event-ID), its stream and its 400. */
export function ApiFeed(): MethodDecorator {
  return applyDecorators(
    ApiErrorResponses(400),
    ApiQuery({
      name: 'afterPosition',
      required: false,
      schema: POSITION_SCHEMA,
      description: 'position > this',
    }),
    ApiHeader({
      name: 'Last-Event-ID',
      required: false,
      description: 'The last id received: resume after it',
    }),
    ApiOkResponse({
      description: 'An endless event stream',
      content: { [EVENT_STREAM]: { schema: FEED_EVENT_SCHEMA } },
    }),
  );
}
