import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../role-names';

/** The key a request was made with: what a client may know about itself, never the secret. */
export class CurrentKeyResponse {
  @ApiProperty({ description: 'The visible id of the key (crm_<id>_…)' }) keyId!: string;
  @ApiProperty({ description: 'The name given at `crm keys create`' }) name!: string;
  @ApiProperty({ enum: ROLES, isArray: true, description: 'What the key may do' }) roles!: Role[];
}
