import { RequestValidationError } from '@crm/platform';

/**
 * A followUpId is part of read-model keys (`<customerId>/<followUpId>`) and
 * of URLs: the alphabet of customer ids, no slash, no control character.
 */
export const FOLLOW_UP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;

export const FOLLOW_UP_ID_MESSAGE = 'followUpId is 1-128 characters of letters, digits and _.:@- ';

/** The followUpId of a path, checked like a customerId. */
export function assertFollowUpId(followUpId: string): string {
  if (!FOLLOW_UP_ID_PATTERN.test(followUpId)) {
    throw new RequestValidationError([
      { field: 'followUpId', code: 'followUpIdFormat', message: FOLLOW_UP_ID_MESSAGE },
    ]);
  }
  return followUpId;
}
