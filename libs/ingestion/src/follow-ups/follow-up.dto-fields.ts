import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsVisibleText } from '@crm/platform';

/** Longest free text of a follow-up (reason, outcome): a note, not a document. */
export const MAX_FOLLOW_UP_TEXT = 2000;

/** An agent or a queue (never the customer): a visible id, stored in clear in the read models. */
export function IsAssignee(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      minLength: 1,
      maxLength: 128,
      example: 'agent-7',
      description: 'Who works it: an agent or a queue (stored in clear; never the customer)',
    }),
    IsString(),
    Length(1, 128),
    IsVisibleText(),
  );
}

/** Free text (reason, outcome): personal data, encrypted with the customer's key. */
export function IsFollowUpText(description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ minLength: 1, maxLength: MAX_FOLLOW_UP_TEXT, description }),
    IsString(),
    Length(1, MAX_FOLLOW_UP_TEXT),
    IsVisibleText(),
  );
}
