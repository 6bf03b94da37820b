import { ApiProperty } from '@nestjs/swagger';

export class RotationResponse {
  @ApiProperty({ description: 'Data keys rewrapped by this call (0 when all were current already)' })
  rewrapped!: number;
  @ApiProperty({ description: 'The master key every data key is now wrapped by; the others can be removed' })
  currentMasterKeyId!: string;
}
