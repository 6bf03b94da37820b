import { ApiProperty } from '@nestjs/swagger';
import type { IdentityKeyKind } from '@crm/domain';
import { ReadMetaResponse } from '../shared/read-meta.response';

export const IDENTITY_KEY_KINDS: readonly IdentityKeyKind[] = ['email', 'phone'];

class DuplicateCandidateResponse {
  @ApiProperty() customerId!: string;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Decrypted from the event store for this answer only',
  })
  name!: string | null;
  @ApiProperty({ enum: ['person', 'company'] }) kind!: 'person' | 'company';
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [...IDENTITY_KEY_KINDS] },
    description:
      'The identity keys this customer shares with the one asked about (normalised email, E.164 phone)',
  })
  sharedKeys!: IdentityKeyKind[];
}

/** GET /customers/:id/duplicates: the duplicate candidates of one customer. */
export class DuplicatesResponse {
  @ApiProperty() customerId!: string;
  @ApiProperty({
    type: [DuplicateCandidateResponse],
    description: 'Sorted by customerId; merged and erased customers are left out; empty when none',
  })
  duplicates!: DuplicateCandidateResponse[];
  @ApiProperty({ type: ReadMetaResponse }) meta!: ReadMetaResponse;
}
