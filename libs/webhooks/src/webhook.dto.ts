import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import { CRM_EVENT_TYPES } from '@crm/domain';
import { IsOmittable, IsVisibleText } from '@crm/platform';

/** POST /admin/webhooks */
export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://hooks.example.com/crm',
    description:
      'https, or http to a loopback host (127.0.0.1, ::1, localhost) unless WEBHOOK_ALLOW_INSECURE_TARGETS',
    maxLength: 2048,
  })
  @IsString()
  @Length(1, 2048)
  url!: string;

  @ApiPropertyOptional({
    enum: CRM_EVENT_TYPES,
    isArray: true,
    description: 'Only these event types; omitted: every event',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CRM_EVENT_TYPES.length)
  @IsIn(CRM_EVENT_TYPES, { each: true })
  eventTypes?: string[];

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  @IsVisibleText()
  description?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description:
      'Deliver the events after this log position (0: the whole log). Omitted: the current head, so only events recorded from now on',
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;
}
