import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsPositive,
  IsString,
  Length,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TOUCHPOINT_TYPES, type TouchpointType } from '@crm/domain';
import { GuardedEventEnvelopeDto } from '../shared/expected-revision.dto';
import { IsLineWithinMaxAmount, MAX_AMOUNT, MAX_QUANTITY } from '../shared/money';
import { IsVisibleText } from '@crm/platform';
import { IsOmittable } from '@crm/platform';

const DIRECTIONS = ['inbound', 'outbound'] as const;

/** Fields every touchpoint body has; the rest depends on `type`. */
export class TouchpointEnvelopeDto extends GuardedEventEnvelopeDto {
  @ApiProperty({ enum: TOUCHPOINT_TYPES, description: 'The event type of the catalogue' })
  @IsIn(TOUCHPOINT_TYPES)
  type!: TouchpointType;

  @ApiPropertyOptional({ description: 'Only in POST /touchpoints/batch: whose touchpoint this is' })
  @IsOmittable()
  @IsString()
  @Length(1, 128)
  customerId?: string;
}

export class CallLoggedDto extends TouchpointEnvelopeDto {
  @IsIn(DIRECTIONS) direction!: 'inbound' | 'outbound';
  @IsInt() @Min(0) @Max(7 * 24 * 3600) durationSeconds!: number;
  @IsIn(['connected', 'no_answer', 'voicemail', 'busy']) outcome!:
    'connected' | 'no_answer' | 'voicemail' | 'busy';
  @IsOmittable() @IsString() @Length(1, 128) @IsVisibleText() agentId?: string;
  @IsOmittable() @IsString() @Length(0, 10_000) notes?: string;
}

export class EmailLoggedDto extends TouchpointEnvelopeDto {
  @IsIn(DIRECTIONS) direction!: 'inbound' | 'outbound';
  @IsOmittable() @IsString() @Length(0, 998) subject?: string;
  @IsOmittable() @IsString() @Length(1, 128) @IsVisibleText() campaignId?: string;
}

export class MessageLoggedDto extends TouchpointEnvelopeDto {
  @IsIn(['chat', 'sms', 'whatsapp', 'social']) channel!: 'chat' | 'sms' | 'whatsapp' | 'social';
  @IsIn(DIRECTIONS) direction!: 'inbound' | 'outbound';
}

export class MeetingHeldDto extends TouchpointEnvelopeDto {
  @IsInt() @Min(0) @Max(7 * 24 * 60) durationMinutes!: number;
  @IsOmittable() @IsString() @Length(0, 500) location?: string;
}

export class PurchaseItemDto {
  @IsString() @Length(1, 128) @IsVisibleText() sku!: string;
  @IsString() @Length(1, 128) @IsVisibleText() category!: string;
  @ApiProperty({ minimum: 1, maximum: MAX_QUANTITY })
  @IsInt()
  @IsPositive()
  @Max(MAX_QUANTITY)
  quantity!: number;
  @ApiProperty({
    description: 'Integer in minor units; unitAmount × quantity ≤ the maximum amount',
    minimum: 0,
    maximum: MAX_AMOUNT,
  })
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  @IsLineWithinMaxAmount()
  unitAmount!: number;
}

export class PurchaseCompletedDto extends TouchpointEnvelopeDto {
  @IsString() @Length(1, 128) @IsVisibleText() orderId!: string;
  @ApiProperty({ description: 'Integer in minor units (cents)', minimum: 1, maximum: MAX_AMOUNT })
  @IsInt()
  @IsPositive()
  @Max(MAX_AMOUNT)
  amount!: number;
  @IsISO4217CurrencyCode() currency!: string;
  @IsIn(['web', 'store', 'phone', 'app']) channel!: 'web' | 'store' | 'phone' | 'app';
  @IsOmittable()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PurchaseItemDto)
  items?: PurchaseItemDto[];
}

export class PurchaseRefundedDto extends TouchpointEnvelopeDto {
  @IsString() @Length(1, 128) @IsVisibleText() orderId!: string;
  @ApiProperty({ description: 'Integer in minor units (cents)', minimum: 1, maximum: MAX_AMOUNT })
  @IsInt()
  @IsPositive()
  @Max(MAX_AMOUNT)
  amount!: number;
  @IsISO4217CurrencyCode() currency!: string;
  @IsOmittable() @IsString() @Length(0, 2000) reason?: string;
}

const SCORE_RANGES = { nps: [0, 10], csat: [1, 5], ces: [1, 7] } as const;

function IsScoreInRangeOfSurveyType(): PropertyDecorator {
  return ValidateBy({
    name: 'scoreInRange',
    validator: {
      validate(score: unknown, args?: ValidationArguments): boolean {
        const surveyType = (args?.object as Partial<SurveyAnsweredDto> | undefined)?.surveyType;
        const range = surveyType ? SCORE_RANGES[surveyType] : undefined;
        if (!range || typeof score !== 'number') return true; // reported by the other checks
        return score >= range[0] && score <= range[1];
      },
      defaultMessage(args?: ValidationArguments): string {
        const surveyType = (args?.object as Partial<SurveyAnsweredDto> | undefined)?.surveyType;
        const range = surveyType ? SCORE_RANGES[surveyType] : undefined;
        return range
          ? `a ${surveyType} score is an integer from ${range[0]} to ${range[1]}`
          : 'score out of range';
      },
    },
  });
}

export class SurveyAnsweredDto extends TouchpointEnvelopeDto {
  @IsIn(Object.keys(SCORE_RANGES)) surveyType!: 'nps' | 'csat' | 'ces';
  @ApiProperty({ description: 'Integer: nps 0-10, csat 1-5, ces 1-7' })
  @IsInt()
  @IsScoreInRangeOfSurveyType()
  score!: number;
  @IsOmittable() @IsString() @Length(0, 10_000) comment?: string;
  @ApiPropertyOptional({
    description: 'The SurveyRequested this answers (its requestId): same surveyType, answered once',
  })
  @IsOmittable()
  @IsString()
  @Length(1, 128)
  @IsVisibleText()
  requestId?: string;
}

export class SupportCaseOpenedDto extends TouchpointEnvelopeDto {
  @IsString() @Length(1, 128) @IsVisibleText() caseId!: string;
  @IsString() @Length(1, 998) @IsVisibleText() subject!: string;
  @IsOmittable() @IsString() @Length(1, 32) priority?: string;
}

export class SupportCaseRespondedDto extends TouchpointEnvelopeDto {
  @IsString() @Length(1, 128) @IsVisibleText() caseId!: string;
}

export class SupportCaseResolvedDto extends TouchpointEnvelopeDto {
  @IsString() @Length(1, 128) @IsVisibleText() caseId!: string;
  @IsBoolean() firstContact!: boolean;
}

export class CampaignInteractionDto extends TouchpointEnvelopeDto {
  @IsString() @Length(1, 128) @IsVisibleText() campaignId!: string;
  @IsIn(['sent', 'opened', 'clicked', 'converted']) action!: 'sent' | 'opened' | 'clicked' | 'converted';
}

export const TOUCHPOINT_DTOS = {
  CallLogged: CallLoggedDto,
  EmailLogged: EmailLoggedDto,
  MessageLogged: MessageLoggedDto,
  MeetingHeld: MeetingHeldDto,
  PurchaseCompleted: PurchaseCompletedDto,
  PurchaseRefunded: PurchaseRefundedDto,
  SurveyAnswered: SurveyAnsweredDto,
  SupportCaseOpened: SupportCaseOpenedDto,
  SupportCaseResponded: SupportCaseRespondedDto,
  SupportCaseResolved: SupportCaseResolvedDto,
  CampaignInteraction: CampaignInteractionDto,
} satisfies Record<TouchpointType, new () => TouchpointEnvelopeDto>;

export { SCORE_RANGES };
