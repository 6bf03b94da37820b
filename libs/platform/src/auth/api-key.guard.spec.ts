import { Controller, type ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiKeyRecord } from './api-key';
import type { ApiKeyStore } from './api-key-store.port';
import { ApiKeyGuard, presentedKey } from './api-key.guard';
import { ApiKeys } from './api-keys';
import { ForbiddenError, InvalidApiKeyError, MissingApiKeyError } from './auth.errors';
import { Public, RequireRoles, type Role } from './roles';

/** Just enough of a key store for the guard: a map. */
class MapKeyStore implements ApiKeyStore {
  private readonly keys = new Map<string, ApiKeyRecord>();
  insert(record: ApiKeyRecord): Promise<void> {
    this.keys.set(record.id, record);
    return Promise.resolve();
  }
  get(id: string): Promise<ApiKeyRecord | null> {
    return Promise.resolve(this.keys.get(id) ?? null);
  }
  list(): Promise<ApiKeyRecord[]> {
    return Promise.resolve([...this.keys.values()]);
  }
  revoke(id: string, at: string): Promise<ApiKeyRecord | null> {
    const record = this.keys.get(id);
    if (record) this.keys.set(id, { ...record, revokedAt: record.revokedAt ?? at });
    return Promise.resolve(this.keys.get(id) ?? null);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

@Controller('things')
class ThingsController {
  @Get('open') @Public() open(): void {}
  @Get('read') @RequireRoles('read', 'analyst') read(): void {}
  @Get('bare') bare(): void {}
}

@RequireRoles('ingest')
@Controller('writes')
class WritesController {
  @Get() write(): void {}
  @Get('audit') @RequireRoles('admin') audit(): void {}
}

type Request = { headers: Record<string, string>; method: string; url: string; principal?: unknown };

function contextFor(controller: object, handler: string, request: Request): ExecutionContext {
  const type = controller.constructor;
  const fn = (controller as Record<string, unknown>)[handler];
  return {
    getHandler: () => fn,
    getClass: () => type,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('ApiKeyGuard', () => {
  const keys = new ApiKeys(new MapKeyStore(), () => new Date('2026-01-01T00:00:00Z'));
  const guard = new ApiKeyGuard(new Reflector(), keys);
  const things = new ThingsController();
  const writes = new WritesController();
  const issued = new Map<string, string>();

  beforeAll(async () => {
    for (const roles of [['read'], ['analyst'], ['ingest'], ['admin']] as Role[][]) {
      issued.set(roles.join(), (await keys.issue(roles.join(), roles)).key);
    }
  });

  const request = (role?: string): Request => ({
    headers: role === undefined ? {} : { authorization: `Bearer ${issued.get(role) ?? ''}` },
    method: 'GET',
    url: '/x',
  });

  it('lets anyone into a @Public() route', async () => {
    await expect(guard.canActivate(contextFor(things, 'open', request()))).resolves.toBe(true);
  });

  it('lets a key holding any one of the named roles in, and records who called', async () => {
    const asAnalyst = request('analyst');

    await expect(guard.canActivate(contextFor(things, 'read', asAnalyst))).resolves.toBe(true);
    await expect(guard.canActivate(contextFor(things, 'read', request('read')))).resolves.toBe(true);
    expect(asAnalyst.principal).toEqual({
      keyId: expect.any(String) as string,
      name: 'analyst',
      roles: ['analyst'],
    });
  });

  it('keeps a route that names no roles for admins only', async () => {
    await expect(guard.canActivate(contextFor(things, 'bare', request('admin')))).resolves.toBe(true);
    await expect(guard.canActivate(contextFor(things, 'bare', request('read')))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('does not let admin into a route that names other roles', async () => {
    await expect(guard.canActivate(contextFor(things, 'read', request('admin')))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('takes the roles of the class, and a method’s own roles over them', async () => {
    await expect(guard.canActivate(contextFor(writes, 'write', request('ingest')))).resolves.toBe(true);
    await expect(guard.canActivate(contextFor(writes, 'audit', request('ingest')))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(guard.canActivate(contextFor(writes, 'audit', request('admin')))).resolves.toBe(true);
  });

  it('refuses a missing key before looking at roles, and an invalid one as invalid', async () => {
    await expect(guard.canActivate(contextFor(things, 'bare', request()))).rejects.toBeInstanceOf(
      MissingApiKeyError,
    );
    const forged = {
      headers: { 'x-api-key': 'crm_0123456789abcdef_' + 'x'.repeat(43) },
      method: 'GET',
      url: '/',
    };
    await expect(guard.canActivate(contextFor(things, 'read', forged))).rejects.toBeInstanceOf(
      InvalidApiKeyError,
    );
  });
});

describe('presentedKey', () => {
  it.each<[string, Record<string, string>, string | undefined]>([
    ['a bearer token', { authorization: 'Bearer abc' }, 'abc'],
    ['a lower-case scheme', { authorization: 'bearer abc' }, 'abc'],
    ['x-api-key', { 'x-api-key': 'abc' }, 'abc'],
    ['Authorization before x-api-key', { authorization: 'Bearer a', 'x-api-key': 'b' }, 'a'],
    ['another scheme, as an unreadable key', { authorization: 'Basic abc' }, ''],
    ['nothing', {}, undefined],
  ])('reads %s', (_label, headers, expected) => {
    expect(presentedKey(headers)).toBe(expected);
  });
});
