import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { ErrorResponseSchema } from '../http/api-error-responses';
import type { Role } from './role-names';

export { ROLES, type Role } from './role-names';

export const ROLES_METADATA = 'crm:roles';
export const PUBLIC_METADATA = 'crm:public';

/** The OpenAPI security schemes a key can be sent with (see create-app.ts). */
export const BEARER_SCHEME = 'bearer';
export const API_KEY_SCHEME = 'x-api-key';

/** The route needs a key holding at least one of these roles (enforced by ApiKeyGuard, documented in OpenAPI). */
export const RequireRoles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROLES_METADATA, roles),
    ApiBearerAuth(BEARER_SCHEME),
    ApiSecurity(API_KEY_SCHEME),
    ApiResponse({
      status: 401,
      description: 'No API key (AUTH.MISSING_KEY), or not a valid one (AUTH.INVALID_KEY)',
      type: ErrorResponseSchema,
    }),
    ApiResponse({
      status: 403,
      description: `The key has none of the roles ${roles.join(', ')} (AUTH.FORBIDDEN)`,
      type: ErrorResponseSchema,
    }),
  );

/** The route needs no key (liveness, readiness, metrics, OpenAPI). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_METADATA, true);
