import { RequestValidationError } from '@crm/platform';

/** Customer ids end up in stream names and URLs: keep them to a safe alphabet. */
export const CUSTOMER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;

export function assertCustomerId(customerId: string, field = 'customerId'): string {
  if (!CUSTOMER_ID_PATTERN.test(customerId)) {
    throw new RequestValidationError([
      {
        field,
        code: 'customerIdFormat',
        message: 'customerId is 1-128 characters of letters, digits and _.:@- ',
      },
    ]);
  }
  return customerId;
}
