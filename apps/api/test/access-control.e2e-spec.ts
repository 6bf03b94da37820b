import { join } from 'node:path';
import { parseApiKey, ROLES, type Role, SqliteApiKeyStore } from '@crm/platform';
import { expectError, registerCustomer } from './support/api';
import { issueTestKey } from './support/api-keys';
import {
  GUARDED_CUSTOMER,
  PROTECTED_ROUTES,
  type ProtectedRoute,
  PUBLIC_ROUTES,
} from './support/protected-routes';
import { type TestApp as App, TestApp, type TestResponse } from './support/test-app';

type ReadyBody = { readonly checks: { readonly eventStore: { readonly headPosition: number } } };

describe('access control', () => {
  let app: App;
  const keyWith = new Map<Role, string>();
  let revokedKey: string;

  beforeAll(async () => {
    app = await TestApp.start();
    await registerCustomer(app, GUARDED_CUSTOMER);
    for (const role of ROLES) keyWith.set(role, await issueTestKey(app.dataDir, [role], `only-${role}`));
    revokedKey = await issueTestKey(app.dataDir, ROLES, 'revoked');
    // Revoked from outside the app, as `crm keys revoke` does: the next request sees it.
    const store = SqliteApiKeyStore.open(join(app.dataDir, 'api-keys.sqlite'));
    await store.revoke(parseApiKey(revokedKey)?.id ?? '', new Date().toISOString());
    await store.close();
  });

  afterAll(async () => {
    await app.stop();
  });

  const send = (route: ProtectedRoute, key: string | null, headers?: Record<string, string>) =>
    app.as(key).request(route.method, route.url, route.body, headers);

  const headPosition = async (): Promise<number> =>
    (await app.get<ReadyBody>('/health/ready')).body.checks.eventStore.headPosition;

  const keyOf = (role: Role): string => {
    const key = keyWith.get(role);
    if (key === undefined) throw new Error(`no key for ${role}`);
    return key;
  };

  const unknownKey = (): string => `crm_${'0'.repeat(16)}_${keyOf('read').slice(-43)}`;
  const wrongSecret = (): string => {
    const key = keyOf('admin');
    return `${key.slice(0, -4)}${key.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
  };

  describe.each(PROTECTED_ROUTES.map((route) => [`${route.method} ${route.url}`, route] as const))(
    '%s',
    (_name, route) => {
      const refused = (response: TestResponse, status: number, code: string): void => {
        expectError(response, status, code);
      };

      it('answers 401 AUTH.MISSING_KEY without a key, with WWW-Authenticate, and writes nothing', async () => {
        const before = await headPosition();

        const response = await send(route, null, { 'x-correlation-id': 'no-key-1' });

        refused(response, 401, 'AUTH.MISSING_KEY');
        expect(response.headers['www-authenticate']).toBe('Bearer realm="crm"');
        expect(response.headers['x-correlation-id']).toBe('no-key-1');
        expect(await headPosition()).toBe(before);
      });

      it.each<[string, () => Record<string, string>]>([
        ['a malformed key', () => ({ authorization: 'Bearer not-a-key' })],
        ['a wrong secret', () => ({ authorization: `Bearer ${wrongSecret()}` })],
        ['an unknown key id', () => ({ authorization: `Bearer ${unknownKey()}` })],
        ['another auth scheme', () => ({ authorization: `Basic ${keyOf('admin')}` })],
        ['a bad x-api-key', () => ({ 'x-api-key': 'crm_nope' })],
      ])('answers 401 AUTH.INVALID_KEY for %s', async (_label, headers) => {
        const before = await headPosition();

        const response = await send(route, null, headers());

        refused(response, 401, 'AUTH.INVALID_KEY');
        expect(response.headers['www-authenticate']).toBe('Bearer realm="crm", error="invalid_token"');
        expect(await headPosition()).toBe(before);
      });

      it('answers 401 AUTH.INVALID_KEY for a revoked key', async () => {
        refused(await send(route, revokedKey), 401, 'AUTH.INVALID_KEY');
      });

      const others = ROLES.filter((role) => !route.roles.includes(role));
      // A route every role opens (GET /auth/key) has no key to refuse.
      if (others.length > 0)
        it.each(others)(
          'answers 403 AUTH.FORBIDDEN, naming the roles needed, to a key with only %s',
          async (role) => {
            const before = await headPosition();

            const response = await send(route, keyOf(role));

            const body = expectError(response, 403, 'AUTH.FORBIDDEN');
            expect(body.message).toContain(route.roles.join(', '));
            expect(body.details).toEqual([
              {
                field: 'roles',
                code: 'missingRole',
                message: `needs one of ${route.roles.join(', ')}; the key has ${role}`,
              },
            ]);
            expect(await headPosition()).toBe(before);
          },
        );

      it.each(route.roles)('lets a key with only %s through to the route', async (role) => {
        const response = await send(route, keyOf(role));

        // Past the guard the route answers for itself (a read may still 404 before projections catch up).
        expect([401, 403]).not.toContain(response.statusCode);
      });
    },
  );

  it('takes the key from x-api-key as well as from Authorization: Bearer', async () => {
    const response = await app.as(null).get('/kpis?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z', {
      'x-api-key': keyOf('read'),
    });

    expect(response.statusCode).toBe(200);
  });

  it.each(PUBLIC_ROUTES)('serves %s without a key', async (url) => {
    const response = await app.app.inject({ method: 'GET', url });

    expect(response.statusCode).toBe(200);
  });

  it('answers an unknown route 404 whatever the key', async () => {
    expectError(await app.as(null).get('/nowhere'), 404, 'ROUTE.NOT_FOUND');
  });
});
