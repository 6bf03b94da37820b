import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ROLES } from '../role-names';
import { RequireRoles } from '../roles';
import { CurrentKeyResponse } from './current-key.response';

/**
 * Which key am I, and what may it do: a client (the console) shows only the
 * actions the key's roles open, instead of learning them from 403s.
 */
@ApiTags('operations')
@Controller('auth/key')
export class CurrentKeyController {
  @Get()
  @RequireRoles(...ROLES)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'The key this request was made with: its id, name and roles (never its secret)' })
  @ApiOkResponse({ type: CurrentKeyResponse })
  current(@Req() request: FastifyRequest): CurrentKeyResponse {
    // ApiKeyGuard sets the principal on every route that needs a key, this one included.
    const principal = request.principal;
    if (principal === undefined) throw new Error('GET /auth/key ran without a principal');
    return { keyId: principal.keyId, name: principal.name, roles: [...principal.roles] };
  }
}
