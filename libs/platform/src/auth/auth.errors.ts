import { ApiError } from '../http/api-error';
import type { Role } from './roles';

const REALM = 'Bearer realm="crm"';

/** 401: the route needs a key and none was sent. */
export class MissingApiKeyError extends ApiError {
  override readonly headers = { 'www-authenticate': REALM };
  constructor() {
    super(401, 'AUTH.MISSING_KEY', 'This route needs an API key: Authorization: Bearer <key>, or x-api-key');
    this.name = 'MissingApiKeyError';
  }
}

/** 401: the key is malformed, unknown, revoked, or its secret is wrong (deliberately not saying which). */
export class InvalidApiKeyError extends ApiError {
  override readonly headers = { 'www-authenticate': `${REALM}, error="invalid_token"` };
  constructor() {
    super(401, 'AUTH.INVALID_KEY', 'The API key is not valid (malformed, unknown or revoked)');
    this.name = 'InvalidApiKeyError';
  }
}

/** 403: a valid key without any of the roles the route needs. */
export class ForbiddenError extends ApiError {
  constructor(needed: readonly Role[], held: readonly Role[]) {
    super(403, 'AUTH.FORBIDDEN', `This route needs a key with one of the roles: ${needed.join(', ')}`, [
      {
        field: 'roles',
        code: 'missingRole',
        message: `needs one of ${needed.join(', ')}; the key has ${held.join(', ') || 'no roles'}`,
      },
    ]);
    this.name = 'ForbiddenError';
  }
}
