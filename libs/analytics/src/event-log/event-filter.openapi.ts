import { ApiQuery } from '@nestjs/swagger';
import { CRM_EVENT_TYPES } from '@crm/domain';
import { CUSTOMER_ID_SCHEMA } from '@crm/platform';

/** `types`: a comma list of catalogue types (GET /events and its live feed). */
export function ApiEventTypesQuery(): MethodDecorator {
  return ApiQuery({
    name: 'types',
    required: false,
    schema: { type: 'array', items: { type: 'string', enum: [...CRM_EVENT_TYPES] }, minItems: 1 },
    style: 'form',
    explode: false,
    description: `Comma list of: ${CRM_EVENT_TYPES.join(', ')}`,
  });
}

/** `customerId`: one customer's stream only. */
export function ApiCustomerFilterQuery(description = 'Only this customer’s stream'): MethodDecorator {
  return ApiQuery({ name: 'customerId', required: false, schema: CUSTOMER_ID_SCHEMA, description });
}
