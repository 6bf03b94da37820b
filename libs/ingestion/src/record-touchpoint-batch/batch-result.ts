import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorBody } from '@crm/platform';

export type BatchItemStatus = 'created' | 'duplicate' | 'rejected';

export class BatchItemResult {
  @ApiProperty() index!: number;
  @ApiProperty({ enum: ['created', 'duplicate', 'rejected'] }) status!: BatchItemStatus;
  @ApiPropertyOptional() customerId?: string;
  @ApiPropertyOptional() eventId?: string;
  @ApiPropertyOptional() type?: string;
  @ApiPropertyOptional() streamRevision?: number;
  @ApiPropertyOptional() globalPosition?: number;
  @ApiPropertyOptional({
    description: 'Why the item was not recorded: { statusCode, code, message, details }',
  })
  error?: ErrorBody;
}

export class BatchResponse {
  @ApiProperty() created!: number;
  @ApiProperty() duplicates!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({ type: [BatchItemResult] }) items!: BatchItemResult[];

  static from(items: BatchItemResult[]): BatchResponse {
    const count = (status: BatchItemStatus): number => items.filter((item) => item.status === status).length;
    return { created: count('created'), duplicates: count('duplicate'), rejected: count('rejected'), items };
  }
}
