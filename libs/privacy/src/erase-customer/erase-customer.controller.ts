import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertCustomerId } from '@crm/ingestion';
import {
  Actor,
  ApiCustomerIdParam,
  ApiErrorResponses,
  metadataFromHeaders,
  RequestValidationError,
  RequireRoles,
  validateDto,
} from '@crm/platform';
import { EraseCustomerDto } from './erase-customer.dto';
import { EraseCustomerService } from './erase-customer.service';
import { ErasureResponse } from './erasure.response';

@ApiTags('privacy')
@Controller('admin/customers/:customerId/erase')
export class EraseCustomerController {
  constructor(private readonly erasure: EraseCustomerService) {}

  @Post()
  @RequireRoles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: "Erase a customer's personal data (crypto-shredding)",
    description:
      'Deletes the data key, records CustomerErased and scrubs the read models. Events keep every ' +
      'non-personal fact; personal fields read as "[erased]". Repeating the call is safe. See docs/privacy.md.',
  })
  @ApiCustomerIdParam()
  @ApiBody({ type: EraseCustomerDto, required: false })
  @ApiOkResponse({ type: ErasureResponse })
  @ApiErrorResponses(400, 404, 503)
  async erase(
    @Param('customerId') customerId: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Actor() actor: string,
  ): Promise<ErasureResponse> {
    assertCustomerId(customerId);
    // No body is no reason given; a JSON null is a body of the wrong type.
    const validated = validateDto(EraseCustomerDto, body === undefined ? {} : body);
    if (!validated.ok) throw new RequestValidationError(validated.details);
    const { reason, requestedBy } = validated.value;
    const data = { ...(reason && { reason }), ...(requestedBy && { requestedBy }) };
    return this.erasure.erase(customerId, data, metadataFromHeaders(headers, actor, 'api'));
  }
}
