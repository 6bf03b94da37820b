import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertCustomerId } from '@crm/ingestion';
import { ApiCustomerIdParam, ApiErrorResponses, RequireRoles } from '@crm/platform';
import { ExportCustomerService } from './export-customer.service';
import { SubjectExportResponse } from './subject-export.response';

@ApiTags('privacy')
@Controller('customers/:customerId/export')
export class ExportCustomerController {
  constructor(private readonly exports: ExportCustomerService) {}

  @Get()
  @RequireRoles('admin')
  @ApiOperation({
    summary: 'Everything the product holds about one customer (subject access export)',
    description:
      'Profile, every event decrypted, and the read-model documents, as JSON. See docs/privacy.md.',
  })
  @ApiCustomerIdParam()
  @ApiOkResponse({ type: SubjectExportResponse })
  @ApiErrorResponses(400, 404)
  export(@Param('customerId') customerId: string): Promise<SubjectExportResponse> {
    assertCustomerId(customerId);
    return this.exports.export(customerId);
  }
}
