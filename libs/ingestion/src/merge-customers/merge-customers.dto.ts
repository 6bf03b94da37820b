import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { GuardedEventEnvelopeDto } from '../shared/expected-revision.dto';
import { CUSTOMER_ID_PATTERN } from '../shared/customer-id';

/**
 * POST /customers/:id/merge: `:id` is the survivor, `mergedId` the customer
 * whose history becomes the survivor's. `eventId` is the survivor side's;
 * the merged side's is derived from it. `expectedRevision` guards the
 * survivor's stream.
 */
export class MergeCustomersDto extends GuardedEventEnvelopeDto {
  @ApiProperty({
    pattern: CUSTOMER_ID_PATTERN.source,
    description: 'The customer merged into the one in the path (which survives)',
  })
  @IsString()
  @Matches(CUSTOMER_ID_PATTERN, { message: 'mergedId is 1-128 characters of letters, digits and _.:@-' })
  mergedId!: string;
}
