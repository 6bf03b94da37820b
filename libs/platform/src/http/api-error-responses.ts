import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

class ErrorDetailSchema {
  @ApiProperty({ example: 'items[2].amount' }) field!: string;
  @ApiProperty({ example: 'isPositive' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({
    example: '7b0c…',
    description: 'The value to act on, where there is one: the survivor of CUSTOMER.MERGED',
  })
  value?: string;
}

/** The one error shape of every route (see docs/errors.md). */
export class ErrorResponseSchema {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'VALIDATION.FAILED', description: 'Stable; clients may branch on it' })
  code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: [ErrorDetailSchema] }) details!: ErrorDetailSchema[];
}

const DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid request (VALIDATION.FAILED, PAYLOAD.MALFORMED_JSON); nothing was written',
  404: 'Unknown customer (CUSTOMER.NOT_FOUND)',
  409: 'Conflict with the current state (EVENT_STORE.WRONG_EXPECTED_REVISION, CUSTOMER.ALREADY_REGISTERED, CUSTOMER.MERGED with the survivor in details[0].value, EVENT_STORE.EVENT_ID_CONFLICT, …: nothing was written; PROJECTION.PAUSED: a read with minPosition waits on a paused projection)',
  410: 'The customer was erased (CUSTOMER.ERASED); nothing was written',
  413: 'Too large (PAYLOAD.TOO_LARGE, BATCH.TOO_MANY_ITEMS); nothing was written',
  415: 'Not application/json (PAYLOAD.UNSUPPORTED_MEDIA_TYPE)',
  422: 'A business rule or a read budget said no (REFUND.EXCEEDS_PAID, ANALYTICS.TOO_LARGE, …); nothing was written',
  503: 'Not available yet (PROJECTION.NOT_CAUGHT_UP, EVENT_STORE.UNAVAILABLE); retry',
};

/** Documents the error responses a route can give, all in the one error shape. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseSchema }),
    ),
  );
}
