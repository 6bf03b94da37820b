import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError, ApiErrorResponses, RequireRoles } from '@crm/platform';
import { UnknownMasterKeyError } from '../crypto/master-keyring';
import { DataKeys } from '../key-store/data-keys';
import { RotationResponse } from './rotation.response';

@ApiTags('privacy')
@Controller('admin/keys/rotate')
export class RotateMasterKeyController {
  constructor(private readonly keys: DataKeys) {}

  @Post()
  @RequireRoles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rewrap every data key under the current master key (the first of MASTER_KEYS)',
    description: 'No event is rewritten. Afterwards the older master keys can be removed from MASTER_KEYS.',
  })
  @ApiOkResponse({ type: RotationResponse })
  @ApiErrorResponses(409)
  async rotate(): Promise<RotationResponse> {
    try {
      return await this.keys.rotate();
    } catch (error) {
      if (error instanceof UnknownMasterKeyError) {
        throw new ApiError(409, 'KEYS.UNKNOWN_MASTER_KEY', error.message, [
          { field: 'MASTER_KEYS', code: 'KEYS.UNKNOWN_MASTER_KEY', message: error.masterKeyIds.join(', ') },
        ]);
      }
      throw error;
    }
  }
}
