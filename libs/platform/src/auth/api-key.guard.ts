import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { parseApiKey } from './api-key';
import { ApiKeys } from './api-keys';
import { ForbiddenError, InvalidApiKeyError, MissingApiKeyError } from './auth.errors';
import { PUBLIC_METADATA, type Role, ROLES_METADATA } from './roles';

/** Who called: the key, never its secret. */
export type Principal = { readonly keyId: string; readonly name: string; readonly roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by ApiKeyGuard on every route that needs a key. */
    principal?: Principal;
  }
}

/** A route that says neither `@Public()` nor `@RequireRoles(...)` is for admins only: forgetting is safe. */
const UNANNOTATED: readonly Role[] = ['admin'];

type Headers = FastifyRequest['headers'];

/** The key from `Authorization: Bearer <key>`, else from `x-api-key`; undefined when neither is sent. */
export function presentedKey(headers: Headers): string | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S*)\s*$/i.exec(authorization);
    // Another scheme (Basic, …) is a key we cannot read: invalid rather than missing.
    return match?.[1] ?? '';
  }
  const header = headers['x-api-key'];
  return Array.isArray(header) ? header[0] : header;
}

/**
 * The global guard (APP_GUARD): `@Public()` routes are open; every other
 * route needs a valid key holding one of the roles its `@RequireRoles(...)`
 * names (`admin` when it names none). Roles do not imply each other.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly reflector: Reflector,
    @Inject(ApiKeys) private readonly keys: ApiKeys,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_METADATA, targets) === true) return true;
    const needed =
      this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_METADATA, targets) ?? UNANNOTATED;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const presented = presentedKey(request.headers);
    if (presented === undefined) throw new MissingApiKeyError();
    const record = await this.keys.authenticate(presented);
    if (!record) {
      // The id is not secret and helps find a revoked or mistyped key; the rest of the key is never logged.
      const id = parseApiKey(presented)?.id ?? 'malformed';
      this.logger.warn(`Rejected an invalid API key (${id}) on ${request.method} ${request.url}`);
      throw new InvalidApiKeyError();
    }
    request.principal = { keyId: record.id, name: record.name, roles: record.roles };
    if (!needed.some((role) => record.roles.includes(role))) throw new ForbiddenError(needed, record.roles);
    return true;
  }
}
